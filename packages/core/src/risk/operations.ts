import { InvalidAmountError, InvalidParameterError, ZeroAmountError } from '../errors/input.js'
import { InsufficientCollateralError, InsufficientMarginError } from '../errors/margin.js'
import { WAD } from '../math/constants.js'
import { abs, mulDivDown, mulDivUp, wMulUp } from '../math/fixed-point.js'
import { assetOf, evaluateAccount, marketOf, positionPnl, type AccountHealth } from './margin.js'
import type { Account, Position, RiskContext } from './types.js'

export type TradeResult = { account: Account; fee: bigint; realizedPnl: bigint; health: AccountHealth }

/**
 * Opens, increases, reduces, closes or flips a position at the market's mark price, charging
 * `feeRate` on the traded notional (rounded up). A trade that adds exposure must leave
 * equity >= initial requirement (InsufficientMargin); a pure reduction is always allowed.
 * Entry price on increase: size-weighted, rounded up for longs and down for shorts.
 */
export function trade(account: Account, market: string, sizeDelta: bigint, ctx: RiskContext, feeRate = 0n): TradeResult {
  if (sizeDelta === 0n) throw new ZeroAmountError('sizeDelta must not be zero', { field: 'sizeDelta' })
  if (feeRate < 0n || feeRate > WAD) throw new InvalidParameterError('feeRate must be in [0, 1e18]', { field: 'feeRate' })
  const price = marketOf(ctx, market, 'market').markPrice
  const positions = account.positions.map((p) => ({ ...p }))
  let idx = positions.findIndex((p) => p.market === market)
  if (idx < 0) {
    positions.push({ market, size: 0n, entryPrice: price })
    idx = positions.length - 1
  }
  const pos = positions[idx]!
  const old = pos.size
  let realizedPnl = 0n
  if (old === 0n || old > 0n === sizeDelta > 0n) {
    const next = old + sizeDelta
    const num = abs(old) * pos.entryPrice + abs(sizeDelta) * price
    pos.entryPrice = next > 0n ? mulDivUp(num, 1n, abs(next)) : mulDivDown(num, 1n, abs(next))
    pos.size = next
  } else {
    const flips = abs(sizeDelta) > abs(old)
    const before = positionPnl(pos, price)
    pos.size = old + sizeDelta
    // Realized = pnl(old) - pnl(remaining at the same entry): exact, no unit lost to rounding.
    realizedPnl = before - (flips ? 0n : positionPnl(pos, price))
    if (flips) pos.entryPrice = price
  }
  const fee = wMulUp(mulDivUp(abs(sizeDelta), price, WAD), feeRate)
  const settlement = account.settlement + realizedPnl - fee
  const next: Account = { ...account, settlement, positions: positions.filter((p) => p.size !== 0n) }
  const health = evaluateAccount(next, ctx)
  const addsExposure = abs(pos.size) > abs(old) || (old !== 0n && pos.size !== 0n && pos.size > 0n !== old > 0n)
  if (addsExposure && health.equity < health.imReq) {
    throw new InsufficientMarginError(`equity ${health.equity} below initial requirement ${health.imReq}`, { field: 'sizeDelta' })
  }
  return { account: next, fee, realizedPnl, health }
}

/**
 * Removes `amount` of active collateral `asset`; allowed only when equity stays at or above the
 * initial requirement afterwards (docs/protocol.md section 7).
 */
export function withdraw(account: Account, asset: string, amount: bigint, ctx: RiskContext): { account: Account; health: AccountHealth } {
  if (amount === 0n) throw new ZeroAmountError('amount must be positive', { field: 'amount' })
  if (amount < 0n) throw new InvalidAmountError('amount must be positive', { field: 'amount' })
  assetOf(ctx, asset, 'asset')
  const i = account.collateral.findIndex((c) => c.asset === asset && (c.state ?? 'active') === 'active')
  const held = i < 0 ? 0n : account.collateral[i]!.amount
  if (amount > held) throw new InsufficientCollateralError(`holds ${held} of ${asset}, asked ${amount}`, { field: 'amount' })
  const collateral = account.collateral.map((c, j) => (j === i ? { ...c, amount: c.amount - amount } : c)).filter((c) => c.amount > 0n)
  const next: Account = { ...account, collateral }
  const health = evaluateAccount(next, ctx)
  if (health.equity < health.imReq) {
    throw new InsufficientMarginError(`equity ${health.equity} would fall below initial requirement ${health.imReq}`, { field: 'amount' })
  }
  return { account: next, health }
}

/** Adds attested collateral (merging with an existing active entry of the same asset). */
export function credit(account: Account, asset: string, amount: bigint, ctx: RiskContext, state: 'active' | 'pending' = 'active'): Account {
  if (amount === 0n) throw new ZeroAmountError('amount must be positive', { field: 'amount' })
  if (amount < 0n) throw new InvalidAmountError('amount must be positive', { field: 'amount' })
  assetOf(ctx, asset, 'asset')
  const i = account.collateral.findIndex((c) => c.asset === asset && (c.state ?? 'active') === state)
  const collateral = i < 0 ? [...account.collateral, { asset, amount, state }] : account.collateral.map((c, j) => (j === i ? { ...c, amount: c.amount + amount } : c))
  return { ...account, collateral }
}

export type { Position }
