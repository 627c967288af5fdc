import * as core from '@bulwark/core'
import { encodeFunctionData, type Abi, type Address, type Hex, type PublicClient, type TransactionReceipt, type WalletClient } from 'viem'
import { TransactionStuckError, toCoreError } from './errors.js'
import { isNonceError, NonceTracker } from './nonce.js'

export type EvmSenderOptions = {
  /** Gas limit = estimate + this percentage (state may change before the transaction is mined). @default 25 */
  gasHeadroomPercent?: number
  /** How often the sender looks for a receipt of any version of its transaction, ms. @default 1000 */
  pollingInterval?: number
  /**
   * Give up waiting for a receipt this long after the first send, ms (fee bumps happen inside
   * this window; see `bumpAfterMs`).
   * @default 60000
   */
  receiptTimeoutMs?: number
  /** Re-send with the same nonce and higher fees when no version is mined after this long, ms. @default 12000 */
  bumpAfterMs?: number
  /** Fee increase per replacement, percent, rounded up (nodes refuse a replacement below +10). @default 20 */
  bumpPercent?: number
  /**
   * Replacements before giving up with TransactionStuck, which happens at whichever comes first:
   * `bumpAfterMs` after the last replacement, or `receiptTimeoutMs` after the first send.
   * @default 4
   */
  maxBumps?: number
  /** Resends after nonce errors (each resyncs the local nonce from the chain's pending count). @default 3 */
  nonceRetries?: number
  /** Called for every version the node accepted (first send: `bump` 0, then each replacement): logs, metrics, tests. */
  onSend?: (tx: SentTransaction) => void
}

/** A contract call: simulated, then sent. */
export type ContractCall = { address: Address; abi: Abi; functionName: string; args?: readonly unknown[]; value?: bigint }

export type Fees = { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }

export type SentTransaction = Fees & { functionName: string; nonce: number; hash: Hex; bump: number }

/** An operator's replace-and-bump settings, as the relayer's and the oracle node's configs give them. */
export type FeeBump = { afterMs: number; percent: number; maxBumps: number }

/**
 * The sender options for `feeBump`: re-send every `afterMs` with fees +`percent`, `maxBumps` times,
 * and give every bump its full wait, so TransactionStuck comes `afterMs` after the last one.
 */
export function feeBumpOptions(f: FeeBump): Required<Pick<EvmSenderOptions, 'bumpAfterMs' | 'bumpPercent' | 'maxBumps' | 'receiptTimeoutMs'>> {
  return { bumpAfterMs: f.afterMs, bumpPercent: f.percent, maxBumps: f.maxBumps, receiptTimeoutMs: (f.maxBumps + 1) * f.afterMs }
}

/** The mined version's receipt (its status may still be `reverted`), the nonce and every hash sent. */
export type SendResult = { receipt: TransactionReceipt; nonce: number; hashes: Hex[] }

type Slot = { nonce: number; floor?: Fees }
type InFlight = { nonce: number; fees: Fees; hashes: Hex[]; sentAt: number }

const DEFAULTS = { gasHeadroomPercent: 25, pollingInterval: 1_000, receiptTimeoutMs: 60_000, bumpAfterMs: 12_000, bumpPercent: 20, maxBumps: 4, nonceRetries: 3 }
/** Bounds of each option: [min, max]. */
const BOUNDS: Record<keyof typeof DEFAULTS, [number, number]> = {
  gasHeadroomPercent: [0, 1_000],
  pollingInterval: [1, 3_600_000],
  receiptTimeoutMs: [1, 86_400_000],
  bumpAfterMs: [1, 86_400_000],
  bumpPercent: [10, 1_000],
  maxBumps: [0, 100],
  nonceRetries: [0, 100],
}

/**
 * The one transaction sender for an EVM key (EvmChainAdapter's submissions and liquidations, the
 * relayer's deliveries). Every send is simulated and estimated first: a revert is core's typed
 * error (e.g. VaaAlreadyConsumed) and takes no nonce. Nonces are tracked locally (NonceTracker),
 * so several sends from one key can be in flight at once; a nonce error resyncs from the chain's
 * `pending` count and retries; a send refused before reaching the pool gives its nonce back.
 *
 * Replace-and-bump: a transaction with no mined version after `bumpAfterMs` is re-sent with the
 * same nonce and both fees raised by `bumpPercent`, up to `maxBumps` times, and whichever version
 * is mined is the result. If none is, TransactionStuckError is thrown and the nonce is kept as
 * stuck: the next send takes the lowest stuck nonce first and replaces the stuck version with its
 * own transaction (fees at least one bump above the stuck ones), so a stuck nonce never blocks
 * later transactions of the key for longer than until the next send. (Until then the stuck version
 * may still be mined: TransactionStuck says "not mined yet", not "never".) A stuck nonce that gets
 * mined anyway is dropped when the next send looks at the chain's `latest` count.
 */
