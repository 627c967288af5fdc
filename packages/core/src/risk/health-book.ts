import { InvalidParameterError, InvalidPriceError } from '../errors/input.js'
import { UnknownAccountError } from '../errors/margin.js'
import { WAD } from '../math/constants.js'
import { evaluateAccount, type AccountHealth } from './margin.js'
import type { Account, AssetConfig, MarketConfig, RiskContext } from './types.js'

/** An asset as the book sees it: which price feed values it. */
export type BookAsset = Omit<AssetConfig, 'price'> & { feed: number }
/** A market as the book sees it: which price feed marks it. */
export type BookMarket = Omit<MarketConfig, 'markPrice'> & { feed: number }

export type HealthBookConfig = {
  capacity: number
  feeds: number
  assets: BookAsset[]
  markets: BookMarket[]
  /** Most collateral entries an account may hold (at most 15). @default 5 */
  collateralSlots?: number
  /** Most positions an account may hold (at most 15). @default 3 */
  positionSlots?: number
}

/**
 * Float view of an account: equity - mmReq (USD), mmReq, the size of the terms summed (for the
 * error bound), and exposure = sum over feeds of |d slack / d price_f| x price_f (USD per 100% move).
 */
export type ApproxSlack = { slack: number; mm: number; magnitude: number; exposure: number }

/**
 * Per-feed view of an account's slack, filled by approxSlack when asked: for each of the `n` feeds
 * the account depends on, `net[k]` = d slack / d ln p of feed `feeds[k]` (USD per 100% move, signed:
 * > 0 when the slack rises with the price) and `err[k]` a bound on its float error.
 */
export type FeedSensitivity = { n: number; feeds: Uint8Array; net: Float64Array; err: Float64Array }

/** Scratch for approxSlack's per-feed output, sized for `book`. */
export const feedSensitivity = (book: HealthBook): FeedSensitivity => {
  const k = book.C + book.P
  return { n: 0, feeds: new Uint8Array(k), net: new Float64Array(k), err: new Float64Array(k) }
}

const toF = (x: bigint, scale: number): number => Number(x) / scale
/** Exact values are stored as a float (the nearest double) plus an integer residual: |v| < 2^116. */
const EXACT_LIMIT = 1n << 116n
/**
 * Below 2^84 the nearest double is within half an ulp (<= 2^30) of the value, so the residual fits
 * an int32; larger values (rare: 1.9e7 units in WAD) keep their residual in a side map, flagged by WIDE.
 */
const NARROW = 2 ** 84
const WIDE = -(2 ** 31)
/** Bit of a collateral cell's tag marking a pending entry (the low 7 bits are the asset). */
const PENDING = 0x80
/** Cells per slab (2^SLAB_BITS); an account's cells never straddle two slabs. */
const SLAB_BITS = 16
const SLAB_CELLS = 1 << SLAB_BITS
const SLAB_MASK = SLAB_CELLS - 1
/** Relative margin the float screen keeps so that no account near health 1 escapes the exact check. */
export const SCREEN_TOLERANCE = 1e-9

/**
 * A book of cross-margin accounts for screening. A Float64 screen finds candidates near or below
 * health 1 fast; the exact bigint formulas (evaluateAccount) decide. Every exact value is its
 * nearest double (the screen reads it) plus an int32 residual: 12 bytes a value, exact.
 *
 * An account takes only the cells it uses, contiguous: one per collateral entry (tag = asset |
 * pending bit, value = amount) and two per position (tag = market, size; entry price), in slabs
 * that grow without copying; a range freed when an account changes shape is reused by the next
 * account of the same width. The settlement has its own per-account arrays. So an account costs
 * 17 bytes plus 13 per collateral entry and 26 per position, whatever the configured maxima.
 */
