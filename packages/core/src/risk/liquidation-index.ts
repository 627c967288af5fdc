import { InvalidParameterError } from '../errors/input.js'
import { WAD } from '../math/constants.js'
import { feedSensitivity, HealthBook, SCREEN_TOLERANCE, type ApproxSlack, type FeedSensitivity } from './health-book.js'
import { TriggerBuckets } from './trigger-buckets.js'

/** Width of a trigger bucket in log-price units (5 bps). */
export const TRIGGER_BUCKET = 0.0005

export type TickResult = {
  /** Accounts whose trigger was crossed and that were re-evaluated. */
  reevaluated: number
  /** Crossed triggers that took their account's reserve and moved further out instead (no re-evaluation). */
  deferred: number
  /** Accounts this tick made liquidatable (exact: the float screen decides outside its error band, bigint math inside it). */
  liquidatable: number[]
}

/**
 * Float error allowed for in the logs of prices and in the trigger arithmetic, in log-price units
 * (every trigger is placed this much closer; ln p of a double is within 1e-14 of the exact one).
 */
const LOG_EPSILON = 1e-12
/**
 * Share of an account's slack that may pay off whole feed terms (collateral, longs: a price cannot
 * fall below 0) so that they need no trigger. Measured on the stressed 1M book: 0.03 holds 25% fewer
 * trigger entries (3.98M live vs 5.32M) for 2% more re-evaluations a tick; 0.1 holds 35% fewer for 8% more.
 */
const BUY_OUT = 0.03
/**
 * Share of an account's slack (after BUY_OUT) held back from the per-feed shares as a reserve:
 * the first trigger of the account to fire takes it (its entry moves out to where the feed has used
 * its share plus the reserve, in whole FURTHER_UNITs rounded down, carried in the entry's extra
 * byte; NO_FURTHER when share + reserve cover the whole term of a feed that can only fall) and the
 * account is not re-evaluated. So whichever feed moves first gets the reserve. The claim is a bit of
 * the account's entry count (CLAIMED; the count itself is below 2 (C + P) <= 60, COUNT). Measured on
 * the stressed 1M book: 1,285 re-evaluations a tick without a reserve, 974 with 0.1, 915 with 0.2,
 * 926 with 0.25, 958 with 0.3, 1,324 with 0.5 (the shares shrink as the reserve grows).
 */
const RESERVE = 0.2
const FURTHER_UNIT = 1e-4
const NO_FURTHER = 255
const CLAIMED = 128
const COUNT = 127
/** The extra byte for a trigger that may move `dd` further out (0: it may not). */
const further = (dd: number): number => {
  const u = Math.floor(dd / FURTHER_UNIT)
  return u < 1 ? 0 : u > 254 ? 254 : u
}
/** Accounts whose memory onPrice loads together before re-evaluating them one by one. */
const TOUCH_BATCH = 8
/** Most stale-entry scanning one tick does (see #compact). */
const COMPACT_PER_TICK = 32_768
/**
 * How an account's slack is shared among its feeds: feed f gets a share proportional to e_f^(2/3),
 * e_f its term |g_f| p_f. Equal distances (e_f^1) fire every feed at once, the feed an account barely
 * depends on as early as the one that carries its risk; a trigger at distance d on a random walk is
 * reached after ~d^2 steps, and sum_f 1/d_f^2 under sum_f e_f d_f = S is least for d_f ~ e_f^(-1/3).
 * Measured on the stressed 1M book (bench, before BUY_OUT and RESERVE): 2,457 re-evaluations a tick
 * with e^1, 1,262 with e^(2/3), 1,287 with e^(1/2), 1,452 with e^(1/3); 3,606 with equal shares.
 * Any positive weights are exact (the shares sum to the budget).
 */
const share = (e: number): number => {
  const c = Math.cbrt(e)
  return c * c
}

