/**
 * A ledger over litesvm that behaves like a single-validator cluster: one block per landed
 * transaction (and per timer tick), a hash per block, a window of valid recent blockhashes,
 * commitment levels by depth, a transaction history, and a faucet for airdrops.
 */
import { createHash } from 'node:crypto'
import { EventEmitter } from 'node:events'
import { readFileSync } from 'node:fs'
import { FailedTransactionMetadata, LiteSVM, type TransactionMetadata } from 'litesvm'
import {
  AccountRole, address, appendTransactionMessageInstruction, blockhash as toBlockhash, createTransactionMessage, generateKeyPairSigner,
  getBase58Decoder, getCompiledTransactionMessageDecoder, getTransactionDecoder, getTransactionEncoder, lamports,
  pipe, setTransactionMessageFeePayerSigner, setTransactionMessageLifetimeUsingBlockhash, signTransactionMessageWithSigners,
  type Address, type KeyPairSigner, type Transaction,
} from '@solana/kit'
import { RPC_CODE, RpcError } from './json.js'
import { describeError, toJsonError, type JsonTransactionError } from './tx-error.js'

export type Commitment = 'processed' | 'confirmed' | 'finalized'

export type ChainOptions = {
  /** Programs to load: `{ id, path }` (an SBF .so file) or `{ id, bytes }`. SPL Token is built in. */
  programs?: { id: string; path?: string; bytes?: Uint8Array }[]
  /** Slots behind the head for `confirmed`. @default 0 */
  confirmedDepth?: number
  /** Slots behind the head for `finalized`. @default 32 */
  finalizedDepth?: number
  /** Slots a blockhash stays valid for. @default 150 */
  blockhashValidity?: number
  /** Unix time in milliseconds (inject a fake clock in tests). @default Date.now */
  now?: () => number
}

export type Block = { slot: bigint; blockhash: string; previousBlockhash: string; parentSlot: bigint; blockTime: number; signatures: string[] }

export type TxRecord = {
  signature: string
  slot: bigint
  blockTime: number
  wire: Uint8Array
  message: ReturnType<ReturnType<typeof getCompiledTransactionMessageDecoder>['decode']>
  signatures: string[]
  loaded: { writable: Address[]; readonly: Address[] }
  err: JsonTransactionError | null
  logs: string[]
  unitsConsumed: bigint
  fee: bigint
  preBalances: bigint[]
  postBalances: bigint[]
  returnData: { programId: string; data: [string, 'base64'] } | null
}

export type Simulation = { err: JsonTransactionError | null; logs: string[]; unitsConsumed: bigint; returnData: TxRecord['returnData'] }

const LAMPORTS_PER_SIGNATURE = 5_000n
/** Largest wire transaction a cluster accepts (IPv6 MTU minus headers). */
export const PACKET_DATA_SIZE = 1232
const SLOT_HASHES_KEPT = 150
const SYSTEM_PROGRAM = address('11111111111111111111111111111111')
const b58 = getBase58Decoder()

export class LocalChain extends EventEmitter {
  readonly svm: LiteSVM
  readonly blocks: Block[] = []
  readonly #txs = new Map<string, TxRecord>()
  readonly #byAddress = new Map<string, string[]>()
  readonly #recent = new Map<string, bigint>()
  readonly #seed = createHash('sha256').update(`${process.pid}-${Date.now()}-${Math.random()}`).digest()
  readonly #opts: Required<Omit<ChainOptions, 'programs'>>
  readonly #slotHashes: { slot: bigint; hash: string }[] = []
  #time = 0
  #faucet: KeyPairSigner | undefined
  transactionCount = 0n

  constructor(options: ChainOptions = {}) {
    super()
    this.#opts = { confirmedDepth: 0, finalizedDepth: 32, blockhashValidity: 150, now: Date.now, ...stripUndefined(options) }
    this.svm = new LiteSVM().withBlockhashCheck(false).withTransactionHistory(0n)
    for (const p of options.programs ?? []) {
      const bytes = p.bytes ?? (p.path ? readFileSync(p.path) : undefined)
      if (!bytes) throw new TypeError(`program ${p.id}: give a path or bytes`)
      this.svm.addProgram(address(p.id), bytes)
    }
    this.#produce([])
  }

  get head(): bigint {
    return this.blocks[this.blocks.length - 1]!.slot
  }

  /** Highest slot at `commitment`. */
  slotAt(commitment: Commitment = 'finalized'): bigint {
    const depth = commitment === 'processed' ? 0 : commitment === 'confirmed' ? this.#opts.confirmedDepth : this.#opts.finalizedDepth
    const s = this.head - BigInt(depth)
    return s < 0n ? 0n : s
  }

  block(slot: bigint): Block | undefined {
    return slot >= 0n && slot <= this.head ? this.blocks[Number(slot)] : undefined
  }