export class HealthBook {
  readonly capacity: number
  /** Most collateral entries / positions per account. */
  readonly C: number
  readonly P: number
  size = 0
  readonly feedPrice: Float64Array
  readonly feedPriceExact: bigint[]
  readonly settlement: Float64Array
  readonly #settlementResidual: Int32Array
  /** First cell and (collateral count << 4 | position count) of each account. */
  readonly #start: Int32Array
  readonly #shape: Uint8Array
  readonly #val: Float64Array[] = []
  readonly #res: Int32Array[] = []
  readonly #tag: Uint8Array[] = []
  /** Freed cell ranges by width. */
  readonly #free: number[][]
  #top = 0
  #freeCells = 0
  /** Residuals of values >= 2^84: key = cell, or -1 - account for a settlement. */
  readonly #wide = new Map<number, bigint>()
  readonly #assetInvScale: Float64Array
  readonly #assetWeight: Float64Array
  readonly #assetPendingWeight: Float64Array
  readonly #marketMm: Float64Array
  readonly #assetFeed: Uint8Array
  readonly #marketFeed: Uint8Array
  /** Scratch of approxSlack: net sensitivity and gross size per feed, and the feeds it touched. */
  readonly #net: Float64Array
  readonly #gross: Float64Array
  readonly #touched: Uint8Array

  constructor(readonly config: HealthBookConfig) {
    const { capacity, feeds, assets, markets } = config
    if (!(Number.isInteger(capacity) && capacity > 0) || assets.length > 127 || markets.length > 255) throw new InvalidParameterError('integer capacity > 0, at most 127 assets and 255 markets', { field: 'capacity' })
    if (!(Number.isInteger(feeds) && feeds > 0 && feeds <= 256)) throw new InvalidParameterError('1 to 256 feeds', { field: 'feeds' })
    for (const [i, a] of assets.entries()) if (a.feed >= feeds) throw new InvalidParameterError(`asset ${i} feed out of range`, { field: `assets[${i}].feed` })
    for (const [i, m] of markets.entries()) if (m.feed >= feeds) throw new InvalidParameterError(`market ${i} feed out of range`, { field: `markets[${i}].feed` })
    this.capacity = capacity
    this.C = config.collateralSlots ?? 5
    this.P = config.positionSlots ?? 3
    if (!(this.C >= 0 && this.C <= 15 && this.P >= 0 && this.P <= 15)) throw new InvalidParameterError('at most 15 collateral entries and 15 positions per account', { field: 'collateralSlots' })
    this.feedPrice = new Float64Array(feeds)
    this.feedPriceExact = new Array<bigint>(feeds).fill(0n)
    this.settlement = new Float64Array(capacity)
    this.#settlementResidual = new Int32Array(capacity)
    this.#start = new Int32Array(capacity)
    this.#shape = new Uint8Array(capacity)
    this.#free = Array.from({ length: this.C + 2 * this.P + 1 }, () => [])
    this.#assetInvScale = Float64Array.from(assets, (a) => 1 / 10 ** a.decimals)
    this.#assetWeight = Float64Array.from(assets, (a) => toF(a.weight, 1e18))
    this.#assetPendingWeight = Float64Array.from(assets, (a) => toF(a.pendingWeight ?? 0n, 1e18))
    this.#marketMm = Float64Array.from(markets, (m) => toF(m.mmf, 1e18) * toF(m.volMultiplier, 1e18))
    this.#assetFeed = Uint8Array.from(assets, (a) => a.feed)
    this.#marketFeed = Uint8Array.from(markets, (m) => m.feed)
    this.#net = new Float64Array(feeds)
    this.#gross = new Float64Array(feeds)
    this.#touched = new Uint8Array(this.C + this.P)
  }

  #ctx: RiskContext | undefined

  setPrice(feed: number, price: bigint): void {
    if (price <= 0n) throw new InvalidPriceError('price must be positive', { field: `feeds[${feed}]` })
    this.#ctx = undefined
    this.feedPriceExact[feed] = price
    this.feedPrice[feed] = toF(price, 1e18)
  }

