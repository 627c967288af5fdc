import { InvalidParameterError } from '../errors/input.js'
import { AccountHealthyError } from '../errors/margin.js'
import { WAD } from '../math/constants.js'
import { abs, min, mulDivUp, wMulDown, wMulUp } from '../math/fixed-point.js'
import { evaluateAccount, marketOf, positionPnl, type AccountHealth } from './margin.js'
import type { Account, RiskContext } from './types.js'

export type LiquidationParams = {
  /** Share of each position closed per liquidation. @default 0.5e18 */
  closeFactor: bigint
  /** Below this health everything is closed. @default 0.5e18 */
  fullLiquidationHealth: bigint
  /** At or below this total notional (WAD USD) everything is closed. @default 100e18 */
  dustNotional: bigint
  /** Penalty on closed notional; keep it below the smallest mmf so a partial liquidation raises health. @default 0.02e18 */
  penaltyRate: bigint
  /** Liquidator's part of the penalty; the insurance fund gets the rest. @default 0.5e18 */
  liquidatorShare: bigint
  /**
   * Health a partial liquidation restores after the penalty (WAD): when set (>= 1e18), the fraction
   * closed is the smallest one that reaches it ({@link targetFraction}) instead of `closeFactor`;
   * 0 = off. Needs `targetHealth * mmf > penaltyRate` for every market. @default 0n
   */
  targetHealth?: bigint
}

export const DEFAULT_LIQUIDATION: LiquidationParams = {
  closeFactor: WAD / 2n,
  fullLiquidationHealth: WAD / 2n,
  dustNotional: 100n * WAD,
  penaltyRate: WAD / 50n,
  liquidatorShare: WAD / 2n,
}

export type LiquidationResult = {
  account: Account
  before: AccountHealth
  after: AccountHealth
  fraction: bigint
  closedNotional: bigint
  realizedPnl: bigint
  penalty: bigint
  penaltyCharged: bigint
  liquidatorReward: bigint
  insuranceFee: bigint
  badDebt: bigint
  covered: bigint
  socialized: bigint
  insuranceFundAfter: bigint
}

/**
 * Validates liquidation parameters as every chain does at configuration (docs/protocol.md section 8):
 * the fractions in [0, 1e18], `closeFactor` positive, `dustNotional` not negative, and the target
 * health rule ({@link checkTargetHealth}) against every market's `mmf`. `InvalidParameter` names the field.
 */
export function checkLiquidationParams(p: LiquidationParams, mmfs: readonly bigint[]): void {
  for (const k of ['closeFactor', 'fullLiquidationHealth', 'penaltyRate', 'liquidatorShare'] as const) {
    if (p[k] < 0n || p[k] > WAD) throw new InvalidParameterError(`${k} must be in [0, 1e18]`, { field: k })
  }
  if (p.closeFactor === 0n) throw new InvalidParameterError('closeFactor must be positive', { field: 'closeFactor' })
  if (p.dustNotional < 0n) throw new InvalidParameterError('dustNotional must not be negative', { field: 'dustNotional' })
  checkTargetHealth(p.targetHealth ?? 0n, p.penaltyRate, mmfs)
}

/**
 * `targetHealth` is 0 (off) or in [1e18, 2^128) with `targetHealth * mmf > penaltyRate * 1e18` (exact) for
 * every market `mmf`, so closing any part of a position raises health (docs/protocol.md section 8).
 */
export function checkTargetHealth(targetHealth: bigint, penaltyRate: bigint, mmfs: readonly bigint[]): void {
  if (targetHealth === 0n) return
  if (targetHealth < WAD || targetHealth >= 1n << 128n) throw new InvalidParameterError('targetHealth must be 0 (off) or in [1e18, 2^128)', { field: 'targetHealth' })
  for (const mmf of mmfs) {
    if (targetHealth * mmf <= penaltyRate * WAD) throw new InvalidParameterError(`targetHealth * mmf ${mmf} must exceed penaltyRate`, { field: 'targetHealth' })
  }
}

