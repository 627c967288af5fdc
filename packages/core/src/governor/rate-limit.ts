import { InvalidAmountError, InvalidParameterError, ZeroAmountError } from '../errors/input.js'

export type RateLimitConfig = {
  /** Notional (WAD USD) per origin chain per rolling window. */
  limit: bigint
  /** A single transfer above this is delayed regardless of capacity. */
  largeTransfer: bigint
  /** Seconds a queued transfer waits before it is released anyway. @default 86400 */
  delay: number
  /** Rolling window length in seconds. @default 86400 */
  window: number
}

export type RateLimitEntry<T> = { id: string; chain: number; notional: bigint; queuedAt: number; item: T }

/**
 * Wormhole-governor-style inbound limiter: per origin chain, the notional credited over a rolling
 * window stays under `limit`; excess and large transfers are queued, then released when capacity
 * frees or their delay passes. Nothing is ever dropped: every admitted item is either returned as
 * credited now or later by {@link releaseDue}.
 */
export class RateLimiter<T> {
  readonly #flows = new Map<number, { t: number; notional: bigint }[]>()
  readonly #queue: RateLimitEntry<T>[] = []
  readonly #ids = new Set<string>()

  constructor(readonly config: RateLimitConfig) {
    if (config.limit <= 0n) throw new InvalidParameterError('limit must be positive', { field: 'limit' })
    if (config.largeTransfer <= 0n) throw new InvalidParameterError('largeTransfer must be positive', { field: 'largeTransfer' })
    if (!(config.delay >= 0 && config.window > 0)) throw new InvalidParameterError('delay >= 0 and window > 0 required', { field: 'window' })
  }

  /** Notional credited from `chain` within the window ending at `now`. */
  used(chain: number, now: number): bigint {
    const flows = (this.#flows.get(chain) ?? []).filter((f) => f.t > now - this.config.window)
    this.#flows.set(chain, flows)
    return flows.reduce((s, f) => s + f.notional, 0n)
  }

  /** Admits one transfer: `credited` now, or `queued` for later. A repeated id is refused. */
  admit(id: string, chain: number, notional: bigint, now: number, item: T): 'credited' | 'queued' {
    if (notional === 0n) throw new ZeroAmountError('notional must be positive', { field: 'notional' })
    if (notional < 0n) throw new InvalidAmountError('notional must be positive', { field: 'notional' })
    if (this.#ids.has(id)) throw new InvalidParameterError(`transfer ${id} was already admitted`, { field: 'id' })
    this.#ids.add(id)
    const fits = this.used(chain, now) + notional <= this.config.limit
    if (fits && notional <= this.config.largeTransfer && !this.#queue.some((q) => q.chain === chain)) {
      this.#flows.get(chain)!.push({ t: now, notional })
      return 'credited'
    }
    this.#queue.push({ id, chain, notional, queuedAt: now, item })
    return 'queued'
  }

  /** Releases queued transfers, oldest first per chain: delay passed, or capacity frees (not large). */
  releaseDue(now: number): RateLimitEntry<T>[] {
    const released: RateLimitEntry<T>[] = []
    const blocked = new Set<number>()
    for (const q of [...this.#queue]) {
      if (blocked.has(q.chain)) continue
      const delayed = now >= q.queuedAt + this.config.delay
      const capacity = q.notional <= this.config.largeTransfer && this.used(q.chain, now) + q.notional <= this.config.limit
      if (delayed || capacity) {
        this.#queue.splice(this.#queue.indexOf(q), 1)
        this.#flows.get(q.chain)!.push({ t: now, notional: q.notional })
        released.push(q)
      } else {
        blocked.add(q.chain)
      }
    }
    return released
  }

  get queued(): readonly RateLimitEntry<T>[] {
    return this.#queue
  }
}
