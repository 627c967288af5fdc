import { RateLimiter, WAD, type RateLimitConfig } from '@bulwark/core'
import type { Logger } from 'pino'
import { K, type Store } from '../store/store.js'

export type ChainLimit = { chain: number } & RateLimitConfig

type Event = { op: 'admit'; id: string; chain: number; notional: string; now: number } | { op: 'release'; now: number }

/**
 * Per-origin-chain inbound governor: one core RateLimiter per origin chain, made durable by
 * event sourcing. Every admit and every non-empty release is appended to the store (synced) before
 * its result is used; on start the log is replayed through fresh limiters with the same `now`
 * values, which rebuilds exactly the same windows and queue. Nothing is ever dropped: a queued
 * transfer comes back from {@link release} once capacity frees or its delay passes. Chains
 * without a configured limit are not governed.
 */
export class Governor {
  readonly #limiters = new Map<number, RateLimiter<null>>()
  #seq = 0

  constructor(readonly limits: readonly ChainLimit[], readonly store: Store, readonly log: Logger) {
    this.#reset()
  }

  #reset(): void {
    this.#limiters.clear()
    for (const l of this.limits) this.#limiters.set(l.chain, new RateLimiter<null>(l))
  }

  /** Notional charged for a transfer that cannot be priced: just above the large-transfer bar, so it waits out the delay. */
  unpricedNotional(chain: number): bigint {
    const l = this.limits.find((x) => x.chain === chain)
    return l === undefined ? 1n : l.largeTransfer + 1n
  }

  governs(chain: number): boolean {
    return this.#limiters.has(chain)
  }

  async load(): Promise<void> {
    this.#reset()
    const events = await this.store.list<Event>(K.governorPrefix)
    for (const [, e] of events) this.#apply(e)
    this.#seq = events.length
  }

  /** Admits a transfer of `notional` (WAD USD) from `chain`: credited now, or queued. */
  async admit(id: string, chain: number, notional: bigint, now: number): Promise<'credited' | 'queued'> {
    const limiter = this.#limiters.get(chain)
    if (limiter === undefined) return 'credited'
    const e: Event = { op: 'admit', id, chain, notional: notional.toString(), now }
    const result = limiter.admit(id, chain, notional, now, null)
    await this.store.commit([{ type: 'put', key: K.governor(this.#seq++), value: e }])
    if (result === 'queued') this.log.info({ id, chain, notionalUsd: Number(notional / WAD) }, 'transfer held by the governor')
    return result
  }

  /** Ids of queued transfers released at `now` (durably recorded before they are returned). */
  async release(now: number): Promise<string[]> {
    const released: string[] = []
    for (const l of this.#limiters.values()) for (const r of l.releaseDue(now)) released.push(r.id)
    if (released.length > 0) await this.store.commit([{ type: 'put', key: K.governor(this.#seq++), value: { op: 'release', now } satisfies Event }])
    return released
  }

  queued(): { id: string; chain: number; notional: bigint; queuedAt: number }[] {
    return [...this.#limiters.values()].flatMap((l) => l.queued.map((q) => ({ id: q.id, chain: q.chain, notional: q.notional, queuedAt: q.queuedAt })))
  }

  #apply(e: Event): void {
    if (e.op === 'admit') this.#limiters.get(e.chain)?.admit(e.id, e.chain, BigInt(e.notional), e.now, null)
    else for (const l of this.#limiters.values()) l.releaseDue(e.now)
  }
}