/**
 * Finds the accounts a price tick made liquidatable without rescanning the book.
 *
 * The slack of an account, S = equity - mmReq, is linear in each feed's price: S(p) = c + sum_f a_f p_f.
 * Armed at prices p0, with the float screen's tolerance taken off (S' = S - tol), it is shared
 * among the account's feeds and a reserve (S' = sum_f s_f + R), and each feed gets one trigger on
 * its adverse side only: for a_f > 0 (collateral, a long) the price falling to p0_f e^-d_f with e_f (1 - e^-d_f) = s_f
 * (none if s_f >= e_f: even a price of 0 cannot take more than the share), for a_f < 0 (a short)
 * the price rising to p0_f e^d_f with e_f (e^d_f - 1) = s_f, where e_f = |a_f| p0_f (plus its float
 * error bound; a feed whose sign the error leaves open gets both sides). While no trigger is
 * crossed, every feed took at most its share and a favourable move only adds: S(p) >= S(p0) - S'
 * >= tol, so the account is not liquidatable. The first trigger to fire may instead take R and move
 * to where its feed has used s_f + R (at most one feed per arming: the sum stays S'). A
 * liquidatable account is re-checked on any favourable move (both sides when it is within the
 * tolerance of 0), since it may recover.
 *
 * Triggers are kept by price level, not by how far a price has travelled: a price that goes down
 * and back up crosses nothing twice. Each feed has two queues of triggers keyed by log price,
 * rising (key ln p0 + d) and falling (key -ln p0 + d); a tick on feed f pops the entries its new
 * level crossed in one of them (bucketed queues: O(k) for the k crossed triggers, no log factor);
 * those accounts are re-evaluated and re-armed. The float slack is within ~1e-14 of the magnitude
 * of the exact one, far inside the screen's tolerance (1e-9 of it, + 1e-9 USD): outside that band
 * the float decides either way; inside it, exact bigint math (evaluateAccount) does.
 * Prices must change through onPrice once the index is built (build() takes the book's prices).
 */
export class LiquidationIndex {
  /** Queue 2f: triggers on feed f's price rising (key ln p + d); queue 2f + 1: falling (key -ln p + d). */
  readonly #queues: TriggerBuckets
  /** ln of each feed's price as the queues know it (set by build and onPrice). */
  readonly #level: Float64Array
  #synced = false
  /** Per account: version mod 256 (entries carrying another one are stale), entries it has queued. */
  readonly #version: Uint8Array
  readonly #queued: Uint8Array
  /** Entries of current versions across all feeds (the rest of the queues is stale). */
  #live = 0
  /** Entries pushed since the last compaction step, and entries the compaction still owes a scan. */
  #pushed = 0
  #owed = 0
  readonly #scratch: ApproxSlack = { slack: 0, mm: 0, magnitude: 0, exposure: 0 }
  readonly #sens: FeedSensitivity
  readonly #share: Float64Array
  /** Keeps the batch loads of onPrice observable (so they are not optimized away). */
  #sink = 0
  /** Scratch of onPrice: the accounts a tick popped. */
  #popped = new Int32Array(1024)
  /** Accounts currently liquidatable (exact), waiting for a keeper. */
  readonly liquidatable = new Set<number>()

  constructor(readonly book: HealthBook) {
    const feeds = book.feedPrice.length
    if (feeds > 256) throw new InvalidParameterError('the index handles at most 256 feeds', { field: 'feeds' })
    this.#queues = new TriggerBuckets(2 * feeds, TRIGGER_BUCKET)
    this.#level = new Float64Array(feeds)
    this.#version = new Uint8Array(book.capacity)
    this.#queued = new Uint8Array(book.capacity)
    this.#sens = feedSensitivity(book)
    this.#share = new Float64Array(book.C + book.P)
  }

