import { HEALTH_MAX } from '../risk/margin.js'
import { DEFAULT_LIQUIDATION, liquidate, type LiquidationParams } from '../risk/liquidation.js'
import { adlAllocate, type AdlCandidate } from '../risk/adl.js'
import { MARKETS, fromCoreAccount, toCore, wad, type RiskInput } from './risk-input.js'
import { scenario } from './margin.js'
import { vcase, type VectorCase, type VectorFile } from './harness.js'

const h = (x: bigint) => (x === HEALTH_MAX ? 'max' : x)

export function liquidationFile(): VectorFile {
  const cases: VectorCase[] = []
  const liq = (name: string, input: RiskInput, insuranceFund: bigint, params: LiquidationParams = DEFAULT_LIQUIDATION) =>
    cases.push(vcase(name, 'liquidate', { ...input, insuranceFund, params }, () => {
      const { account, ctx } = toCore(input)
      const r = liquidate(account, ctx, insuranceFund, params)
      return {
        account: fromCoreAccount(r.account),
        healthBefore: h(r.before.health),
        healthAfter: h(r.after.health),
        equityBefore: r.before.equity,
        equityAfter: r.after.equity,
        fraction: r.fraction,
        closedNotional: r.closedNotional,
        realizedPnl: r.realizedPnl,
        penalty: r.penalty,
        penaltyCharged: r.penaltyCharged,
        liquidatorReward: r.liquidatorReward,
        insuranceFee: r.insuranceFee,
        badDebt: r.badDebt,
        covered: r.covered,
        socialized: r.socialized,
        insuranceFundAfter: r.insuranceFundAfter,
      }
    }))
  const usdc = (n: bigint) => ({ asset: 0, amount: n * 1_000_000n, pending: false })
  const at = (mark: number | string, i = 0) => MARKETS.map((m, j) => (j === i ? { ...m, markPrice: wad(mark) } : m))
  const long = (size: number | string, entry: number | string, market = 0) => ({ market, size: wad(size), entryPrice: wad(entry) })
  liq('healthy account is refused', scenario({ collateral: [usdc(10_000n)], positions: [long(2, 3000)] }), wad(1000))
  liq('account with no positions is refused', scenario({ collateral: [usdc(10n)] }), 0n)
  liq('partial: health just below 1', scenario({ collateral: [usdc(2000n)], positions: [long(10, 3000)] }, at(2945)), wad(1000))
  liq('full: health below 0.5', scenario({ collateral: [usdc(1000n)], positions: [long(10, 3000)] }, at(2910)), wad(1000))
  liq('full: dust notional', scenario({ collateral: [usdc(2n)], positions: [long('0.01', 3000)] }, at(2900)), wad(1000))
  liq('short squeezed', scenario({ collateral: [usdc(2000n)], positions: [{ market: 0, size: -wad(10), entryPrice: wad(3000) }] }, at(3180)), wad(50))
  liq('bad debt covered by insurance', scenario({ collateral: [usdc(1000n)], positions: [long(10, 3000)] }, at(2800)), wad(5000))
  liq('bad debt partly socialized', scenario({ collateral: [usdc(1000n)], positions: [long(10, 3000)] }, at(2500)), wad(1000))
  liq('bad debt with empty insurance fund', scenario({ collateral: [usdc(1000n)], positions: [long(10, 3000)] }, at(2500)), 0n)
  const three = MARKETS.map((m, i) => ({ ...m, markPrice: [wad(2800), wad(63000), wad(140)][i]! }))
  liq('three positions, cross collateral', scenario({
    collateral: [usdc(14_000n), { asset: 1, amount: wad(1), pending: false }, { asset: 2, amount: 10_000_000_000n, pending: false }],
    positions: [long(20, 3000), { market: 1, size: -wad(1), entryPrice: wad(60000) }, long(200, 150, 2)],
    settlement: -wad(100),
  }, three), wad(10_000))
  liq('pending collateral does not save the account', scenario({ collateral: [usdc(900n), { asset: 0, amount: 1_000_000_000n, pending: true }], positions: [long(10, 3000)] }, at(2950)), wad(100))
  liq('custom params: full close factor, no liquidator share', scenario({ collateral: [usdc(2000n)], positions: [long(10, 3000)] }, at(2945)), wad(100), { ...DEFAULT_LIQUIDATION, closeFactor: wad(1), liquidatorShare: 0n })
  liq('invalid params: close factor zero', scenario({ collateral: [usdc(1000n)], positions: [long(10, 3000)] }, at(2940)), wad(100), { ...DEFAULT_LIQUIDATION, closeFactor: 0n })
  const target = (h: number | string, extra: Partial<LiquidationParams> = {}): LiquidationParams => ({ ...DEFAULT_LIQUIDATION, targetHealth: wad(h), ...extra })
  liq('target health 1.5: closes just enough, not the close factor', scenario({ collateral: [usdc(2000n)], positions: [long(10, 3000)] }, at(2945)), wad(1000), target('1.5'))
  liq('target health 1: the smallest close that restores health 1', scenario({ collateral: [usdc(2000n)], positions: [long(10, 3000)] }, at(2945)), wad(1000), target(1))
  liq('target health 1.25: short squeezed, odd sizes', scenario({ collateral: [usdc(2000n)], positions: [{ market: 0, size: -wad('9.876543210987654321'), entryPrice: wad(3000) }] }, at('3080.123456789')), wad(50), target('1.25'))
  liq('target health 1.5: three positions, cross collateral, multiplier', scenario({
    collateral: [usdc(14_500n), { asset: 1, amount: wad(1), pending: false }, { asset: 2, amount: 10_000_000_000n, pending: false }, { asset: 0, amount: 3_000_000_000n, pending: true }],
    positions: [long(20, 3000), { market: 1, size: -wad(1), entryPrice: wad(60000) }, long(200, 150, 2)],
    settlement: -wad(100),
  }, three.map((m, i) => (i === 1 ? { ...m, volMultiplier: wad('1.7') } : m))), wad(10_000), target('1.5'))
  liq('target health 3: more than the close factor', scenario({ collateral: [usdc(2000n)], positions: [long(10, 3000)] }, at(2945)), wad(1000), target(3))
  liq('target health 10: closes nearly everything', scenario({ collateral: [usdc(2000n)], positions: [long(10, 3000)] }, at(2945)), wad(1000), target(10, { penaltyRate: wad('0.04') }))
  liq('target health set: below 0.5 still closes everything', scenario({ collateral: [usdc(1000n)], positions: [long(10, 3000)] }, at(2910)), wad(1000), target('1.5'))
  liq('target health set: dust still closes everything', scenario({ collateral: [usdc(2n)], positions: [long('0.01', 3000)] }, at(2900)), wad(1000), target('1.5'))
  liq('invalid params: target health below 1', scenario({ collateral: [usdc(2000n)], positions: [long(10, 3000)] }, at(2945)), wad(100), { ...DEFAULT_LIQUIDATION, targetHealth: wad('0.99') })
  liq('invalid params: target health x mmf not above the penalty', scenario({ collateral: [usdc(2000n)], positions: [long(10, 3000)] }, at(2945)), wad(100), target(1, { penaltyRate: wad('0.05') }))
  const adl = (name: string, loss: bigint, candidates: AdlCandidate[]) => cases.push(vcase(name, 'adl', { loss, candidates }, () => adlAllocate(loss, candidates)))
  adl('adl ranks by pnl over equity', wad(500), [
    { id: 'a', unrealizedPnl: wad(300), equity: wad(1000) },
    { id: 'b', unrealizedPnl: wad(400), equity: wad(800) },
    { id: 'c', unrealizedPnl: -wad(50), equity: wad(100) },
  ])
  adl('adl loss larger than all profits', wad(1000), [{ id: 'a', unrealizedPnl: wad(300), equity: wad(1000) }])
  return {
    topic: 'liquidation',
    version: 1,
    description: 'Liquidation with close factor or target health, penalty split, bad debt -> insurance -> socialized, and ADL allocation (docs/protocol.md section 8)',
    cases,
  }
}
