import { InvalidParameterError } from '../errors/input.js'
import { WAD } from '../math/constants.js'
import { HealthBook, type ApproxSlack } from './health-book.js'

/**
 * Trigger levels of one feed in buckets of fixed width: push is an append, popping a level takes
 * whole buckets below it and the entries of its own bucket at or below it. Entries carry the
 * account's version; stale ones are skipped (lazy deletion) and compacted away now and then.
 */
type Bucket = { keys: Float64Array; ids: Int32Array; vers: Int32Array; n: number }
const newBucket = (cap = 16): Bucket => ({ keys: new Float64Array(cap), ids: new Int32Array(cap), vers: new Int32Array(cap), n: 0 })

class TriggerQueue {
  readonly #buckets = new Map<number, Bucket>()
  #cur = 0
  size = 0

  constructor(readonly width: number) {}

  push(key: number, id: number, ver: number): void {
    let b = Math.floor(key / this.width)
    if (b < this.#cur) b = this.#cur
    let bk = this.#buckets.get(b)
    if (!bk) this.#buckets.set(b, (bk = newBucket()))
    if (bk.n === bk.keys.length) {
      const g = newBucket(bk.n * 2)
      g.keys.set(bk.keys)
      g.ids.set(bk.ids)
      g.vers.set(bk.vers)
      g.n = bk.n
      this.#buckets.set(b, (bk = g))
    }
    bk.keys[bk.n] = key
    bk.ids[bk.n] = id
    bk.vers[bk.n++] = ver
    this.size++
  }

  /** Calls `take(id, ver)` for every entry with key <= level, removing it. */
  popTo(level: number, take: (id: number, ver: number) => void): void {
    const last = Math.floor(level / this.width)
    for (let b = this.#cur; b <= last; b++) {
      const bk = this.#buckets.get(b)
      if (!bk) continue
      if (b < last) {
        for (let k = 0; k < bk.n; k++) take(bk.ids[k]!, bk.vers[k]!)
        this.size -= bk.n
        this.#buckets.delete(b)
      } else {
        this.#filter(bk, (k) => {
          if (bk.keys[k]! > level) return true
          take(bk.ids[k]!, bk.vers[k]!)
          return false
        })
      }
    }
    if (last > this.#cur) this.#cur = last
  }

  /** Keeps the entries for which `keep(k)` is true, in place. */
  #filter(bk: Bucket, keep: (k: number) => boolean): void {
    let w = 0
    for (let k = 0; k < bk.n; k++) {
      if (!keep(k)) continue
      bk.keys[w] = bk.keys[k]!
      bk.ids[w] = bk.ids[k]!
      bk.vers[w++] = bk.vers[k]!
    }
    this.size -= bk.n - w
    bk.n = w
  }

  /** Drops entries whose version is no longer the account's. */
  compact(live: Int32Array): void {
    for (const [b, bk] of this.#buckets) {
      this.#filter(bk, (k) => bk.vers[k] === live[bk.ids[k]!])
      if (bk.n === 0) this.#buckets.delete(b)
    }
  }
}

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
  readonly #heaps: TriggerQueue[]
  readonly #moved: Float64Array
  readonly #version: Int32Array
  /** Feeds each account depends on: `#feedCount[i]` entries at `#feedList[i * stride]`. */
  readonly #feedList: Uint8Array
  readonly #feedCount: Uint8Array
  readonly #stride: number
  readonly #members: Int32Array
  readonly #scratch: ApproxSlack = { slack: 0, mm: 0, magnitude: 0, exposure: 0 }
  /** Accounts currently liquidatable (exact), waiting for a keeper. */
  readonly liquidatable = new Set<number>()

  constructor(readonly book: HealthBook) {
    const feeds = book.feedPrice.length
    this.#heaps = Array.from({ length: feeds }, () => new TriggerQueue(TRIGGER_BUCKET))
    this.#moved = new Float64Array(feeds)
    this.#version = new Int32Array(book.capacity)
    if (feeds > 256) throw new InvalidParameterError('the index handles at most 256 feeds', { field: 'feeds' })
    this.#stride = book.C + book.P
    this.#feedList = new Uint8Array(book.capacity * this.#stride)
    this.#feedCount = new Uint8Array(book.capacity)
    this.#members = new Int32Array(feeds)
  }

  /** Indexes every account in the book at current prices (one full pass, at start-up only). */
  build(): void {
    for (let i = 0; i < this.book.size; i++) this.reindex(i)
  }

  /** Re-evaluates account `i` (after a trade, credit or liquidation) and re-arms its triggers. */
  reindex(i: number): void {
    const b = this.book
    const feeds = new Set<number>()
    for (let s = 0, j = i * b.C; s < b.C; s++, j++) if (b.colAmount[j] !== 0) feeds.add(b.config.assets[b.colAsset[j]!]!.feed)
    for (let s = 0, j = i * b.P; s < b.P; s++, j++) if (b.posSize[j] !== 0) feeds.add(b.config.markets[b.posMarket[j]!]!.feed)
    const o = i * this.#stride
    for (let k = 0; k < this.#feedCount[i]!; k++) this.#members[this.#feedList[o + k]!]!--
    let n = 0
    for (const f of feeds) {
      this.#feedList[o + n++] = f
      this.#members[f]!++
    }
    this.#feedCount[i] = n
    this.#arm(i)
  }

  #arm(i: number): boolean {
    const o = this.#scratch
    this.book.approxSlack(i, o)
    const ver = ++this.#version[i]!
    if (o.mm === 0) {
      this.liquidatable.delete(i)
      return false
    }
    if (HealthBook.nearOrBelow(o)) {
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
    const distance = Math.log1p((o.slack > 0 ? o.slack : 0) / o.exposure)
    this.#pushAll(i, distance, ver)
    return false
  }

  #pushAll(i: number, distance: number, ver: number): void {
    const o = i * this.#stride
    for (let k = 0; k < this.#feedCount[i]!; k++) {
      const f = this.#feedList[o + k]!
      this.#heaps[f]!.push(this.#moved[f]! + distance, i, ver)
    }
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
      for (let s = 0, j = i * b.P; s < b.P; s++, j++) {
        if (b.posSize[j] === 0 || b.posMarket[j] !== m) continue
        reevaluated++
        if (this.#arm(i)) liquidatable.push(i)
        break
      }
    }
    return { reevaluated, liquidatable }
  }

  /** Applies a new price on `feed` and returns the accounts that became liquidatable. */
  onPrice(feed: number, price: bigint): TickResult {
    const before = this.book.feedPrice[feed]!
    this.book.setPrice(feed, price)
    const after = this.book.feedPrice[feed]!
    this.#moved[feed]! += Math.abs(Math.log(after / before))
    const level = this.#moved[feed]!
    const popped: number[] = []
    const live = this.#version
    this.#heaps[feed]!.popTo(level, (id, ver) => {
      if (ver === live[id]) popped.push(id)
    })
    const liquidatable: number[] = []
    for (const id of popped) if (this.#arm(id)) liquidatable.push(id)
    // lazy deletion leaves stale entries behind; compact a heap once they outnumber live ones 2:1
    for (let f = 0; f < this.#heaps.length; f++) {
      const h = this.#heaps[f]!
      if (h.size > 3 * this.#members[f]! + 1024) h.compact(this.#version)
    }
    return { reevaluated: popped.length, liquidatable }
  }
}
