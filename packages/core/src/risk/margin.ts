import { InvalidAmountError, InvalidParameterError, InvalidPriceError } from '../errors/input.js'
import { UnknownMarketError } from '../errors/oracle.js'
import { UnknownAssetError } from '../errors/margin.js'
import { MAX_INT256, WAD } from '../math/constants.js'
import { abs, intResult, mulDivDown, mulDivSignedFloor, mulDivUp, wMulDown, wMulUp } from '../math/fixed-point.js'
import type { Account, AssetConfig, MarketConfig, Position, RiskContext } from './types.js'

/** Health reported when there is no maintenance requirement (no positions): int256 max. */
export const HEALTH_MAX = MAX_INT256

export type AccountHealth = {
  collateralValue: bigint
  unrealizedPnl: bigint
  equity: bigint
  imReq: bigint
  mmReq: bigint
  totalNotional: bigint
  /** equity / mmReq in WAD, floor; {@link HEALTH_MAX} when mmReq is 0. */
  health: bigint
}

export function assetOf(ctx: RiskContext, id: string, field: string): AssetConfig {
  const a = ctx.assets[id]
  if (!a) throw new UnknownAssetError(`asset ${id} is not configured`, { field })
  if (a.price <= 0n) throw new InvalidPriceError(`asset ${id} price must be positive`, { field: `assets.${id}.price` })
  if (a.weight < 0n || a.weight > WAD) throw new InvalidParameterError(`asset ${id} weight must be in [0, 1e18]`, { field: `assets.${id}.weight` })
  const pw = a.pendingWeight ?? 0n
  if (pw < 0n || pw > a.weight) throw new InvalidParameterError(`asset ${id} pendingWeight must be in [0, weight]`, { field: `assets.${id}.pendingWeight` })
  if (!Number.isInteger(a.decimals) || a.decimals < 0 || a.decimals > 36) throw new InvalidParameterError(`asset ${id} decimals must be 0..36`, { field: `assets.${id}.decimals` })
  return a
}

export function marketOf(ctx: RiskContext, id: string, field: string): MarketConfig {
  const m = ctx.markets[id]
  if (!m) throw new UnknownMarketError(`market ${id} is not configured`, { field })
  if (m.markPrice <= 0n) throw new InvalidPriceError(`market ${id} mark price must be positive`, { field: `markets.${id}.markPrice` })
  if (m.mmf <= 0n || m.mmf > m.imf || m.imf > WAD) throw new InvalidParameterError(`market ${id} needs 0 < mmf <= imf <= 1e18`, { field: `markets.${id}.mmf` })
  if (m.volMultiplier < WAD) throw new InvalidParameterError(`market ${id} volMultiplier must be >= 1e18`, { field: `markets.${id}.volMultiplier` })
  return m
}

/** Value of one collateral entry after its weight, rounded down. */
export function collateralEntryValue(amount: bigint, asset: AssetConfig, pending: boolean): bigint {
  const value = mulDivDown(amount, asset.price, 10n ** BigInt(asset.decimals))
  return wMulDown(value, pending ? (asset.pendingWeight ?? 0n) : asset.weight)
}

/** floor(size * (mark - entry) / WAD): signed, a loss is never understated. */
export function positionPnl(p: Position, mark: bigint): bigint {
  const diff = mark - p.entryPrice
  return diff >= 0n ? mulDivSignedFloor(p.size, diff, WAD) : mulDivSignedFloor(-p.size, -diff, WAD)
}

/** ceil(|size| * mark / WAD). */
export const positionNotional = (p: Position, mark: bigint): bigint => mulDivUp(abs(p.size), mark, WAD)

/** notional x fraction x volatility multiplier, each step rounded up. */
export const requirement = (notional: bigint, fraction: bigint, multiplier: bigint): bigint => wMulUp(wMulUp(notional, fraction), multiplier)

function validateAccount(account: Account): void {
  account.collateral.forEach((c, i) => {
    if (c.amount < 0n) throw new InvalidAmountError('collateral amount must not be negative', { field: `collateral[${i}].amount` })
  })
  account.positions.forEach((p, i) => {
    if (p.entryPrice <= 0n) throw new InvalidPriceError('entry price must be positive', { field: `positions[${i}].entryPrice` })
  })
}

/** Health of a cross-margin account (docs/protocol.md section 7). */
export function evaluateAccount(account: Account, ctx: RiskContext): AccountHealth {
  validateAccount(account)
  let collateralValue = 0n
  account.collateral.forEach((c, i) => {
    collateralValue += collateralEntryValue(c.amount, assetOf(ctx, c.asset, `collateral[${i}].asset`), c.state === 'pending')
  })
  let unrealizedPnl = 0n
  let imReq = 0n
  let mmReq = 0n
  let totalNotional = 0n
  account.positions.forEach((p, i) => {
    const m = marketOf(ctx, p.market, `positions[${i}].market`)
    unrealizedPnl += positionPnl(p, m.markPrice)
    const n = positionNotional(p, m.markPrice)
    totalNotional += n
    imReq += requirement(n, m.imf, m.volMultiplier)
    mmReq += requirement(n, m.mmf, m.volMultiplier)
  })
  const equity = intResult(collateralValue + account.settlement + unrealizedPnl, 'equity')
  const health = mmReq === 0n ? HEALTH_MAX : floorDivSigned(equity * WAD, mmReq)
  return { collateralValue, unrealizedPnl, equity, imReq, mmReq, totalNotional, health }
}

function floorDivSigned(n: bigint, d: bigint): bigint {
  const q = n / d
  return n < 0n && q * d !== n ? q - 1n : q
}

/** Isolated margin: one position against its own collateral bucket, same formulas. */
export function evaluateIsolated(position: Position, bucket: Omit<Account, 'positions'>, ctx: RiskContext): AccountHealth {
  return evaluateAccount({ ...bucket, positions: [position] }, ctx)
}

/** True when the account may be liquidated: health below 1 with a maintenance requirement. */
export const isLiquidatable = (h: AccountHealth): boolean => h.mmReq > 0n && h.health < WAD
