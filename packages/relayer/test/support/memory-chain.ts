import {
  VaaAlreadyConsumedError,
  bytesToHex,
  keccak256,
  parseVaa,
  type AccountSnapshot,
  type ChainAdapter,
  type Finality,
  type Hex,
  type ObservedMessage,
  type PriceSnapshot,
  type SubmitResult,
} from '@bulwark/core'
import { verifyVaa, type Guardians } from '../../src/crypto/guardians.js'

type Block = { hash: Hex; messages: ObservedMessage[] }

/**
 * An in-memory chain for unit tests of the code around a ChainAdapter: blocks with hashes that
 * change on reorg, safe/finalized lagging the head, a destination that verifies VAAs against a
 * guardian set and refuses replays, and injectable submit failures.
 */
export class MemoryChain implements ChainAdapter {
  readonly name: string
  readonly blocks: Block[] = [{ hash: '0x00', messages: [] }]
  readonly consumed = new Map<Hex, number>()
  readonly submissions: Hex[] = []
  readonly prices = new Map<number, PriceSnapshot>()
  #seq = new Map<Hex, bigint>()
  #salt = 0
  failSubmits = 0
  submitError: () => Error = () => new Error('rpc unavailable')

  constructor(
    readonly chainId: number,
    readonly opts: { safeLag?: number; finalizedLag?: number; guardians?: Guardians } = {},
  ) {
    this.name = `memory-${chainId}`
  }

  get head(): bigint {
    return BigInt(this.blocks.length - 1)
  }

  /** Mines a block holding one message per emitted payload; returns the messages. */
  mine(emits: { emitter: Hex; payload: Uint8Array; consistencyLevel?: number; sequence?: bigint }[] = []): ObservedMessage[] {
    const height = BigInt(this.blocks.length)
    const hash = bytesToHex(keccak256(new TextEncoder().encode(`${this.chainId}/${height}/${this.#salt++}`)))
    const messages = emits.map((e, i) => {
      const sequence = e.sequence ?? this.#seq.get(e.emitter) ?? 0n
      this.#seq.set(e.emitter, sequence + 1n)
      return {
        emitterChain: this.chainId,
        emitterAddress: e.emitter,
        sequence,
        nonce: 0,
        consistencyLevel: e.consistencyLevel ?? 1,
        timestamp: 1_700_000_000 + Number(height),
        payload: e.payload,
        height,
        blockHash: hash,
        txHash: bytesToHex(keccak256(new TextEncoder().encode(`${hash}/${i}`))),
      } satisfies ObservedMessage
    })
    this.blocks.push({ hash, messages })
    return messages
  }

  /** Drops the last `depth` blocks (their messages and sequences vanish) and mines `depth` empty ones. */
  reorg(depth: number): void {
    const dropped = this.blocks.splice(this.blocks.length - depth, depth)
    for (const b of dropped) for (const m of b.messages) {
      const s = this.#seq.get(m.emitterAddress)!
      if (m.sequence < s) this.#seq.set(m.emitterAddress, m.sequence)
    }
    for (let i = 0; i < depth; i++) this.mine()
  }

  async getHeight(f: Finality): Promise<bigint> {
    const lag = f === 'safe' ? (this.opts.safeLag ?? 2) : f === 'finalized' ? (this.opts.finalizedLag ?? 4) : 0
    const h = this.head - BigInt(lag)
    return h < 0n ? 0n : h
  }

  async getMessages(from: bigint, to: bigint): Promise<ObservedMessage[]> {
    const out: ObservedMessage[] = []
    for (let h = from; h <= to && h <= this.head; h++) out.push(...this.blocks[Number(h)]!.messages)
    return out
  }

  async getBlockHash(height: bigint): Promise<Hex | null> {
    return this.blocks[Number(height)]?.hash ?? null
  }

  async isVaaConsumed(vaa: Uint8Array): Promise<boolean> {
    return this.consumed.has(parseVaa(vaa).hash)
  }

  async submitVaa(vaa: Uint8Array): Promise<SubmitResult> {
    const v = parseVaa(vaa)
    this.submissions.push(v.hash)
    if (this.failSubmits > 0) {
      this.failSubmits--
      throw this.submitError()
    }
    if (this.opts.guardians) verifyVaa(this.opts.guardians, v)
    if (this.consumed.has(v.hash)) throw new VaaAlreadyConsumedError(`VAA ${v.hash} already consumed`, { field: 'vaa' })
    this.consumed.set(v.hash, this.consumed.size)
    this.mine()
    return { txHash: v.hash, height: this.head }
  }

  async readPrice(marketId: number): Promise<PriceSnapshot | null> {
    return this.prices.get(marketId) ?? null
  }

  async readAccount(account: Hex): Promise<AccountSnapshot> {
    return { account, collateral: [], positions: [], settlement: 0n }
  }

  async liquidate(): Promise<SubmitResult> {
    throw new Error('not supported by the memory chain')
  }

  async close(): Promise<void> {}
}
