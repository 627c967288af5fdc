import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { WAD } from '../math/constants.js'
import { ASSETS, MARKETS, toCore, wad } from '../vectors/risk-input.js'
import { scenario } from '../vectors/margin.js'
import { adlAllocate } from './adl.js'
import { DEFAULT_LIQUIDATION, liquidate } from './liquidation.js'
import { evaluateAccount } from './margin.js'

describe('liquidation', () => {
  it('conserves value: every unit in equals every unit out', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        fc.bigInt({ min: 1n, max: 10n ** 21n }),
        fc.boolean(),
        fc.bigInt({ min: 10n ** 18n, max: 10n ** 22n }),
        fc.bigInt({ min: 0n, max: 10n ** 22n }),
        fc.bigInt({ min: 0n, max: 10n ** 18n }),
        (usdc, sz, short, mark, fund, share) => {
          const input = scenario({ collateral: [{ asset: 0, amount: usdc, pending: false }], positions: [{ market: 0, size: short ? -sz : sz, entryPrice: wad(3000) }] }, MARKETS.map((m, i) => (i === 0 ? { ...m, markPrice: mark } : m)), ASSETS)
          const { account, ctx } = toCore(input)
          const before = evaluateAccount(account, ctx)
          if (before.health >= WAD) return
          const r = liquidate(account, ctx, fund, { ...DEFAULT_LIQUIDATION, liquidatorShare: share })
          expect(r.after.equity + r.insuranceFundAfter + r.liquidatorReward).toBe(r.before.equity + fund + r.socialized)
          expect(r.penaltyCharged).toBe(r.liquidatorReward + r.insuranceFee)
          expect(r.badDebt).toBe(r.covered + r.socialized)
          expect(r.after.equity >= 0n || r.account.positions.length > 0).toBe(true)
        },
      ),
      { numRuns: 2000 },
    )
  })

  it('refuses a healthy account and names the reason', () => {
    const { account, ctx } = toCore(scenario({ collateral: [{ asset: 0, amount: 10n ** 12n, pending: false }], positions: [{ market: 0, size: wad(1), entryPrice: wad(3000) }] }))
    expect(() => liquidate(account, ctx, 0n)).toThrowError(expect.objectContaining({ name: 'AccountHealthy' }))
    expect(() => liquidate(account, ctx, -1n)).toThrowError(expect.objectContaining({ name: 'InvalidParameter', field: 'insuranceFund' }))
  })

  it('a partial liquidation with default parameters raises health', () => {
    const { account, ctx } = toCore(scenario({ collateral: [{ asset: 0, amount: 2_000_000_000n, pending: false }], positions: [{ market: 0, size: wad(10), entryPrice: wad(3000) }] }, MARKETS.map((m, i) => (i === 0 ? { ...m, markPrice: wad(2945) } : m))))
    const r = liquidate(account, ctx, 0n)
    expect(r.fraction).toBe(DEFAULT_LIQUIDATION.closeFactor)
    expect(r.after.health > r.before.health).toBe(true)
    expect(r.account.positions[0]!.size).toBe(wad(5))
  })

  it('socializes only what the insurance fund cannot cover, and ADL charges it to winners', () => {
    const { account, ctx } = toCore(scenario({ collateral: [{ asset: 0, amount: 1_000_000_000n, pending: false }], positions: [{ market: 0, size: wad(10), entryPrice: wad(3000) }] }, MARKETS.map((m, i) => (i === 0 ? { ...m, markPrice: wad(2500) } : m))))
    const r = liquidate(account, ctx, wad(1000))
    expect(r.badDebt).toBe(wad(4000))
    expect(r.covered).toBe(wad(1000))
    expect(r.socialized).toBe(wad(3000))
    const adl = adlAllocate(r.socialized, [{ id: 'x', unrealizedPnl: wad(2500), equity: wad(5000) }, { id: 'y', unrealizedPnl: wad(1000), equity: wad(1000) }])
    expect(adl.deductions).toEqual([{ id: 'y', amount: wad(1000) }, { id: 'x', amount: wad(2000) }])
    expect(adl.unabsorbed).toBe(0n)
  })
})
