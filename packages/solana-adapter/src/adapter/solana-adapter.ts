/** core's ChainAdapter for the Bulwark Solana program, over any Solana JSON-RPC + WebSocket endpoint. */
import {
  bytesToHex, InvalidParameterError, parseVaa, UnknownAccountError, VaaAlreadyConsumedError, type AccountSnapshot, type ChainAdapter, type Finality, type Hex,
  type ObservedMessage, type PriceSnapshot, type SubmitResult,
} from '@bulwark/core'
import { addressBytes, decodeAsset, decodeMarginAccount, decodeMessage, instructions as ix, pdas } from '@bulwark/programs-solana'
import {
  createSolanaRpc, createSolanaRpcSubscriptions, getBase58Encoder, type Address, type Rpc, type RpcSubscriptions,
  type SolanaRpcApi, type SolanaRpcSubscriptionsApi, type TransactionSigner,
} from '@solana/kit'
import { AccountChangeIndex, marginOwner, programSignatures } from './account-changes.js'
import { bytesOfAddress, hexToBytesStrict } from './bytes.js'
import { emittedMessages } from './logs.js'
import { LookupTable } from './lookup-table.js'
import { sendInstruction } from './send.js'
import { instructionForVaa } from './vaa-instruction.js'

export type SolanaAdapterOptions = {
  /** Wormhole chain id of this Solana cluster (the program's config chain id). @default 1 */
  chainId?: number
  rpcUrl: string
  wsUrl: string
  /** The Bulwark program id. */
  programId: Address
  /** Pays fees and signs (also the liquidator; it needs its own margin account to liquidate). */
  payer: TransactionSigner
  /** Consistency level reported on observed messages. @default 1 (finalized) */
  consistencyLevel?: number
  /** Origin chain of each foreign asset id (bytes32) for readAccount; local SPL assets are this chain. @default {} */
  assetChains?: Record<Hex, number>
  /** Give up waiting for a transaction's confirmation after this long. @default 30000 */
  confirmTimeoutMs?: number
  /** @default 'solana-<chainId>' */
  name?: string
}

const b58e = getBase58Encoder()
const MARKET_KIND = 8
const u128le = (b: Uint8Array, o: number) => {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength)
  return v.getBigUint64(o, true) | (v.getBigUint64(o + 8, true) << 64n)
}
const sigHex = (s: string): Hex => bytesToHex(new Uint8Array(b58e.encode(s)))

export class SolanaAdapter implements ChainAdapter {
  readonly chainId: number
  readonly name: string
  readonly rpc: Rpc<SolanaRpcApi>
  readonly rpcSubscriptions: RpcSubscriptions<SolanaRpcSubscriptionsApi>
  readonly #o: SolanaAdapterOptions
  readonly #emitter: Hex
  readonly #lookupTable: LookupTable
  readonly #changes: AccountChangeIndex
  #liquidations = 0
  #closed = false

  constructor(options: SolanaAdapterOptions) {
    this.#o = options
    this.chainId = options.chainId ?? 1
    this.name = options.name ?? `solana-${this.chainId}`
    this.rpc = createSolanaRpc(options.rpcUrl)
    this.rpcSubscriptions = createSolanaRpcSubscriptions(options.wsUrl)
    this.#emitter = bytesToHex(bytesOfAddress(options.programId))
    this.#lookupTable = new LookupTable(this, options.payer, options.confirmTimeoutMs ?? 30_000)
    this.#changes = new AccountChangeIndex(this.rpc, options.programId)
  }

  /** The fee payer's address (also the liquidator's key). */
  get payerAddress(): Address {
    return this.#o.payer.address
  }

  /** The program's emitter address (its program id as bytes32). */
  get emitterAddress(): Hex {
    return this.#emitter
  }

  async getHeight(finality: Finality): Promise<bigint> {
    this.#open()
    if (typeof finality === 'object') {
      const head = await this.rpc.getSlot({ commitment: 'processed' }).send()
      const h = head - BigInt(finality.confirmations)
      return h < 0n ? 0n : h
    }
    const commitment = finality === 'instant' ? 'processed' : finality === 'safe' ? 'confirmed' : 'finalized'
    return this.rpc.getSlot({ commitment }).send()
  }

