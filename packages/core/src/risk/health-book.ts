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

const M64 = (1n << 64n) - 1n
const toF = (x: bigint, scale: number): number => Number(x) / scale
/** Relative margin the float screen keeps so that no account near health 1 escapes the exact check. */
export const SCREEN_TOLERANCE = 1e-9

/**
 * A struct-of-arrays book of cross-margin accounts. A Float64 screen finds candidates near or
 * below health 1 fast; the exact bigint formulas (evaluateAccount) decide. Exact values are kept
 * as 128-bit two's-complement pairs, floats beside them for the screen.
 */
export class HealthBook {
  readonly capacity: number
  readonly C: number
  readonly P: number
  size = 0
  readonly feedPrice: Float64Array
  readonly feedPriceExact: bigint[]
  readonly colAsset: Uint8Array
  readonly colAmount: Float64Array
  readonly colPending: Uint8Array
  readonly posMarket: Uint8Array
  readonly posSize: Float64Array
  readonly posEntry: Float64Array
  readonly settlement: Float64Array
  readonly #exact: BigUint64Array
  readonly #width: number
  readonly #assetScale: number[]
  readonly #assetWeight: Float64Array
  readonly #assetPendingWeight: Float64Array
  readonly #marketMm: Float64Array

  constructor(readonly config: HealthBookConfig) {
    const { capacity, feeds, assets, markets } = config
    if (!(capacity > 0) || assets.length > 255 || markets.length > 255) throw new InvalidParameterError('capacity > 0, at most 255 assets and markets', { field: 'capacity' })
    for (const [i, a] of assets.entries()) if (a.feed >= feeds) throw new InvalidParameterError(`asset ${i} feed out of range`, { field: `assets[${i}].feed` })
    for (const [i, m] of markets.entries()) if (m.feed >= feeds) throw new InvalidParameterError(`market ${i} feed out of range`, { field: `markets[${i}].feed` })
    this.capacity = capacity
    this.C = config.collateralSlots ?? 5
    this.P = config.positionSlots ?? 3
    this.feedPrice = new Float64Array(feeds)
    this.feedPriceExact = new Array<bigint>(feeds).fill(0n)
    this.colAsset = new Uint8Array(capacity * this.C)
    this.colAmount = new Float64Array(capacity * this.C)
    this.colPending = new Uint8Array(capacity * this.C)
    this.posMarket = new Uint8Array(capacity * this.P)
    this.posSize = new Float64Array(capacity * this.P)
    this.posEntry = new Float64Array(capacity * this.P)
    this.settlement = new Float64Array(capacity)
    this.#width = 2 * (this.C + 2 * this.P + 1)
    this.#exact = new BigUint64Array(capacity * this.#width)
    this.#assetScale = assets.map((a) => 10 ** a.decimals)
    this.#assetWeight = Float64Array.from(assets, (a) => toF(a.weight, 1e18))
    this.#assetPendingWeight = Float64Array.from(assets, (a) => toF(a.pendingWeight ?? 0n, 1e18))
    this.#marketMm = Float64Array.from(markets, (m) => toF(m.mmf, 1e18) * toF(m.volMultiplier, 1e18))
  }

  #ctx: RiskContext | undefined

  setPrice(feed: number, price: bigint): void {
    if (price <= 0n) throw new InvalidPriceError('price must be positive', { field: `feeds[${feed}]` })
    this.#ctx = undefined
    this.feedPriceExact[feed] = price
    this.feedPrice[feed] = toF(price, 1e18)
  }

  #put(i: number, k: number, v: bigint): void {
    const o = i * this.#width + 2 * k
    const u = v & ((1n << 128n) - 1n)
    this.#exact[o] = u >> 64n
    this.#exact[o + 1] = u & M64
  }

  #get(i: number, k: number): bigint {
    const o = i * this.#width + 2 * k
    return BigInt.asIntN(128, (this.#exact[o]! << 64n) | this.#exact[o + 1]!)
  }

  /** Stores account `i`; asset and market ids are indices into the config. Values must fit in int128. */
  setAccount(i: number, a: Account): void {
    if (i < 0 || i >= this.capacity) throw new UnknownAccountError(`account slot ${i} is outside the book`, { field: 'index' })
    if (a.collateral.length > this.C || a.positions.length > this.P) throw new InvalidParameterError('too many collateral entries or positions for the book', { field: 'account' })
    for (let s = 0; s < this.C; s++) {
      const c = a.collateral[s]
      const j = i * this.C + s
      const asset = c ? Number(c.asset) : 0
      if (c && !(asset >= 0 && asset < this.#assetScale.length)) throw new InvalidParameterError(`unknown asset ${c.asset}`, { field: `collateral[${s}].asset` })
      this.colAsset[j] = asset
      this.colAmount[j] = c ? Number(c.amount) / this.#assetScale[asset]! : 0
      this.colPending[j] = c?.state === 'pending' ? 1 : 0
      this.#put(i, s, c ? c.amount : 0n)
    }
    for (let s = 0; s < this.P; s++) {
      const p = a.positions[s]
      const j = i * this.P + s
      this.posMarket[j] = p ? Number(p.market) : 0
      this.posSize[j] = p ? toF(p.size, 1e18) : 0
      this.posEntry[j] = p ? toF(p.entryPrice, 1e18) : 0
      this.#put(i, this.C + 2 * s, p ? p.size : 0n)
      this.#put(i, this.C + 2 * s + 1, p ? p.entryPrice : 0n)
    }
    this.settlement[i] = toF(a.settlement, 1e18)
    this.#put(i, this.C + 2 * this.P, a.settlement)
    if (i >= this.size) this.size = i + 1
  }

  /** The exact account back, in core's form (asset/market ids as their indices). */
  account(i: number): Account {
    const collateral = []
    for (let s = 0; s < this.C; s++) {
      const amount = this.#get(i, s)
      if (amount !== 0n) collateral.push({ asset: String(this.colAsset[i * this.C + s]), amount, state: this.colPending[i * this.C + s] ? ('pending' as const) : ('active' as const) })
    }
    const positions = []
    for (let s = 0; s < this.P; s++) {
      const size = this.#get(i, this.C + 2 * s)
      if (size !== 0n) positions.push({ market: String(this.posMarket[i * this.P + s]), size, entryPrice: this.#get(i, this.C + 2 * s + 1) })
    }
    return { collateral, positions, settlement: this.#get(i, this.C + 2 * this.P) }
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

  /** Approximate equity - mmReq of account `i` in USD (float), and its price sensitivity sum. */
  approxSlack(i: number, out: ApproxSlack): void {
    const fp = this.feedPrice
    let eq = this.settlement[i]!
    let mag = eq < 0 ? -eq : eq
    let mm = 0
    let sens = 0
    const assets = this.config.assets
    for (let s = 0, j = i * this.C; s < this.C; s++, j++) {
      const amt = this.colAmount[j]!
      if (amt === 0) continue
      const a = this.colAsset[j]!
      const w = this.colPending[j] ? this.#assetPendingWeight[a]! : this.#assetWeight[a]!
      const v = amt * fp[assets[a]!.feed]! * w
      eq += v
      mag += v
      sens += v
    }
    const markets = this.config.markets
    for (let s = 0, j = i * this.P; s < this.P; s++, j++) {
      const size = this.posSize[j]!
      if (size === 0) continue
      const m = this.posMarket[j]!
      const mark = fp[markets[m]!.feed]!
      const abs = size < 0 ? -size : size
      const pnl = size * (mark - this.posEntry[j]!)
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