  /** The blockhash a client should use now, and the last block height it stays valid at. */
  latestBlockhash(commitment: Commitment = 'finalized'): { blockhash: string; lastValidBlockHeight: bigint } {
    const b = this.block(this.slotAt(commitment))!
    return { blockhash: b.blockhash, lastValidBlockHeight: b.slot + BigInt(this.#opts.blockhashValidity) }
  }

  isBlockhashValid(hash: string): boolean {
    return this.#recent.has(hash)
  }

  transaction(signature: string): TxRecord | undefined {
    return this.#txs.get(signature)
  }

  /** Signatures of transactions touching `address`, oldest first. */
  signaturesFor(addr: string): readonly string[] {
    return this.#byAddress.get(addr) ?? []
  }

  /** Produces `n` empty blocks. */
  advance(n = 1): void {
    for (let i = 0; i < n; i++) this.#produce([])
  }

  /** Runs a transaction without committing it. */
  simulate(wire: Uint8Array, opts: { sigVerify?: boolean } = {}): Simulation {
    const tx = decodeTransaction(wire)
    // Run on the working bank (the slot after the head), as a leader does: e.g. lookup-table
    // entries extended in the head slot are active there.
    this.svm.warpToSlot(this.head + 1n)
    this.svm.withSigverify(opts.sigVerify ?? false)
    try {
      const res = this.svm.simulateTransaction(tx)
      if (res instanceof FailedTransactionMetadata) return { err: toJsonError(res.err()), ...metaOf(res.meta()) }
      return { err: null, ...metaOf(res.meta()) }
    } finally {
      this.svm.withSigverify(true)
    }
  }

  /**
   * Lands a wire transaction in a new block and returns its signature. With preflight (the
   * default) a failing transaction is refused with the RPC's -32002 error and nothing changes.
   */
  send(wire: Uint8Array, opts: { skipPreflight?: boolean } = {}): string {
    const tx = decodeTransaction(wire)
    const message = getCompiledTransactionMessageDecoder().decode(tx.messageBytes)
    const signatures = Object.values(tx.signatures).map((s) => (s ? b58.decode(s) : b58.decode(new Uint8Array(64))))
    const signature = signatures[0]!
    if (this.#txs.has(signature)) throw preflight('AlreadyProcessed', emptySim())
    if (!this.#recent.has(message.lifetimeToken)) throw preflight('BlockhashNotFound', emptySim())
    // Even without preflight, a transaction that fails before execution (bad signature, fee payer
    // without funds, ...) never lands on a cluster: refuse it rather than record it. Only
    // execution failures (InstructionError) land with skipPreflight.
    const sim = this.simulate(wire, { sigVerify: true })
    if (sim.err === 'SignatureFailure') throw new RpcError(RPC_CODE.transactionSignatureVerificationFailure, 'Transaction signature verification failure')
    if (sim.err !== null && (!opts.skipPreflight || typeof sim.err === 'string')) throw preflight(sim.err, sim)
    const loaded = this.#resolveLookups(message)
    const keys = [...message.staticAccounts, ...loaded.writable, ...loaded.readonly]
    const block = this.#produce([signature], () => {
      const preBalances = keys.map((k) => this.svm.getBalance(k) ?? 0n)
      const res = this.svm.sendTransaction(tx)
      const failed = res instanceof FailedTransactionMetadata
      const meta = failed ? res.meta() : (res as TransactionMetadata)
      return { preBalances, err: failed ? toJsonError(res.err()) : null, ...metaOf(meta) }
    })
    const r = block.result!
    const record: TxRecord = {
      signature, slot: block.slot, blockTime: block.blockTime, wire, message, signatures, loaded, err: r.err, logs: r.logs,
      unitsConsumed: r.unitsConsumed, returnData: r.returnData, fee: LAMPORTS_PER_SIGNATURE * BigInt(message.header.numSignerAccounts),
      preBalances: r.preBalances, postBalances: keys.map((k) => this.svm.getBalance(k) ?? 0n),
    }
    this.#txs.set(signature, record)
    this.transactionCount++
    for (const k of new Set(keys)) {
      const list = this.#byAddress.get(k) ?? []
      list.push(signature)
      this.#byAddress.set(k, list)
    }
    this.emit('transaction', record)
    this.emit('slot', block.slot)
    return signature
  }

  /** Transfers `amount` lamports from the faucet in a real System transfer transaction. */
  async airdrop(to: Address, amount: bigint): Promise<string> {
    if (!this.#faucet) {
      this.#faucet = await generateKeyPairSigner()
      this.svm.setAccount({ address: this.#faucet.address, lamports: lamports(1n << 62n), data: new Uint8Array(), programAddress: SYSTEM_PROGRAM, executable: false, space: 0n } as never)
    }
    const faucet = this.#faucet
    const data = new Uint8Array(12)
    new DataView(data.buffer).setUint32(0, 2, true)
    new DataView(data.buffer).setBigUint64(4, amount, true)
    const { blockhash, lastValidBlockHeight } = this.latestBlockhash('processed')
    const msg = pipe(
      createTransactionMessage({ version: 0 }),
      (m) => setTransactionMessageFeePayerSigner(faucet, m),
      (m) => setTransactionMessageLifetimeUsingBlockhash({ blockhash: toBlockhash(blockhash), lastValidBlockHeight }, m),
      (m) => appendTransactionMessageInstruction({
        programAddress: SYSTEM_PROGRAM, data,
        accounts: [{ address: faucet.address, role: AccountRole.WRITABLE_SIGNER, signer: faucet }, { address: to, role: AccountRole.WRITABLE }],
      } as never, m),
    )
    const tx = await signTransactionMessageWithSigners(msg)
    return this.send(new Uint8Array(getTransactionEncoder().encode(tx)))
  }

  #produce<R>(signatures: string[], run?: () => R): Block & { result?: R } {
    const prev = this.blocks[this.blocks.length - 1]
    const slot = prev ? prev.slot + 1n : 0n
    this.#time = Math.max(this.#time, Math.floor(this.#opts.now() / 1000))
    if (prev) this.svm.warpToSlot(slot)
    const clock = this.svm.getClock()
    clock.unixTimestamp = BigInt(this.#time)
    this.svm.setClock(clock)
    const blockhash = b58.decode(createHash('sha256').update(this.#seed).update(slot.toString()).digest())
    const block: Block & { result?: R } = { slot, blockhash, previousBlockhash: prev?.blockhash ?? blockhash, parentSlot: prev?.slot ?? 0n, blockTime: this.#time, signatures }
    if (run) block.result = run()
    this.blocks.push({ slot, blockhash, previousBlockhash: block.previousBlockhash, parentSlot: block.parentSlot, blockTime: block.blockTime, signatures })
    this.#recent.set(blockhash, slot)
    // SlotHashes (newest first) lets programs such as the address lookup table program see recent slots.
    this.#slotHashes.unshift({ slot, hash: blockhash })
    if (this.#slotHashes.length > SLOT_HASHES_KEPT) this.#slotHashes.pop()
    this.svm.setSlotHashes(this.#slotHashes as never)
    const expired = slot - BigInt(this.#opts.blockhashValidity)
    if (expired >= 0n) this.#recent.delete(this.blocks[Number(expired)]!.blockhash)
    if (!run) this.emit('slot', slot)
    return block
  }

  #resolveLookups(message: TxRecord['message']): TxRecord['loaded'] {
    const loaded: TxRecord['loaded'] = { writable: [], readonly: [] }
    const lookups = 'addressTableLookups' in message ? (message.addressTableLookups ?? []) : []
    for (const l of lookups) {
      const acc = this.svm.getAccount(l.lookupTableAddress)
      if (!acc.exists) continue
      const at = (i: number) => b58.decode(acc.data.subarray(56 + 32 * i, 88 + 32 * i)) as Address
      loaded.writable.push(...l.writableIndexes.map(at))
      loaded.readonly.push(...l.readonlyIndexes.map(at))
    }
    return loaded
  }
}

function decodeTransaction(wire: Uint8Array): Transaction {
  if (wire.length > PACKET_DATA_SIZE) {
    throw new RpcError(RPC_CODE.invalidParams, `transaction too large: ${wire.length} bytes (max: raw ${PACKET_DATA_SIZE})`)
  }
  try {
    return getTransactionDecoder().decode(wire) as Transaction
  } catch (e) {
    throw new RpcError(RPC_CODE.invalidParams, `invalid transaction: failed to deserialize (${(e as Error).message})`)
  }
}

function metaOf(meta: TransactionMetadata): Omit<Simulation, 'err'> {
  const rd = meta.returnData()
  const data = rd.data()
  return {
    logs: meta.logs(), unitsConsumed: meta.computeUnitsConsumed(),
    returnData: data.length === 0 ? null : { programId: b58.decode(rd.programId()), data: [Buffer.from(data).toString('base64'), 'base64'] },
  }
}

const emptySim = (): Omit<Simulation, 'err'> => ({ logs: [], unitsConsumed: 0n, returnData: null })

function preflight(err: JsonTransactionError, sim: Omit<Simulation, 'err'>): RpcError {
  return new RpcError(RPC_CODE.sendTransactionPreflightFailure, `Transaction simulation failed: ${describeError(err)}`, {
    err, logs: sim.logs, accounts: null, unitsConsumed: sim.unitsConsumed, returnData: sim.returnData, innerInstructions: null,
  })
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>
}

