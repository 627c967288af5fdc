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
  /** Collateral entries per account. @default 5 */
  collateralSlots?: number
  /** Positions per account. @default 3 */
  positionSlots?: number
}

/**
 * Float view of an account: equity - mmReq (USD), mmReq, the size of the terms summed (for the
 * error bound), and exposure = sum over feeds of |d slack / d price_f| x price_f (USD per 100% move).
 */
export type ApproxSlack = { slack: number; mm: number; magnitude: number; exposure: number }

const toF = (x: bigint, scale: number): number => Number(x) / scale
/** Exact values are stored as a float (the nearest double) plus an integer residual: |v| < 2^116. */
const EXACT_LIMIT = 1n << 116n
/**
 * Below 2^84 the nearest double is within half an ulp (<= 2^30) of the value, so the residual fits
 * an int32; larger values (rare: 1.9e7 units in WAD) keep their residual in a side map, flagged by WIDE.
 */
const NARROW = 2 ** 84
const WIDE = -(2 ** 31)
/** Bit of a collateral slot's asset byte marking a pending entry (the low 7 bits are the asset). */
const PENDING = 0x80
/** Relative margin the float screen keeps so that no account near health 1 escapes the exact check. */
export const SCREEN_TOLERANCE = 1e-9

/**
 * A struct-of-arrays book of cross-margin accounts. A Float64 screen finds candidates near or
 * below health 1 fast; the exact bigint formulas (evaluateAccount) decide. Every exact value is
 * its nearest double (the screen reads it) plus an int32 residual, 12 bytes per value; per account
 * C collateral slots (asset byte with a pending bit, amount) and P position slots (market byte,
 * size, entry price) and the settlement.
 */
export class HealthBook {
  readonly capacity: number
  readonly C: number
  readonly P: number
  size = 0
  readonly feedPrice: Float64Array
  readonly feedPriceExact: bigint[]
  /** Asset index | PENDING (0x80) per collateral slot. */
  readonly colAsset: Uint8Array
  readonly colAmount: Float64Array
  readonly posMarket: Uint8Array
  readonly posSize: Float64Array
  readonly posEntry: Float64Array
  readonly settlement: Float64Array
  readonly #residual: Int32Array
  readonly #wide = new Map<number, bigint>()
  readonly #width: number
  readonly #assetScale: number[]
  readonly #assetInvScale: Float64Array
  readonly #assetWeight: Float64Array
  readonly #assetPendingWeight: Float64Array
  readonly #marketMm: Float64Array
  readonly #assetFeed: Uint8Array
  readonly #marketFeed: Uint8Array

  constructor(readonly config: HealthBookConfig) {
    const { capacity, feeds, assets, markets } = config
    if (!(Number.isInteger(capacity) && capacity > 0) || assets.length > 127 || markets.length > 255) throw new InvalidParameterError('integer capacity > 0, at most 127 assets and 255 markets', { field: 'capacity' })
    if (!(Number.isInteger(feeds) && feeds > 0 && feeds <= 256)) throw new InvalidParameterError('1 to 256 feeds', { field: 'feeds' })
    for (const [i, a] of assets.entries()) if (a.feed >= feeds) throw new InvalidParameterError(`asset ${i} feed out of range`, { field: `assets[${i}].feed` })
    for (const [i, m] of markets.entries()) if (m.feed >= feeds) throw new InvalidParameterError(`market ${i} feed out of range`, { field: `markets[${i}].feed` })
    this.capacity = capacity
    this.C = config.collateralSlots ?? 5
    this.P = config.positionSlots ?? 3
    this.feedPrice = new Float64Array(feeds)
    this.feedPriceExact = new Array<bigint>(feeds).fill(0n)
    this.colAsset = new Uint8Array(capacity * this.C)
    this.colAmount = new Float64Array(capacity * this.C)
    this.posMarket = new Uint8Array(capacity * this.P)
    this.posSize = new Float64Array(capacity * this.P)
    this.posEntry = new Float64Array(capacity * this.P)
    this.settlement = new Float64Array(capacity)
    this.#width = this.C + 2 * this.P + 1
    this.#residual = new Int32Array(capacity * this.#width)
    this.#assetScale = assets.map((a) => 10 ** a.decimals)
    this.#assetInvScale = Float64Array.from(assets, (a) => 1 / 10 ** a.decimals)
    this.#assetWeight = Float64Array.from(assets, (a) => toF(a.weight, 1e18))
    this.#assetPendingWeight = Float64Array.from(assets, (a) => toF(a.pendingWeight ?? 0n, 1e18))
    this.#marketMm = Float64Array.from(markets, (m) => toF(m.mmf, 1e18) * toF(m.volMultiplier, 1e18))
    this.#assetFeed = Uint8Array.from(assets, (a) => a.feed)
    this.#marketFeed = Uint8Array.from(markets, (m) => m.feed)
  }