export class EvmSender {
  readonly address: Address
  readonly #pub: PublicClient
  readonly #wallet: WalletClient
  readonly #o: typeof DEFAULTS
  readonly #onSend: ((tx: SentTransaction) => void) | undefined
  readonly #nonces: NonceTracker
  /** Nonces whose transaction was not mined, with the fees of their last version in the pool. */
  readonly #stuck = new Map<number, Fees>()

  constructor(clients: { publicClient: PublicClient; walletClient: WalletClient }, options: EvmSenderOptions = {}) {
    const account = clients.walletClient.account
    if (!account) throw new core.InvalidParameterError('the wallet client has no account to send from', { field: 'walletClient' })
    const o = { ...DEFAULTS }
    for (const key of Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[]) {
      const v = options[key]
      if (v === undefined) continue
      const [min, max] = BOUNDS[key]
      if (!Number.isSafeInteger(v) || v < min || v > max) throw new core.InvalidParameterError(`${key} must be an integer in [${min}, ${max}], got ${String(v)}`, { field: key })
      o[key] = v
    }
    this.#o = o
    this.#onSend = options.onSend
    this.address = account.address
    this.#pub = clients.publicClient
    this.#wallet = clients.walletClient
    this.#nonces = new NonceTracker(() => this.#pub.getTransactionCount({ address: this.address, blockTag: 'pending' }))
  }

  /**
   * Simulates `call`, sends it and waits for a mined version (bumping fees as configured). Throws
   * core's typed error for a revert in simulation, TransactionStuckError when no version was mined.
   */
  async send(call: ContractCall): Promise<SendResult> {
    const data = encodeFunctionData({ abi: call.abi, functionName: call.functionName, args: call.args ?? [] } as never)
    let retries = this.#o.nonceRetries
    for (;;) {
      const gas = await this.#estimate(call)
      const tx = await this.#sendFirst(call, data, gas, () => retries-- > 0)
      const result = await this.#wait(call, data, gas, tx)
      if (result !== 'nonce-taken') return result
      // another transaction of this key took the nonce: count again and send anew
      this.#nonces.resync()
      if (retries-- <= 0) throw new core.InvalidParameterError(`${call.functionName}: nonce ${tx.nonce} was used by another transaction of this key`, { field: 'nonce', details: tx.hashes.join(', ') })
    }
  }