  async getMessages(fromHeight: bigint, toHeight: bigint): Promise<ObservedMessage[]> {
    this.#open()
    if (fromHeight > toHeight) throw new InvalidParameterError(`height range [${fromHeight}, ${toHeight}] is inverted`, { field: 'fromHeight' })
    const program = this.#o.programId
    const found = await programSignatures(this.rpc, program, fromHeight, toHeight)
    const out: ObservedMessage[] = []
    const hashes = new Map<bigint, Hex | null>()
    for (let i = 0; i < found.length; i += 16) {
      const chunk = found.slice(i, i + 16)
      const txs = await Promise.all(chunk.map((f) => this.rpc.getTransaction(f.signature, { commitment: 'confirmed', encoding: 'json', maxSupportedTransactionVersion: 0 }).send()))
      for (const [k, tx] of txs.entries()) {
        if (!tx?.meta?.logMessages) continue
        const slot = chunk[k]!.slot
        for (const m of emittedMessages(tx.meta.logMessages, program)) {
          const msg = await this.#messageAccount(m.sequence)
          if (!hashes.has(slot)) hashes.set(slot, await this.getBlockHash(slot))
          out.push({
            emitterChain: this.chainId, emitterAddress: this.#emitter, sequence: m.sequence, nonce: msg?.nonce ?? 0,
            consistencyLevel: this.#o.consistencyLevel ?? 1, timestamp: Number(msg?.timestamp ?? tx.blockTime ?? 0n), payload: m.payload,
            height: slot, blockHash: hashes.get(slot) ?? ('0x' as Hex), txHash: sigHex(chunk[k]!.signature),
          })
        }
      }
    }
    return out
  }

