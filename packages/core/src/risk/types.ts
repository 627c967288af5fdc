/** Collateral that is attested and usable (`active`) or locked on its origin but not yet attested / held by the rate limiter (`pending`). */
export type CollateralState = 'active' | 'pending'

export type Collateral = {
  /** Asset id, e.g. `10002:0xa0b8...` (origin chain : token). */
  asset: string
  /** Native token units. */
  amount: bigint
  /** @default 'active' */
  state?: CollateralState
}

export type Position = {
  market: string
  /** Signed base units in WAD: positive is long. */
  size: bigint
  /** WAD USD. */
  entryPrice: bigint
}

export type Account = {
  id?: string
  collateral: Collateral[]
  positions: Position[]
  /** Realized PnL, fees and penalties in WAD USD (signed). */
  settlement: bigint
}

export type AssetConfig = {
  decimals: number
  /** WAD USD per whole token. */
  price: bigint
  /** 1 - haircut, WAD. */
  weight: bigint
  /** Weight of pending collateral, WAD. @default 0n */
  pendingWeight?: bigint
}

export type MarketConfig = {
  /** WAD USD per base unit. */
  markPrice: bigint
  /** Initial margin fraction, WAD. */
  imf: bigint
  /** Maintenance margin fraction, WAD. */
  mmf: bigint
  /** Volatility multiplier, WAD (>= 1e18). */
  volMultiplier: bigint
}

export type RiskContext = {
  assets: Readonly<Record<string, AssetConfig>>
  markets: Readonly<Record<string, MarketConfig>>
}