  /** Simulation (typed revert, before any nonce is taken) and gas limit with headroom. */
  async #estimate(call: ContractCall): Promise<bigint> {
    const req = { account: this.#wallet.account!, address: call.address, abi: call.abi, functionName: call.functionName, args: call.args ?? [], value: call.value }
    let gas: bigint
    try {
      ;[, gas] = await Promise.all([this.#pub.simulateContract(req as never), this.#estimateGas(req)])
    } catch (e) {
      throw toCoreError(e, call.functionName)
    }
    return gas + (gas * BigInt(this.#o.gasHeadroomPercent)) / 100n
  }

  /**
   * On the node's default block (the pending one on anvil, whose timestamp is the next block's: a
   * call whose gas depends on the time, like a credit opening a new hour's window, is estimated
   * for the block it lands in). While this key has stuck transactions in the pool, a refusal there
   * is retried on `latest`: the pending state counts a stuck version as done, and the send that is
   * to replace it (often the same call, retried) would be refused.
   */
  async #estimateGas(req: object): Promise<bigint> {
    try {
      return await this.#pub.estimateContractGas(req as never)
    } catch (e) {
      if (this.#stuck.size === 0) throw e
      return this.#pub.estimateContractGas({ ...req, blockTag: 'latest' } as never)
    }
  }

  async #sendFirst(call: ContractCall, data: Hex, gas: bigint, mayRetry: () => boolean): Promise<InFlight> {
    for (;;) {
      const slot = await this.#take()
      try {
        const est = await this.#pub.estimateFeesPerGas()
        let fees: Fees = { maxFeePerGas: est.maxFeePerGas, maxPriorityFeePerGas: est.maxPriorityFeePerGas }
        if (slot.floor) fees = maxFees(fees, bumpFees(slot.floor, this.#o.bumpPercent))
        const hash = await this.#transmit(call, data, gas, slot.nonce, fees, 0)
        return { nonce: slot.nonce, fees, hashes: [hash], sentAt: Date.now() }
      } catch (e) {
        const nonceError = isNonceError(e)
        if (slot.floor) this.#stuck.set(slot.nonce, nonceError ? bumpFees(slot.floor, this.#o.bumpPercent) : slot.floor)
        else if (nonceError) this.#nonces.resync()
        else this.#nonces.release(slot.nonce)
        if (nonceError && mayRetry()) continue
        throw toCoreError(e, call.functionName)
      }
    }
  }

  /** The lowest stuck nonce (to be replaced), else the tracker's next one. */
  async #take(): Promise<Slot> {
    if (this.#stuck.size) {
      const mined = await this.#pub.getTransactionCount({ address: this.address, blockTag: 'latest' })
      for (const n of this.#stuck.keys()) if (n < mined) this.#stuck.delete(n)
      if (this.#stuck.size) {
        const nonce = Math.min(...this.#stuck.keys())
        const floor = this.#stuck.get(nonce)!
        this.#stuck.delete(nonce)
        return { nonce, floor }
      }
    }
    return { nonce: await this.#nonces.take() }
  }

  async #transmit(call: ContractCall, data: Hex, gas: bigint, nonce: number, fees: Fees, bump: number): Promise<Hex> {
    const w = this.#wallet
    const hash = await w.sendTransaction({ account: w.account!, chain: w.chain, to: call.address, data, value: call.value, gas, nonce, ...fees })
    this.#onSend?.({ functionName: call.functionName, nonce, hash, bump, ...fees })
    return hash
  }

  /** Waits for any version of `tx` to be mined, sending fee-bumped replacements on the way. */
  async #wait(call: ContractCall, data: Hex, gas: bigint, tx: InFlight): Promise<SendResult | 'nonce-taken'> {
    const { bumpAfterMs, maxBumps, bumpPercent, pollingInterval } = this.#o
    const deadline = tx.sentAt + this.#o.receiptTimeoutMs
    let nextBump = tx.sentAt + bumpAfterMs
    let bumps = 0
    let target = tx.fees
    let lastError: unknown
    for (;;) {
      const receipt = await this.#receipt(tx.hashes)
      if (receipt) return { receipt, nonce: tx.nonce, hashes: tx.hashes }
      const now = Date.now()
      if (now >= nextBump || now >= deadline) {
        if (await this.#nonceUsed(tx.nonce)) {
          const late = await this.#receipt(tx.hashes)
          return late ? { receipt: late, nonce: tx.nonce, hashes: tx.hashes } : 'nonce-taken'
        }
        if (now >= deadline || bumps >= maxBumps) {
          this.#stuck.set(tx.nonce, tx.fees)
          throw new TransactionStuckError(`${call.functionName}: nonce ${tx.nonce} not mined after ${bumps} fee bumps (${now - tx.sentAt} ms); the next send replaces it`, {
            field: 'maxFeePerGas',
            details: tx.hashes.join(', '),
            nonce: tx.nonce,
            hashes: [...tx.hashes],
            cause: lastError,
          })
        }
        bumps++
        target = bumpFees(target, bumpPercent)
        try {
          tx.hashes.push(await this.#transmit(call, data, gas, tx.nonce, target, bumps))
          tx.fees = target
        } catch (e) {
          lastError = e // e.g. a node's larger price-bump rule: the next bump goes higher
        }
        nextBump = Date.now() + bumpAfterMs
      }
      await sleep(Math.max(1, Math.min(pollingInterval, nextBump - Date.now(), deadline - Date.now())))
    }
  }

  /** The receipt of whichever of `hashes` is mined, else undefined. */
  async #receipt(hashes: readonly Hex[]): Promise<TransactionReceipt | undefined> {
    const found = await Promise.all(hashes.map((hash) => this.#pub.getTransactionReceipt({ hash }).catch(() => undefined)))
    return found.find((r) => r !== undefined)
  }

  /** Whether a mined transaction of this key already uses `nonce`. */
  async #nonceUsed(nonce: number): Promise<boolean> {
    const mined = await this.#pub.getTransactionCount({ address: this.address, blockTag: 'latest' }).catch(() => undefined)
    return mined !== undefined && mined > nonce
  }
}

/** `v` raised by `percent`, rounded up. */
export const bumpFee = (v: bigint, percent: number): bigint => (v * BigInt(100 + percent) + 99n) / 100n
const bumpFees = (f: Fees, percent: number): Fees => ({ maxFeePerGas: bumpFee(f.maxFeePerGas, percent), maxPriorityFeePerGas: bumpFee(f.maxPriorityFeePerGas, percent) })
const maxFees = (a: Fees, b: Fees): Fees => ({ maxFeePerGas: a.maxFeePerGas > b.maxFeePerGas ? a.maxFeePerGas : b.maxFeePerGas, maxPriorityFeePerGas: a.maxPriorityFeePerGas > b.maxPriorityFeePerGas ? a.maxPriorityFeePerGas : b.maxPriorityFeePerGas })
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