  /**
   * Margin accounts (owner ids, bytes32) the program's successful transactions in slots
   * [fromHeight, toHeight] wrote, each once, in order of first change: credits, trades, withdrawals,
   * liquidations (the liquidated account and the liquidator's account). The program logs no event
   * for these, so they are read from the transactions' writable accounts. From slot 0 the answer is
   * every margin account the program holds (getProgramAccounts), as of a slot at or after
   * `toHeight`: it may name an account created after `toHeight` once more later (harmless to a keeper).
   */
  async getAccountChanges(fromHeight: bigint, toHeight: bigint): Promise<Hex[]> {
    this.#open()
    if (fromHeight > toHeight) throw new InvalidParameterError(`height range [${fromHeight}, ${toHeight}] is inverted`, { field: 'fromHeight' })
    if (fromHeight === 0n) return (await this.#changes.all()).accounts
    return this.#changes.changes(fromHeight, toHeight)
  }

  async getBlockHash(height: bigint): Promise<Hex | null> {
    this.#open()
    try {
      const b = await this.rpc.getBlock(height, { commitment: 'confirmed', transactionDetails: 'none', rewards: false, maxSupportedTransactionVersion: 0 }).send()
      return b ? bytesToHex(new Uint8Array(b58e.encode(b.blockhash))) : null
    } catch (e) {
      const code = (e as { context?: { __code?: number } }).context?.__code
      if (code === -32004 || code === -32007 || code === -32009) return null
      throw e
    }
  }

  async isVaaConsumed(vaa: Uint8Array): Promise<boolean> {
    this.#open()
    const parsed = parseVaa(vaa)
    const a = await pdas.consumed(this.#o.programId, hexToBytesStrict(parsed.hash))
    return (await this.#account(a)) !== null
  }

  async submitVaa(vaa: Uint8Array): Promise<SubmitResult> {
    this.#open()
    // Replay is refused up front, whatever the instruction would check first (e.g. a governance
    // VAA of a superseded set would otherwise fail as GuardianSetUnknown).
    if (await this.isVaaConsumed(vaa)) throw new VaaAlreadyConsumedError('this VAA was already consumed on Solana', { field: 'vaa' })
    const { instruction, computeUnits, stable } = await instructionForVaa({ rpc: this.rpc, program: this.#o.programId, payer: this.#o.payer, chainId: this.chainId }, vaa)
    return this.#send(instruction, computeUnits, stable)
  }

  async readPrice(marketId: number): Promise<PriceSnapshot | null> {
    this.#open()
    const d = await this.#account(await pdas.market(this.#o.programId, marketId))
    // Read by field offset (kind 8 = market): the client's decodeMarket pins an older 224-byte length.
    if (!d || d[0] !== MARKET_KIND || d.length < 112) return null
    const v = new DataView(d.buffer, d.byteOffset, d.byteLength)
    const publishTime = v.getBigUint64(104, true)
    if (publishTime === 0n) return null
    return { marketId, price: u128le(d, 40), conf: u128le(d, 56), emaPrice: u128le(d, 72), volMultiplier: u128le(d, 88), publishTime }
  }

  async readAccount(account: Hex): Promise<AccountSnapshot> {
    this.#open()
    const d = await this.#account(await pdas.account(this.#o.programId, hexToBytesStrict(account)))
    if (!d) return { account, collateral: [], positions: [], settlement: 0n }
    const a = this.#decodeMargin(account, d)
    const collateral = []
    for (const c of a.collateral) {
      const assetId = bytesToHex(c.assetId)
      const assetData = await this.#account(await pdas.asset(this.#o.programId, c.assetId))
      const asset = assetData ? decodeAsset(assetData) : undefined
      // origin: this chain for a local SPL asset, else the one the program records, else the option
      const originChain = asset?.isLocal ? this.chainId : asset?.originChain || (this.#o.assetChains?.[assetId] ?? 0)
      collateral.push({ originChain, asset: assetId, amount: c.amount, pending: c.pending })
    }
    return { account, collateral, positions: a.positions.map((p) => ({ marketId: p.market, size: p.size, entryPrice: p.entryPrice })), settlement: a.settlement }
  }

  async liquidate(account: Hex): Promise<SubmitResult> {
    this.#open()
    const p = this.#o.programId
    const target = await pdas.account(p, hexToBytesStrict(account))
    const d = await this.#account(target)
    if (!d) throw new UnknownAccountError(`no margin account for ${account}`, { field: 'account' })
    const a = this.#decodeMargin(account, d)
    const rest = new Set<Address>()
    const markets = new Set<number>(a.positions.map((x) => x.market))
    for (const c of a.collateral) {
      const asset = await pdas.asset(p, c.assetId)
      rest.add(asset)
      const ad = await this.#account(asset)
      if (ad) markets.add(decodeAsset(ad).priceMarket)
    }
    for (const m of markets) rest.add(await pdas.market(p, m))
    const instruction = ix.liquidate(p, {
      liquidator: this.#o.payer, account: target, config: await pdas.config(p),
      liquidatorAccount: await pdas.account(p, addressBytes(this.#o.payer.address)), rest: [...rest],
    })
    // A liquidation has no instruction data: a second one of the same account under the same
    // blockhash (a partial liquidation followed up within one slot on a cluster) would be the same
    // transaction, deduplicated as AlreadyProcessed. A varying compute limit keeps each one distinct.
    return this.#send(instruction, 200_000 + (this.#liquidations++ % 4096))
  }

  /**
   * Opens the payer's own margin account (which `liquidate` credits the liquidator's reward to)
   * if it does not exist; the program's open_account is idempotent. Checks first that `programId`
   * is a deployed program: otherwise UnknownAccount naming the field.
   */
  async ensureOwnAccount(): Promise<{ account: Hex; opened: boolean }> {
    this.#open()
    const p = this.#o.programId
    const { value: prog } = await this.rpc.getAccountInfo(p, { encoding: 'base64', commitment: 'confirmed' }).send()
    if (!prog?.executable) throw new UnknownAccountError(`no program deployed at ${p}`, { field: 'programId' })
    const owner = addressBytes(this.#o.payer.address)
    const account = bytesToHex(owner)
    const pda = await pdas.account(p, owner)
    if (await this.#account(pda)) return { account, opened: false }
    await this.#send(ix.openAccount(p, { payer: this.#o.payer, account: pda }, owner), 50_000)
    return { account, opened: true }
  }

  async close(): Promise<void> {
    this.#closed = true
  }

  #open(): void {
    if (this.#closed) throw new InvalidParameterError(`adapter ${this.name} is closed`, { field: 'adapter' })
  }

  /** The program's margin account data, decoded; anything else at that address is a typed error naming it. */
  #decodeMargin(account: Hex, d: Uint8Array) {
    if (!marginOwner(d) || d[2]! > 4 || d[3]! > 4) {
      throw new InvalidParameterError(`malformed margin account data for ${account}: ${d.length} bytes, kind ${d[0]}, ${d[2]} collateral / ${d[3]} position entries`, { field: 'account' })
    }
    return decodeMarginAccount(d)
  }

  async #messageAccount(sequence: bigint) {
    const d = await this.#account(await pdas.message(this.#o.programId, sequence))
    return d ? decodeMessage(d) : null
  }

  /** Data of an account the program owns, or null. */
  async #account(a: Address): Promise<Uint8Array | null> {
    const { value } = await this.rpc.getAccountInfo(a, { encoding: 'base64', commitment: 'confirmed' }).send()
    if (!value || value.owner !== this.#o.programId) return null
    return new Uint8Array(Buffer.from(value.data[0], 'base64'))
  }

  #send(instruction: Parameters<typeof sendInstruction>[1]['instruction'], computeUnits: number, stable?: Address[]): Promise<SubmitResult> {
    return sendInstruction(this, { instruction, computeUnits, stable, payer: this.#o.payer, timeoutMs: this.#o.confirmTimeoutMs ?? 30_000, lookupTable: this.#lookupTable })
  }
}
