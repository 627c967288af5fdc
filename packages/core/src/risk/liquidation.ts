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

function checkParams(p: LiquidationParams): void {
  for (const k of ['closeFactor', 'fullLiquidationHealth', 'penaltyRate', 'liquidatorShare'] as const) {
    if (p[k] < 0n || p[k] > WAD) throw new InvalidParameterError(`${k} must be in [0, 1e18]`, { field: k })
  }
  if (p.closeFactor === 0n) throw new InvalidParameterError('closeFactor must be positive', { field: 'closeFactor' })
  if (p.dustNotional < 0n) throw new InvalidParameterError('dustNotional must not be negative', { field: 'dustNotional' })
}

/**
 * Liquidates an account below health 1 (docs/protocol.md section 8): closes a fraction of every
 * position at mark, charges a penalty split between liquidator and insurance fund, and when no
 * position remains with negative equity, covers the bad debt from the insurance fund and
 * socializes the rest. Value is conserved:
 * equity_after + fund_after + reward = equity_before + fund_before + socialized.
 */
export function liquidate(account: Account, ctx: RiskContext, insuranceFund: bigint, params: LiquidationParams = DEFAULT_LIQUIDATION): LiquidationResult {
  checkParams(params)
  if (insuranceFund < 0n) throw new InvalidParameterError('insuranceFund must not be negative', { field: 'insuranceFund' })
  const before = evaluateAccount(account, ctx)
  if (before.mmReq === 0n || before.health >= WAD) {
    throw new AccountHealthyError(`health ${before.mmReq === 0n ? 'max' : before.health} is not below 1e18`, { field: 'account' })
  }
  const full = before.health < params.fullLiquidationHealth || before.totalNotional <= params.dustNotional
  const fraction = full ? WAD : params.closeFactor
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