  /** Splits `v` (|v| < 2^116, checked by the caller) into its nearest double and a residual stored at `res[at]` (or in the side map under `key`). */
  #split(v: bigint, res: Int32Array, at: number, key: number): number {
    const f = Number(v)
    if (res[at] === WIDE) this.#wide.delete(key)
    if (f < NARROW && f > -NARROW) {
      res[at] = Number(v - BigInt(f))
    } else {
      res[at] = WIDE
      this.#wide.set(key, v - BigInt(f))
    }
    return f
  }

  #join(f: number, r: number, key: number): bigint {
    return BigInt(f) + (r === WIDE ? this.#wide.get(key)! : BigInt(r))
  }

  #putCell(c: number, v: bigint, tag: number): void {
    const s = c >>> SLAB_BITS
    const o = c & SLAB_MASK
    this.#val[s]![o] = this.#split(v, this.#res[s]!, o, c)
    this.#tag[s]![o] = tag
  }

  #cell(c: number): bigint {
    const s = c >>> SLAB_BITS
    const o = c & SLAB_MASK
    return this.#join(this.#val[s]![o]!, this.#res[s]![o]!, c)
  }

  /**
   * A range of `w` contiguous cells inside one slab: a freed one of that width, else the head of a
   * wider freed one (the rest goes back to its own width), else fresh cells at the top.
   */
  #alloc(w: number): number {
    for (let v = w; v < this.#free.length; v++) {
      const c = this.#free[v]!.pop()
      if (c === undefined) continue
      if (v > w) this.#free[v - w]!.push(c + w)
      this.#freeCells -= w
      return c
    }
    let c = this.#top
    if ((c & SLAB_MASK) + w > SLAB_CELLS) c = ((c >>> SLAB_BITS) + 1) << SLAB_BITS
    while (((c + w - 1) >>> SLAB_BITS) >= this.#val.length) {
      this.#val.push(new Float64Array(SLAB_CELLS))
      this.#res.push(new Int32Array(SLAB_CELLS))
      this.#tag.push(new Uint8Array(SLAB_CELLS))
    }
    this.#top = c + w
    return c
  }

  /**
   * Slides every account's cells down over the freed ranges, in place (in order of their first
   * cell, so a range only ever moves down and never over one not yet moved), and drops the slabs
   * left empty. Runs when freed cells outnumber the used ones (accounts shrank for good).
   */
  #compactCells(): void {
    const order = new Int32Array(this.size)
    let n = 0
    for (let i = 0; i < this.size; i++) if (this.#shape[i]! !== 0) order[n++] = i
    const live = order.subarray(0, n).sort((a, b) => this.#start[a]! - this.#start[b]!)
    let dst = 0
    for (const i of live) {
      const shape = this.#shape[i]!
      const w = (shape >>> 4) + 2 * (shape & 15)
      if ((dst & SLAB_MASK) + w > SLAB_CELLS) dst = ((dst >>> SLAB_BITS) + 1) << SLAB_BITS
      const src = this.#start[i]!
      if (src !== dst) {
        for (let k = 0; k < w; k++) {
          const a = src + k
          const b = dst + k
          const r = this.#res[a >>> SLAB_BITS]![a & SLAB_MASK]!
          this.#val[b >>> SLAB_BITS]![b & SLAB_MASK] = this.#val[a >>> SLAB_BITS]![a & SLAB_MASK]!
          this.#res[b >>> SLAB_BITS]![b & SLAB_MASK] = r
          this.#tag[b >>> SLAB_BITS]![b & SLAB_MASK] = this.#tag[a >>> SLAB_BITS]![a & SLAB_MASK]!
          if (r === WIDE) {
            this.#wide.set(b, this.#wide.get(a)!)
            this.#wide.delete(a)
          }
        }
        this.#start[i] = dst
      }
      dst += w
    }
    this.#top = dst
    this.#freeCells = 0
    for (const f of this.#free) f.length = 0
    const slabs = dst === 0 ? 0 : ((dst - 1) >>> SLAB_BITS) + 1
    this.#val.length = slabs
    this.#res.length = slabs
    this.#tag.length = slabs
  }

  /** Stores account `i`; asset and market ids are indices into the config; |values| < 2^116. Validates everything before writing anything. */
  setAccount(i: number, a: Account): void {
    if (!(Number.isInteger(i) && i >= 0 && i < this.capacity)) throw new UnknownAccountError(`account slot ${i} is outside the book`, { field: 'index' })
    if (a.collateral.length > this.C || a.positions.length > this.P) throw new InvalidParameterError('too many collateral entries or positions for the book', { field: 'account' })
    const big = (v: bigint) => v >= EXACT_LIMIT || v <= -EXACT_LIMIT
    a.collateral.forEach((c, s) => {
      const asset = Number(c.asset)
      if (!(Number.isInteger(asset) && asset >= 0 && asset < this.#assetFeed.length)) throw new InvalidParameterError(`unknown asset ${c.asset}`, { field: `collateral[${s}].asset` })
      if (c.amount < 0n || big(c.amount)) throw new InvalidParameterError('amount must be in [0, 2^116)', { field: `collateral[${s}].amount` })
    })
    a.positions.forEach((p, s) => {
      const m = Number(p.market)
      if (!(Number.isInteger(m) && m >= 0 && m < this.#marketFeed.length)) throw new InvalidParameterError(`unknown market ${p.market}`, { field: `positions[${s}].market` })
      if (big(p.size) || p.entryPrice <= 0n || big(p.entryPrice)) throw new InvalidParameterError('size or entry price out of range', { field: `positions[${s}]` })
    })
    if (big(a.settlement)) throw new InvalidParameterError('settlement out of range', { field: 'settlement' })
    // zero entries change no formula: they take no cells
    const collateral = a.collateral.filter((c) => c.amount !== 0n)
    const positions = a.positions.filter((p) => p.size !== 0n)
    const w = collateral.length + 2 * positions.length
    const shape = this.#shape[i]!
    const oldW = (shape >>> 4) + 2 * (shape & 15)
    let c = this.#start[i]!
    if (oldW !== w) {
      if (oldW > 0) {
        this.#free[oldW]!.push(c)
        this.#freeCells += oldW
        this.#shape[i] = 0
        if (this.#freeCells > this.#top - this.#freeCells + 1024) this.#compactCells()
      }
      c = w > 0 ? this.#alloc(w) : 0
    }
    this.#start[i] = c
    this.#shape[i] = (collateral.length << 4) | positions.length
    for (const e of collateral) this.#putCell(c++, e.amount, Number(e.asset) | (e.state === 'pending' ? PENDING : 0))
    for (const p of positions) {
      this.#putCell(c++, p.size, Number(p.market))
      this.#putCell(c++, p.entryPrice, 0)
    }
    this.settlement[i] = this.#split(a.settlement, this.#settlementResidual, i, -1 - i)
    if (i >= this.size) this.size = i + 1
  }

  /** The exact account back, in core's form (asset/market ids as their indices; zero entries are not kept). */
  account(i: number): Account {
    const shape = this.#shape[i]!
    let c = this.#start[i]!
    const collateral = []
    for (let k = 0; k < shape >>> 4; k++, c++) {
      const tag = this.#tag[c >>> SLAB_BITS]![c & SLAB_MASK]!
      collateral.push({ asset: String(tag & ~PENDING), amount: this.#cell(c), state: tag & PENDING ? ('pending' as const) : ('active' as const) })
    }
    const positions = []
    for (let k = 0; k < (shape & 15); k++, c += 2) positions.push({ market: String(this.#tag[c >>> SLAB_BITS]![c & SLAB_MASK]), size: this.#cell(c), entryPrice: this.#cell(c + 1) })
    return { collateral, positions, settlement: this.#join(this.settlement[i]!, this.#settlementResidual[i]!, -1 - i) }
  }

  /** Whether account `i` holds a position in market `m`. */
  hasPosition(i: number, m: number): boolean {
    const shape = this.#shape[i]!
    const c = this.#start[i]! + (shape >>> 4)
    const tag = this.#tag[c >>> SLAB_BITS]
    for (let k = 0, o = c & SLAB_MASK; k < (shape & 15); k++, o += 2) if (tag![o] === m) return true
    return false
  }

  /** Sets market `m`'s volatility multiplier (float screen and exact context alike). */
  setMarketMultiplier(m: number, multiplier: bigint): void {
    const market = this.config.markets[m]
    if (!market) throw new InvalidParameterError(`market ${m} is not in the book`, { field: 'market' })
    if (multiplier < WAD) throw new InvalidParameterError('multiplier must be >= 1e18', { field: 'multiplier' })
    market.volMultiplier = multiplier
    this.#marketMm[m] = toF(market.mmf, 1e18) * toF(multiplier, 1e18)
    this.#ctx = undefined
  }

  /** The exact risk context at the current feed prices (cached until a price changes). */
  context(): RiskContext {
    if (this.#ctx) return this.#ctx
    const assets = Object.fromEntries(this.config.assets.map((a, k) => [String(k), { ...a, price: this.feedPriceExact[a.feed]! }]))
    const markets = Object.fromEntries(this.config.markets.map((m, k) => [String(k), { ...m, markPrice: this.feedPriceExact[m.feed]! }]))
    this.#ctx = { assets, markets }
    return this.#ctx
  }

  /** Exact health of account `i` (core's formulas). */
  exactHealth(i: number, ctx: RiskContext = this.context()): AccountHealth {
    return evaluateAccount(this.account(i), ctx)
  }

  /** The distinct feeds account `i` depends on (collateral assets, position markets), written to `out` (length >= C + P); returns how many. */
  feedsOf(i: number, out: Uint8Array): number {
    const shape = this.#shape[i]!
    const nc = shape >>> 4
    const c = this.#start[i]!
    const tag = this.#tag[c >>> SLAB_BITS]
    let n = 0
    for (let k = 0, o = c & SLAB_MASK; k < nc + (shape & 15); k++) {
      const f = k < nc ? this.#assetFeed[tag![o++]! & ~PENDING]! : this.#marketFeed[tag![o]!]!
      if (k >= nc) o += 2
      let seen = false
      for (let q = 0; q < n; q++) if (out[q] === f) seen = true
      if (!seen) out[n++] = f
    }
    return n
  }

  /** Bytes held: per-account arrays, the cell slabs (13 bytes a cell) and the cells in use, the side map of wide residuals (estimated at 80 bytes an entry). */
  footprint(): Record<string, number> {
    return {
      settlement: this.settlement.byteLength + this.#settlementResidual.byteLength,
      startAndShape: this.#start.byteLength + this.#shape.byteLength,
      cellSlabs: this.#val.length * SLAB_CELLS * 13,
      wideResiduals: this.#wide.size * 80,
    }
  }

  /** Cells in use and freed cells waiting for an account of their width. */
  cells(): { used: number; free: number } {
    return { used: this.#top - this.#freeCells, free: this.#freeCells }
  }

  /**
   * Approximate equity - mmReq of account `i` in USD (float), and its exposure: the slack is linear
   * in each feed's price (collateral value, pnl and requirement alike), slack = c + sum_f g_f p_f, so
   * a move of every feed by at most a factor e^dL changes it by at most sum_f |g_f| p_f (e^dL - 1).
   * The exposure is that sum, netted per feed (a long's requirement falls as its mark falls; ETH
   * collateral offsets an ETH short). With `perFeed`, also writes each feed's signed term g_f p_f
   * and its float error bound (1e-12 of the terms netted into it).
   */
  approxSlack(i: number, out: ApproxSlack, perFeed?: FeedSensitivity): void {
    const fp = this.feedPrice
    const net = this.#net
    const gross = this.#gross
    const touched = this.#touched
    let nt = 0
    let eq = this.settlement[i]! * 1e-18
    let mag = eq < 0 ? -eq : eq
    let mm = 0
    const shape = this.#shape[i]!
    const c = this.#start[i]!
    const val = this.#val[c >>> SLAB_BITS]
    const tag = this.#tag[c >>> SLAB_BITS]
    let o = c & SLAB_MASK
    for (let k = shape >>> 4; k > 0; k--, o++) {
      const t = tag![o]!
      const a = t & ~PENDING
      const w = t & PENDING ? this.#assetPendingWeight[a]! : this.#assetWeight[a]!
      const f = this.#assetFeed[a]!
      const v = val![o]! * this.#assetInvScale[a]! * fp[f]! * w
      eq += v
      mag += v
      if (gross[f] === 0) touched[nt++] = f
      net[f]! += v
      // the sum of the terms' sizes: a floor under the netted exposure for the float error of netting
      gross[f]! += v + 1e-300
    }
    for (let k = shape & 15; k > 0; k--, o += 2) {
      const size = val![o]! * 1e-18
      const m = tag![o]!
      const f = this.#marketFeed[m]!
      const mark = fp[f]!
      const abs = size < 0 ? -size : size
      const pnl = size * (mark - val![o + 1]! * 1e-18)
      const req = abs * mark * this.#marketMm[m]!
      eq += pnl
      mm += req
      mag += (pnl < 0 ? -pnl : pnl) + abs * mark + req
      // d slack / d ln(mark) = size * mark - |size| * mark * mm
      if (gross[f] === 0) touched[nt++] = f
      net[f]! += size * mark - req
      gross[f]! += abs * mark + req + 1e-300
    }
    let sens = 0
    for (let k = 0; k < nt; k++) {
      const f = touched[k]!
      const g = net[f]!
      const err = gross[f]! * 1e-12
      sens += (g < 0 ? -g : g) + err
      if (perFeed) {
        perFeed.feeds[k] = f
        perFeed.net[k] = g
        perFeed.err[k] = err
      }
      net[f] = 0
      gross[f] = 0
    }
    if (perFeed) perFeed.n = nt
    out.slack = eq - mm
    out.mm = mm
    out.magnitude = mag
    out.exposure = sens
  }

  /**
   * Reads the memory approxSlack(i) will read first (the account's start, shape, settlement and
   * first cells) and returns a number made of it. Called over a batch of accounts before their
   * approxSlack, its independent loads miss the cache together instead of one after another.
   */
  touch(i: number): number {
    const c = this.#start[i]!
    const s = c >>> SLAB_BITS
    const o = c & SLAB_MASK
    return this.settlement[i]! + this.#shape[i]! + this.#val[s]![o]! + this.#val[s]![o + 8]! + this.#tag[s]![o]!
  }

  /** Whether the float screen cannot rule out liquidation: slack within float error of zero, or below. */
  static nearOrBelow(o: ApproxSlack): boolean {
    return o.mm > 0 && o.slack <= o.magnitude * SCREEN_TOLERANCE + 1e-9
  }

  /** Screens every account; returns the indices that are liquidatable by exact math. */
  scanLiquidatable(): { liquidatable: number[]; candidates: number } {
    const out: ApproxSlack = { slack: 0, mm: 0, magnitude: 0, exposure: 0 }
    const ctx = this.context()
    const liquidatable: number[] = []
    let candidates = 0
    for (let i = 0; i < this.size; i++) {
      this.approxSlack(i, out)
      if (!HealthBook.nearOrBelow(out)) continue
      candidates++
      const h = this.exactHealth(i, ctx)
      if (h.mmReq > 0n && h.health < WAD) liquidatable.push(i)
    }
    return { liquidatable, candidates }
  }
}