  /** Takes the book's current prices as the queues' levels (an unpriced feed sits at level 0). */
  #sync(): void {
    const fp = this.book.feedPrice
    for (let f = 0; f < fp.length; f++) {
      const lv = fp[f]! > 0 ? Math.log(fp[f]!) : 0
      this.#level[f] = lv
      this.#queues.start(2 * f, lv)
      this.#queues.start(2 * f + 1, -lv)
    }
    this.#synced = true
  }

  /** Indexes every account in the book at current prices (one full pass, at start-up only). */
  build(): void {
    // every account is re-armed below: entries from before are all stale
    this.#sync()
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
    if (!this.#synced) this.#sync()
    const o = this.#scratch
    this.book.approxSlack(i, o, this.#sens)
    const ver = (this.#version[i]! + 1) & 255
    this.#version[i] = ver
    this.#live -= this.#queued[i]! & COUNT
    this.#queued[i] = 0
    if (o.mm === 0) {
      this.liquidatable.delete(i)
      return false
    }
    const tolerance = o.magnitude * SCREEN_TOLERANCE + 1e-9
    if (o.slack <= tolerance) {
      // the float slack is within ~1e-14 of the magnitude of the exact one, far inside the
      // tolerance: below -tolerance the account is liquidatable by exact math too; only inside the
      // band does exact math decide
      if (o.slack < -tolerance || this.book.exactHealth(i).health < WAD) {
        // re-checked on any favourable move (it may recover); within the tolerance, on any move
        this.#count(i, this.#pushRecovery(i, ver, o.slack >= -tolerance))
        const fresh = !this.liquidatable.has(i)
        this.liquidatable.add(i)
        return fresh
      }
    }
    this.liquidatable.delete(i)
    // the float slack may overstate the exact one by the screen's tolerance: take it off
    this.#count(i, this.#pushTriggers(i, Math.max(0, o.slack - tolerance), ver))
    return false
  }

  #count(i: number, pushed: number): void {
    this.#queued[i] = pushed
    this.#live += pushed
    this.#pushed += pushed
  }

  /** Pushes a trigger on feed `f`'s rising (or falling) queue, `d` above its level (less the float allowance). */
  #push(i: number, f: number, rising: boolean, d: number, ver: number, extra = 0): void {
    const lv = this.#level[f]!
    const dd = d > LOG_EPSILON ? d - LOG_EPSILON : 0
    this.#queues.push(rising ? 2 * f : 2 * f + 1, rising ? lv + dd : dd - lv, i, ver, extra)
  }

  /**
   * One trigger per feed on its adverse side, at the distance where the feed has used its share of
   * `budget`; returns how many were pushed. The distances use lower bounds of the logs,
   * ln(1 + x) >= 2x / (2 + x) and -ln(1 - x) >= 2x / (2 - x) (x in [0, 1)), within x^3 / 12 of them.
   */
  #pushTriggers(i: number, budget: number, ver: number): number {
    const { n, net, err, feeds } = this.#sens
    const shares = this.#share
    // a feed whose slack can only fall with its price and whose whole term fits in BUY_OUT of the
    // budget is given its whole term: even a price of 0 cannot take more, so it needs no trigger
    let bought = 0
    let total = 0
    for (let k = 0; k < n; k++) {
      const g = net[k]!
      const term = (g < 0 ? err[k]! - g : g + err[k]!) * (1 + 1e-12)
      if (g > err[k]! && bought + term <= BUY_OUT * budget) {
        bought += term
        shares[k] = -1
        continue
      }
      const s = share(term)
      shares[k] = s
      total += s
    }
    budget -= bought
    // the reserve: held back from the shares, it goes to the first feed whose trigger fires
    const reserve = budget * RESERVE
    budget -= reserve
    let pushed = 0
    for (let k = 0; k < n; k++) {
      const f = feeds[k]!
      const g = net[k]!
      const e = err[k]!
      if (shares[k]! < 0) continue
      const term = (g < 0 ? e - g : g + e) * (1 + 1e-12)
      // the share's fraction of the feed's term, rounded down (the trigger can only fire early)
      const s = budget * (shares[k]! / total)
      const x = s / term
      const y = (s + reserve) / term
      if (g > e) {
        // slack rises with the price: only a fall costs, and at most the whole term
        if (x < 1) {
          const d = (2 * x) / (2 - x)
          this.#push(i, f, false, d, ver, y >= 1 ? NO_FURTHER : further((2 * y) / (2 - y) - d))
          pushed++
        }
      } else if (g < -e) {
        const d = (2 * x) / (2 + x)
        this.#push(i, f, true, d, ver, further((2 * y) / (2 + y) - d))
        pushed++
      } else {
        // the float error leaves the sign open: both sides, and no reserve
        const d = (2 * x) / (2 + x)
        this.#push(i, f, true, d, ver)
        this.#push(i, f, false, d, ver)
        pushed += 2
      }
    }
    return pushed
  }

  /** A liquidatable account: triggers at distance 0 on each feed's favourable side (both sides if `anyMove` or the sign is open). */
  #pushRecovery(i: number, ver: number, anyMove: boolean): number {
    const { n, net, err, feeds } = this.#sens
    let pushed = 0
    for (let k = 0; k < n; k++) {
      const g = net[k]!
      if (anyMove || g >= -err[k]!) {
        this.#push(i, feeds[k]!, true, 0, ver)
        pushed++
      }
      if (anyMove || g <= err[k]!) {
        this.#push(i, feeds[k]!, false, 0, ver)
        pushed++
      }
    }
    return pushed
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
    return { reevaluated, deferred: 0, liquidatable }
  }

  /** Applies a new price on `feed` and returns the accounts that became liquidatable. */
  onPrice(feed: number, price: bigint): TickResult {
    if (!this.#synced) this.#sync()
    this.book.setPrice(feed, price)
    const lv = Math.log(this.book.feedPrice[feed]!)
    this.#level[feed] = lv
    // the current entries popped, re-evaluated in slot order (the book's and the index's
    // per-account arrays are then read in one direction)
    let popped = this.#popped
    let np = 0
    const live = this.#version
    const queued = this.#queued
    // triggers moved out by a claim: (id, queue, key, version), pushed once the pops are done
    const claims: number[] = []
    let dropped = 0
    let queue = 2 * feed
    let level = lv
    const take = (id: number, ver: number, key: number, extra: number) => {
      if (ver !== live[id]) return
      if (extra !== 0 && (queued[id]! & CLAIMED) === 0) {
        // the first of the account's triggers to fire takes the reserve: it moves further out
        // (or, when the reserve covers the whole term, goes) and the account is not re-evaluated
        const next = extra === NO_FURTHER ? Infinity : key + extra * FURTHER_UNIT
        if (next > level) {
          queued[id] = queued[id]! | CLAIMED
          if (next === Infinity) {
            // (a stale entry whose version wrapped around may claim too: that only wastes the
            // reserve, and the count must not go below 0)
            if ((queued[id]! & COUNT) > 0) {
              queued[id] = queued[id]! - 1
              this.#live--
            }
            dropped++
          } else {
            claims.push(id, queue, next, ver)
          }
          return
        }
      }
      if (np === popped.length) {
        const grown = new Int32Array(2 * popped.length)
        grown.set(popped)
        this.#popped = popped = grown
      }
      popped[np++] = id
    }
    this.#queues.popTo(queue, level, take)
    queue = 2 * feed + 1
    level = -lv
    this.#queues.popTo(queue, level, take)
    const deferred = claims.length / 4 + dropped
    for (let k = 0; k < claims.length; k += 4) {
      // an account popped again in this tick was re-armed with a new version: the claim is stale
      this.#queues.push(claims[k + 1]!, claims[k + 2]!, claims[k]!, claims[k + 3]!)
      this.#pushed++
    }
    const order = popped.subarray(0, np).sort()
    const liquidatable: number[] = []
    let reevaluated = 0
    const book = this.book
    let sink = 0
    for (let k = 0; k < np; k++) {
      if ((k & (TOUCH_BATCH - 1)) === 0) {
        // the next batch's memory, loaded together (see HealthBook.touch)
        for (let j = k; j < k + TOUCH_BATCH && j < np; j++) sink += book.touch(order[j]!) + queued[order[j]!]!
        this.#sink = sink
      }
      const id = order[k]!
      // an account popped from both queues (a trigger at distance 0 on each side) is re-armed once
      if (k > 0 && order[k - 1] === id) continue
      reevaluated++
      if (this.#arm(id)) liquidatable.push(id)
    }
    this.#compact()
    return { reevaluated, deferred, liquidatable }
  }

  /**
   * Lazy deletion leaves an account's entries on its other feeds behind when it is re-armed. Once
   * they pass a quarter of the live entries, ticks scan a few buckets: four entries for each one
   * pushed, so a full round of the queues ends before the stale entries grow by another quarter.
   * The scanning is owed, not done at once: a tick scans at most COMPACT_PER_TICK entries, none if
   * it pushed more than that, and the light ticks pay off what a heavy one owes (a tick that re-arms
   * 12,000 accounts would otherwise scan ~200,000 entries), unless stale entries outnumber live ones.
   */
  #compact(): void {
    const stale = this.#queues.size - this.#live
    if (stale > (this.#live >> 2) + 1024) {
      this.#owed += 4 * this.#pushed + 1024
      // a tick that re-armed many accounts scans nothing (it is the slow one); the next ones pay
      const budget = stale > this.#live ? this.#owed : this.#pushed > COMPACT_PER_TICK ? 0 : Math.min(this.#owed, COMPACT_PER_TICK)
      this.#queues.compactSome(this.#version, budget)
      this.#owed -= budget
    } else this.#owed = 0
    this.#pushed = 0
  }
}