/**
 * Smallest fraction of every position whose close brings health to `targetHealth` after the
 * penalty (docs/protocol.md section 8): closing f at mark scales mmReq and notional by (1 - f) and
 * costs the penalty q f N, so (E - q f N) / ((1 - f) mmReq) >= H iff f >= (H mmReq - E) / (H mmReq - q N).
 * `target = wMulUp(H, mmReq)`, `penaltyAll = wMulUp(N, q)`, f = `mulDivUp(target - E, 1e18, target - penaltyAll)`,
 * at most 1e18, and 1e18 when the denominator is <= 0. Every rounding closes more.
 */
export function targetFraction(before: AccountHealth, targetHealth: bigint, penaltyRate: bigint): bigint {
  const target = wMulUp(targetHealth, before.mmReq)
  const den = target - wMulUp(before.totalNotional, penaltyRate)
  if (den <= 0n) return WAD
  // Below health 1 (the only case liquidate asks about) equity < mmReq <= target: the numerator is positive.
  return min(WAD, mulDivUp(target - before.equity, WAD, den))
}

/**
 * Liquidates an account below health 1 (docs/protocol.md section 8): closes a fraction of every
 * position at mark, charges a penalty split between liquidator and insurance fund, and when no
 * position remains with negative equity, covers the bad debt from the insurance fund and
 * socializes the rest. Value is conserved:
 * equity_after + fund_after + reward = equity_before + fund_before + socialized.
 */
export function liquidate(account: Account, ctx: RiskContext, insuranceFund: bigint, params: LiquidationParams = DEFAULT_LIQUIDATION): LiquidationResult {
  const targetHealth = params.targetHealth ?? 0n
  checkLiquidationParams(params, targetHealth === 0n ? [] : Object.values(ctx.markets).map((m) => m.mmf))
  if (insuranceFund < 0n) throw new InvalidParameterError('insuranceFund must not be negative', { field: 'insuranceFund' })
  const before = evaluateAccount(account, ctx)
  if (before.mmReq === 0n || before.health >= WAD) {
    throw new AccountHealthyError(`health ${before.mmReq === 0n ? 'max' : before.health} is not below 1e18`, { field: 'account' })
  }
  const full = before.health < params.fullLiquidationHealth || before.totalNotional <= params.dustNotional
  const fraction = full ? WAD : targetHealth === 0n ? params.closeFactor : targetFraction(before, targetHealth, params.penaltyRate)
  let settlement = account.settlement
  let closedNotional = 0n
  let realizedPnl = 0n
  const positions = account.positions.map((p, i) => {
    const mark = marketOf(ctx, p.market, `positions[${i}].market`).markPrice
    const size = abs(p.size)
    const close = min(size, mulDivUp(size, fraction, WAD))
    const closeSigned = p.size < 0n ? -close : close
    const rest = { ...p, size: p.size - closeSigned }
    // Realized = pnl(whole) - pnl(rest): splitting a position never creates or loses a unit.
    realizedPnl += positionPnl(p, mark) - positionPnl(rest, mark)
    closedNotional += mulDivUp(close, mark, WAD)
    return rest
  })
  settlement += realizedPnl
  const remaining = positions.filter((p) => p.size !== 0n)
  const afterClose = evaluateAccount({ ...account, settlement, positions: remaining }, ctx)
  const penalty = wMulUp(closedNotional, params.penaltyRate)
  const penaltyCharged = min(penalty, afterClose.equity > 0n ? afterClose.equity : 0n)
  settlement -= penaltyCharged
  const liquidatorReward = wMulDown(penaltyCharged, params.liquidatorShare)
  const insuranceFee = penaltyCharged - liquidatorReward
  let fund = insuranceFund + insuranceFee
  let badDebt = 0n
  let covered = 0n
  let socialized = 0n
  const equity = afterClose.equity - penaltyCharged
  if (remaining.length === 0 && equity < 0n) {
    badDebt = -equity
    covered = min(fund, badDebt)
    socialized = badDebt - covered
    fund -= covered
    settlement += badDebt
  }
  const next: Account = { ...account, settlement, positions: remaining }
  const after = evaluateAccount(next, ctx)
  return { account: next, before, after, fraction, closedNotional, realizedPnl, penalty, penaltyCharged, liquidatorReward, insuranceFee, badDebt, covered, socialized, insuranceFundAfter: fund }
}
