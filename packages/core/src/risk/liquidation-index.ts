import { InvalidParameterError } from '../errors/input.js'
import { WAD } from '../math/constants.js'
import { HealthBook, SCREEN_TOLERANCE, type ApproxSlack } from './health-book.js'
import { TriggerBuckets } from './trigger-buckets.js'

/** Width of a trigger bucket in cumulative log-move units (5 bps). */
export const TRIGGER_BUCKET = 0.0005

export type TickResult = {
  /** Accounts whose trigger was crossed and that were re-evaluated. */
  reevaluated: number
  /** Accounts the exact check confirmed liquidatable after this tick. */
  liquidatable: number[]
}

/**
 * Finds the accounts a price tick made liquidatable without rescanning the book.
 *
 * Every feed keeps its cumulative absolute log move L_f = sum |ln(p_t / p_t-1)| (monotone). Since
 * then |p - p0| <= p0 (e^dL - 1). An account evaluated at L_f(t0) with float slack S = equity - mmReq
 * and exposure E = sum_f |d slack / d p_f| p_f0 cannot lose its slack until some feed's dL reaches
 * ln(1 + S / E): if every feed moved less, the slack fell by less than sum_f D_f p_f0 (S / E) = S.
 * So the account waits in each of its feeds' heaps keyed by L_f(t0) + ln(1 + S / E), and a tick
 * on feed f pops only the accounts whose key it crossed. Those are re-evaluated (float screen, then exact bigint math near the threshold) and
 * re-inserted. Cost per tick: O(k) for the k accounts whose trigger was crossed (bucketed queues, no log factor).
 */
export class LiquidationIndex {
  readonly #queues: TriggerBuckets
  readonly #moved: Float64Array
  /** Per account: version mod 256 (entries carrying another one are stale), entries it has queued. */
  readonly #version: Uint8Array
  readonly #queued: Uint8Array
  /** Entries of current versions across all feeds (the rest of the queues is stale). */
  #live = 0
  /** Entries pushed since the last compaction step (sets its budget). */
  #pushed = 0
  readonly #feeds: Uint8Array
  readonly #scratch: ApproxSlack = { slack: 0, mm: 0, magnitude: 0, exposure: 0 }
  /** Accounts currently liquidatable (exact), waiting for a keeper. */
  readonly liquidatable = new Set<number>()

  constructor(readonly book: HealthBook) {
    const feeds = book.feedPrice.length
    if (feeds > 256) throw new InvalidParameterError('the index handles at most 256 feeds', { field: 'feeds' })
    this.#queues = new TriggerBuckets(feeds, TRIGGER_BUCKET)
    this.#moved = new Float64Array(feeds)
    this.#version = new Uint8Array(book.capacity)
    this.#queued = new Uint8Array(book.capacity)
    this.#feeds = new Uint8Array(book.C + book.P)
  }

  /** Indexes every account in the book at current prices (one full pass, at start-up only). */
  build(): void {
    for (let i = 0; i < this.book.size; i++) this.#arm(i)
  }

  /** Re-evaluates account `i` (after a trade, credit or liquidation) and re-arms its triggers. */
  reindex(i: number): void {
    this.#arm(i)
  }

  /** Queue entries held, and how many of them are current (the rest is stale, awaiting compaction). */
  get entries(): { total: number; live: number } {
    return { total: this.#queues.size, live: this.#live }
  }

  /** Bytes of the index's per-account arrays and of its trigger entries. */
  footprint(): Record<string, number> {
    return { version: this.#version.byteLength, queued: this.#queued.byteLength, triggerSlabs: this.#queues.footprint().slabBytes }
  }

  #arm(i: number): boolean {
    const o = this.#scratch
    this.book.approxSlack(i, o)
    const ver = (this.#version[i]! + 1) & 255
    this.#version[i] = ver
    this.#live -= this.#queued[i]!
    this.#queued[i] = 0
    if (o.mm === 0) {
      this.liquidatable.delete(i)
      return false
    }
    const tolerance = o.magnitude * SCREEN_TOLERANCE + 1e-9
    if (o.slack <= tolerance) {
      const h = this.book.exactHealth(i)
      if (h.health < WAD) {
        // stays armed at distance 0: any move on its feeds re-checks it (it may recover)
        this.#pushAll(i, 0, ver)
        const fresh = !this.liquidatable.has(i)
        this.liquidatable.add(i)
        return fresh
      }
    }
    this.liquidatable.delete(i)
    // the float slack may overstate the exact one by the screen's tolerance: take it off, and
    // round the exposure up, so the trigger can only fire early
    const distance = Math.log1p(Math.max(0, o.slack - tolerance) / (o.exposure * (1 + 1e-12)))
    this.#pushAll(i, distance, ver)
    return false
  }

  #pushAll(i: number, distance: number, ver: number): void {
    const n = this.book.feedsOf(i, this.#feeds)
    for (let k = 0; k < n; k++) {
      const f = this.#feeds[k]!
      this.#queues.push(f, this.#moved[f]! + distance, i, ver)
    }
    this.#queued[i] = n
    this.#live += n
    this.#pushed += n
  }

  /**
   * Applies a new volatility multiplier to market `m`: requirements change for every account with
   * a position there, so those are re-evaluated and re-armed (O(accounts in the market); rare).
   */
  onMultiplier(m: number, multiplier: bigint): TickResult {
    this.book.setMarketMultiplier(m, multiplier)
    const b = this.book
    const liquidatable: number[] = []
    let reevaluated = 0
    for (let i = 0; i < b.size; i++) {
      if (!b.hasPosition(i, m)) continue
      reevaluated++
      if (this.#arm(i)) liquidatable.push(i)
    }
    this.#compact()
    return { reevaluated, liquidatable }
  }

  /** Applies a new price on `feed` and returns the accounts that became liquidatable. */
  onPrice(feed: number, price: bigint): TickResult {
    const before = this.book.feedPrice[feed]!
    this.book.setPrice(feed, price)
    const after = this.book.feedPrice[feed]!
    this.#moved[feed]! += Math.abs(Math.log(after / before))
    const popped: number[] = []
    const live = this.#version
    this.#queues.popTo(feed, this.#moved[feed]!, (id, ver) => {
      if (ver === live[id]) popped.push(id)
    })
    const liquidatable: number[] = []
    for (const id of popped) if (this.#arm(id)) liquidatable.push(id)
    this.#compact()
    return { reevaluated: popped.length, liquidatable }
  }

  /**
   * Lazy deletion leaves an account's entries on its other feeds behind when it is re-armed. Once
   * they pass a quarter of the live entries, every tick scans a few buckets: four entries for each
   * one pushed since the last step, so a full round of the queues ends before the stale entries
   * grow by another quarter, and no tick pays for compacting a whole queue at once.
   */
  #compact(): void {
    const stale = this.#queues.size - this.#live
    if (stale > (this.#live >> 2) + 1024) this.#queues.compactSome(this.#version, 4 * this.#pushed + 1024)
    this.#pushed = 0
  }
}