  #ctx: RiskContext | undefined

  setPrice(feed: number, price: bigint): void {
    if (price <= 0n) throw new InvalidPriceError('price must be positive', { field: `feeds[${feed}]` })
    this.#ctx = undefined
    this.feedPriceExact[feed] = price
    this.feedPrice[feed] = toF(price, 1e18)
  }

  /** Stores `v` exactly: returns its nearest double (kept in a float array) and records the residual. */
  #put(i: number, k: number, v: bigint, field: string): number {
    if (v >= EXACT_LIMIT || v <= -EXACT_LIMIT) throw new InvalidParameterError(`${field} is too large for the book (|v| < 2^116)`, { field })
    const f = Number(v)
    const at = i * this.#width + k
    if (this.#residual[at] === WIDE) this.#wide.delete(at)
    if (f < NARROW && f > -NARROW) {
      this.#residual[at] = Number(v - BigInt(f))
    } else {
      this.#residual[at] = WIDE
      this.#wide.set(at, v - BigInt(f))
    }
    return f
  }

  #get(i: number, k: number, f: number): bigint {
    const at = i * this.#width + k
    const r = this.#residual[at]!
    return BigInt(f) + (r === WIDE ? this.#wide.get(at)! : BigInt(r))
  }

  /** Stores account `i`; asset and market ids are indices into the config; |values| < 2^116. Validates everything before writing anything. */
  setAccount(i: number, a: Account): void {
    if (!(i >= 0 && i < this.capacity)) throw new UnknownAccountError(`account slot ${i} is outside the book`, { field: 'index' })
    if (a.collateral.length > this.C || a.positions.length > this.P) throw new InvalidParameterError('too many collateral entries or positions for the book', { field: 'account' })
    const big = (v: bigint) => v >= EXACT_LIMIT || v <= -EXACT_LIMIT
    a.collateral.forEach((c, s) => {
      const asset = Number(c.asset)
      if (!(asset >= 0 && asset < this.#assetScale.length)) throw new InvalidParameterError(`unknown asset ${c.asset}`, { field: `collateral[${s}].asset` })
      if (c.amount < 0n || big(c.amount)) throw new InvalidParameterError('amount must be in [0, 2^116)', { field: `collateral[${s}].amount` })
    })
    a.positions.forEach((p, s) => {
      const m = Number(p.market)
      if (!(m >= 0 && m < this.config.markets.length)) throw new InvalidParameterError(`unknown market ${p.market}`, { field: `positions[${s}].market` })
      if (big(p.size) || p.entryPrice <= 0n || big(p.entryPrice)) throw new InvalidParameterError('size or entry price out of range', { field: `positions[${s}]` })
    })
    if (big(a.settlement)) throw new InvalidParameterError('settlement out of range', { field: 'settlement' })
    for (let s = 0; s < this.C; s++) {
      const c = a.collateral[s]
      const j = i * this.C + s
      this.colAsset[j] = c ? Number(c.asset) | (c.state === 'pending' ? PENDING : 0) : 0
      this.colAmount[j] = this.#put(i, s, c ? c.amount : 0n, `collateral[${s}].amount`)
    }
    for (let s = 0; s < this.P; s++) {
      const p = a.positions[s]
      const j = i * this.P + s
      this.posMarket[j] = p ? Number(p.market) : 0
      this.posSize[j] = this.#put(i, this.C + 2 * s, p ? p.size : 0n, `positions[${s}].size`)
      this.posEntry[j] = this.#put(i, this.C + 2 * s + 1, p ? p.entryPrice : 0n, `positions[${s}].entryPrice`)
    }
    this.settlement[i] = this.#put(i, this.C + 2 * this.P, a.settlement, 'settlement')
    if (i >= this.size) this.size = i + 1
  }

  /** The exact account back, in core's form (asset/market ids as their indices). */
  account(i: number): Account {
    const collateral = []
    for (let s = 0; s < this.C; s++) {
      const amount = this.#get(i, s, this.colAmount[i * this.C + s]!)
      const tag = this.colAsset[i * this.C + s]!
      if (amount !== 0n) collateral.push({ asset: String(tag & ~PENDING), amount, state: tag & PENDING ? ('pending' as const) : ('active' as const) })
    }
    const positions = []
    for (let s = 0; s < this.P; s++) {
      const j = i * this.P + s
      const size = this.#get(i, this.C + 2 * s, this.posSize[j]!)
      if (size !== 0n) positions.push({ market: String(this.posMarket[j]), size, entryPrice: this.#get(i, this.C + 2 * s + 1, this.posEntry[j]!) })
    }
    return { collateral, positions, settlement: this.#get(i, this.C + 2 * this.P, this.settlement[i]!) }
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
    let n = 0
    for (let s = 0; s < this.C + this.P; s++) {
      const c = s < this.C
      const k = c ? i * this.C + s : i * this.P + s - this.C
      if ((c ? this.colAmount[k] : this.posSize[k]) === 0) continue
      const f = c ? this.#assetFeed[this.colAsset[k]! & ~PENDING]! : this.#marketFeed[this.posMarket[k]!]!
      let seen = false
      for (let q = 0; q < n; q++) if (out[q] === f) seen = true
      if (!seen) out[n++] = f
    }
    return n
  }

  /** Bytes held by each per-account array (the side map of wide residuals estimated at 80 bytes an entry). */
  footprint(): Record<string, number> {
    return {
      colAsset: this.colAsset.byteLength,
      colAmount: this.colAmount.byteLength,
      posMarket: this.posMarket.byteLength,
      posSize: this.posSize.byteLength,
      posEntry: this.posEntry.byteLength,
      settlement: this.settlement.byteLength,
      residual: this.#residual.byteLength,
      wideResiduals: this.#wide.size * 80,
    }
  }

  /** Approximate equity - mmReq of account `i` in USD (float), and its price sensitivity sum. */
  approxSlack(i: number, out: ApproxSlack): void {
    const fp = this.feedPrice
    let eq = this.settlement[i]! * 1e-18
    let mag = eq < 0 ? -eq : eq
    let mm = 0
    let sens = 0
    for (let s = 0, j = i * this.C; s < this.C; s++, j++) {
      const amt = this.colAmount[j]!
      if (amt === 0) continue
      const tag = this.colAsset[j]!
      const a = tag & ~PENDING
      const w = tag & PENDING ? this.#assetPendingWeight[a]! : this.#assetWeight[a]!
      const v = amt * this.#assetInvScale[a]! * fp[this.#assetFeed[a]!]! * w
      eq += v
      mag += v
      sens += v
    }
    for (let s = 0, j = i * this.P; s < this.P; s++, j++) {
      const raw = this.posSize[j]!
      if (raw === 0) continue
      const size = raw * 1e-18
      const m = this.posMarket[j]!
      const mark = fp[this.#marketFeed[m]!]!
      const abs = size < 0 ? -size : size
      const pnl = size * (mark - this.posEntry[j]! * 1e-18)
      const req = abs * mark * this.#marketMm[m]!
      eq += pnl
      mm += req
      mag += (pnl < 0 ? -pnl : pnl) + abs * mark + req
      sens += abs * mark * (1 + this.#marketMm[m]!)
    }
    out.slack = eq - mm
    out.mm = mm
    out.magnitude = mag
    out.exposure = sens
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
