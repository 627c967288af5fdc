import { WAD } from '../math/constants.js'
import { HealthBook, type ApproxSlack } from './health-book.js'

/** A min-heap of (key, account, version) with lazy deletion. */
class TriggerHeap {
  keys = new Float64Array(1024)
  ids = new Int32Array(1024)
  vers = new Int32Array(1024)
  n = 0

  push(key: number, id: number, ver: number): void {
    if (this.n === this.keys.length) this.#grow()
    let i = this.n++
    while (i > 0) {
      const p = (i - 1) >> 1
      if (this.keys[p]! <= key) break
      this.keys[i] = this.keys[p]!
      this.ids[i] = this.ids[p]!
      this.vers[i] = this.vers[p]!
      i = p
    }
    this.keys[i] = key
    this.ids[i] = id
    this.vers[i] = ver
  }

  /** Removes the top; the caller read it from index 0 first. */
  pop(): void {
    const n = --this.n
    if (n === 0) return
    const key = this.keys[n]!
    const id = this.ids[n]!
    const ver = this.vers[n]!
    let i = 0
    for (;;) {
      let c = 2 * i + 1
      if (c >= n) break
      if (c + 1 < n && this.keys[c + 1]! < this.keys[c]!) c++
      if (this.keys[c]! >= key) break
      this.keys[i] = this.keys[c]!
      this.ids[i] = this.ids[c]!
      this.vers[i] = this.vers[c]!
      i = c
    }
    this.keys[i] = key
    this.ids[i] = id
    this.vers[i] = ver
  }

  /** Drops entries whose version is stale, then re-heapifies. */
  compact(live: Int32Array): void {
    let w = 0
    for (let r = 0; r < this.n; r++) {
      if (this.vers[r] === live[this.ids[r]!]) {
        this.keys[w] = this.keys[r]!
        this.ids[w] = this.ids[r]!
        this.vers[w] = this.vers[r]!
        w++
      }
    }
    const n = w
    this.n = 0
    const k = this.keys.slice(0, n)
    const d = this.ids.slice(0, n)
    const v = this.vers.slice(0, n)
    for (let i = 0; i < n; i++) this.push(k[i]!, d[i]!, v[i]!)
  }

  #grow(): void {
    const k = new Float64Array(this.keys.length * 2)
    k.set(this.keys)
    const d = new Int32Array(this.ids.length * 2)
    d.set(this.ids)
    const v = new Int32Array(this.vers.length * 2)
    v.set(this.vers)
    this.keys = k
    this.ids = d
    this.vers = v
  }
}

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
 * re-inserted. Cost per tick: O(k log n) for the k accounts whose trigger was crossed.
 */
export class LiquidationIndex {
  readonly #heaps: TriggerHeap[]
  readonly #moved: Float64Array
  readonly #version: Int32Array
  readonly #feedsOf: number[][]
  readonly #members: Int32Array
  readonly #scratch: ApproxSlack = { slack: 0, mm: 0, magnitude: 0, exposure: 0 }
  /** Accounts currently liquidatable (exact), waiting for a keeper. */
  readonly liquidatable = new Set<number>()

  constructor(readonly book: HealthBook) {
    const feeds = book.feedPrice.length
    this.#heaps = Array.from({ length: feeds }, () => new TriggerHeap())
    this.#moved = new Float64Array(feeds)
    this.#version = new Int32Array(book.capacity)
    this.#feedsOf = new Array(book.capacity)
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
    for (const f of this.#feedsOf[i] ?? []) this.#members[f]!--
    this.#feedsOf[i] = [...feeds]
    for (const f of feeds) this.#members[f]!++
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
        for (const f of this.#feedsOf[i]!) this.#heaps[f]!.push(this.#moved[f]!, i, ver)
        const fresh = !this.liquidatable.has(i)
        this.liquidatable.add(i)
        return fresh
      }
    }
    this.liquidatable.delete(i)
    const distance = Math.log1p((o.slack > 0 ? o.slack : 0) / o.exposure)
    for (const f of this.#feedsOf[i]!) this.#heaps[f]!.push(this.#moved[f]! + distance, i, ver)
    return false
  }

  /** Applies a new price on `feed` and returns the accounts that became liquidatable. */
  onPrice(feed: number, price: bigint): TickResult {
    const before = this.book.feedPrice[feed]!
    this.book.setPrice(feed, price)
    const after = this.book.feedPrice[feed]!
    this.#moved[feed]! += Math.abs(Math.log(after / before))
    const level = this.#moved[feed]!
    const heap = this.#heaps[feed]!
    const popped: number[] = []
    while (heap.n > 0 && heap.keys[0]! <= level) {
      const id = heap.ids[0]!
      const ver = heap.vers[0]!
      heap.pop()
      if (ver === this.#version[id]) popped.push(id)
    }
    const liquidatable: number[] = []
    for (const id of popped) if (this.#arm(id)) liquidatable.push(id)
    // lazy deletion leaves stale entries behind; compact a heap once they outnumber live ones 2:1
    for (let f = 0; f < this.#heaps.length; f++) {
      const h = this.#heaps[f]!
      if (h.n > 3 * this.#members[f]! + 1024) h.compact(this.#version)
    }
    return { reevaluated: popped.length, liquidatable }
  }
}
