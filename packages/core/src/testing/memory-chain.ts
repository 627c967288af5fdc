import type { AccountSnapshot, ChainAdapter, Finality, ObservedMessage, PriceSnapshot, SubmitResult } from '../chain/adapter.js'
import { InvalidParameterError } from '../errors/input.js'
import { AccountHealthyError } from '../errors/margin.js'
import { UnknownEmitterError, VaaAlreadyConsumedError, WrongDestinationChainError } from '../errors/vaa.js'
import { bytesToHex, uintToBytes, type Hex } from '../format/bytes.js'
import { GuardianSetRegistry } from '../format/guardian-set.js'
import { decodePayload, encodePayload } from '../format/payloads.js'
import { keccak256, parseVaa } from '../format/vaa.js'

type Block = { height: bigint; hash: Hex; timestamp: number; messages: ObservedMessage[]; changedAccounts: Hex[] }

export type MemoryChainOptions = {
  chainId: number
  /** The vault's emitter address (bytes32). */
  emitter: Hex
  guardians: Hex[]
  /** Foreign emitters whose CollateralLocked messages this chain credits: `${chain}:${bytes32}`. */
  registeredEmitters?: string[]
  /** Blocks behind head for `safe` and `finalized`. @default 2 and 4 */
  safeDepth?: number
  finalizedDepth?: number
}

/**
 * An in-memory chain with a vault and a margin engine, for unit tests of code around adapters
 * (relayer watchers, delivery). It verifies VAAs with core's registry exactly as a chain would, and
 * can reorg. It is a test double: end-to-end tests use real chains.
 */
export class MemoryChain implements ChainAdapter {
  readonly name: string
  readonly chainId: number
  readonly #blocks: Block[] = []
  readonly #consumed = new Set<Hex>()
  readonly #balances = new Map<Hex, Map<Hex, bigint>>()
  readonly #registry: GuardianSetRegistry
  readonly #emitters: Set<string>
  #sequence = 0n
  #fork = 0

  constructor(readonly options: MemoryChainOptions) {
    this.chainId = options.chainId
    this.name = `memory-${options.chainId}`
    this.#registry = new GuardianSetRegistry(options.guardians)
    this.#emitters = new Set(options.registeredEmitters ?? [])
    this.mine()
  }

  registerEmitter(chain: number, address: Hex): void {
    this.#emitters.add(`${chain}:${address}`)
  }

  get head(): bigint {
    return this.#blocks[this.#blocks.length - 1]!.height
  }

  /** Mines one block holding `messages` payloads emitted by the vault and the accounts whose margin state it changed. */
  mine(payloads: Uint8Array[] = [], changedAccounts: Hex[] = []): Block {
    const height = BigInt(this.#blocks.length)
    const hash = bytesToHex(keccak256(uintToBytes((height << 32n) | BigInt(this.#fork), 40)))
    const timestamp = 1_700_000_000 + Number(height) * 2
    const block: Block = { height, hash, timestamp, messages: [], changedAccounts }
    for (const payload of payloads) {
      block.messages.push({
        emitterChain: this.chainId, emitterAddress: this.options.emitter, sequence: this.#sequence++, nonce: 0,
        consistencyLevel: 1, timestamp, payload, height, blockHash: hash, txHash: bytesToHex(keccak256(payload)),
      })
    }
    this.#blocks.push(block)
    return block
  }

  /** Emits a CollateralLocked for `account` on `destinationChain` in a new block. */
  lock(destinationChain: number, account: Hex, asset: Hex, amount: bigint): ObservedMessage {
    const payload = encodePayload({ type: 'CollateralLocked', destinationChain, account, asset, amount, depositor: account })
    return this.mine([payload]).messages[0]!
  }

  /** Replaces the last `depth` blocks with empty ones of new hashes; their messages vanish and sequences roll back. */
  reorg(depth: number): void {
    const dropped = this.#blocks.splice(this.#blocks.length - depth, depth)
    this.#sequence -= BigInt(dropped.reduce((n, b) => n + b.messages.length, 0))
    this.#fork++
    for (let i = 0; i < depth; i++) this.mine()
  }

  async getHeight(f: Finality): Promise<bigint> {
    const depth = f === 'instant' ? 0 : f === 'safe' ? (this.options.safeDepth ?? 2) : f === 'finalized' ? (this.options.finalizedDepth ?? 4) : f.confirmations
    const h = this.head - BigInt(depth)
    return h < 0n ? 0n : h
  }

  async getMessages(from: bigint, to: bigint): Promise<ObservedMessage[]> {
    if (from > to) throw new InvalidParameterError(`fromHeight ${from} is above toHeight ${to}`, { field: 'fromHeight' })
    return this.#blocks.filter((b) => b.height >= from && b.height <= to).flatMap((b) => b.messages)
  }

  async getAccountChanges(from: bigint, to: bigint): Promise<Hex[]> {
    if (from > to) throw new InvalidParameterError(`fromHeight ${from} is above toHeight ${to}`, { field: 'fromHeight' })
    return [...new Set(this.#blocks.filter((b) => b.height >= from && b.height <= to).flatMap((b) => b.changedAccounts))]
  }

  async getBlockHash(height: bigint): Promise<Hex | null> {
    return this.#blocks[Number(height)]?.hash ?? null
  }

  async isVaaConsumed(vaa: Uint8Array): Promise<boolean> {
    return this.#consumed.has(parseVaa(vaa).hash)
  }

  async submitVaa(bytes: Uint8Array): Promise<SubmitResult> {
    const vaa = parseVaa(bytes)
    this.#registry.verify(vaa, vaa.timestamp)
    if (this.#consumed.has(vaa.hash)) throw new VaaAlreadyConsumedError(`VAA ${vaa.hash} was already consumed`, { field: 'vaa' })
    if (!this.#emitters.has(`${vaa.emitterChain}:${vaa.emitterAddress}`)) {
      throw new UnknownEmitterError(`emitter ${vaa.emitterChain}:${vaa.emitterAddress} is not registered`, { field: 'emitterAddress' })
    }
    const p = decodePayload(vaa.payload)
    if (p.type !== 'CollateralLocked') throw new InvalidParameterError(`${p.type} is not handled by this chain`, { field: 'payload' })
    if (p.destinationChain !== this.chainId) throw new WrongDestinationChainError(`payload is for chain ${p.destinationChain}`, { field: 'destinationChain' })
    this.#consumed.add(vaa.hash)
    const acct = this.#balances.get(p.account) ?? new Map<Hex, bigint>()
    acct.set(p.asset, (acct.get(p.asset) ?? 0n) + p.amount)
    this.#balances.set(p.account, acct)
    return { txHash: vaa.hash, height: this.mine([], [p.account]).height }
  }

  async readPrice(_marketId: number): Promise<PriceSnapshot | null> {
    return null
  }

  async readAccount(account: Hex): Promise<AccountSnapshot> {
    const bal = this.#balances.get(account) ?? new Map()
    return { account, collateral: [...bal].map(([asset, amount]) => ({ originChain: 0, asset, amount, pending: false })), positions: [], settlement: 0n }
  }

  async liquidate(account: Hex): Promise<SubmitResult> {
    throw new AccountHealthyError(`account ${account} has no positions`, { field: 'account' })
  }

  async close(): Promise<void> {}
}
