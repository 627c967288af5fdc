import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { WAD } from '../math/constants.js'
import { ASSETS, MARKETS, toCore, wad, type RiskInput } from '../vectors/risk-input.js'
import { scenario } from '../vectors/margin.js'
import { DEFAULT_LIQUIDATION, liquidate, targetFraction } from './liquidation.js'
import { evaluateAccount } from './margin.js'

const size = fc.bigInt({ min: 10n ** 12n, max: 10n ** 21n })
const arb = fc.record({
  usdc: fc.bigInt({ min: 1n, max: 10n ** 11n }),
  pending: fc.bigInt({ min: 0n, max: 10n ** 10n }),
  settlement: fc.bigInt({ min: -(10n ** 21n), max: 10n ** 21n }),
  sizes: fc.tuple(size, size, size),
  signs: fc.tuple(fc.boolean(), fc.boolean(), fc.boolean()),
  open: fc.integer({ min: 1, max: 7 }),
  moves: fc.tuple(fc.integer({ min: 700, max: 1300 }), fc.integer({ min: 700, max: 1300 }), fc.integer({ min: 700, max: 1300 })),
  vol: fc.tuple(fc.bigInt({ min: WAD, max: 5n * WAD }), fc.bigInt({ min: WAD, max: 5n * WAD })),
  target: fc.bigInt({ min: WAD, max: 3n * WAD }),
  penalty: fc.bigInt({ min: 0n, max: WAD / 25n }),
})

type Sample = typeof arb extends fc.Arbitrary<infer T> ? T : never

/** A random cross-margin account (up to 3 positions, pending collateral, multipliers) below health 1, or undefined. */
function build(x: Sample) {
  const markets = MARKETS.map((m, i) => ({ ...m, markPrice: (m.markPrice * BigInt(x.moves[i]!)) / 1000n, volMultiplier: i < 2 ? x.vol[i]! : m.volMultiplier }))
  const positions = MARKETS.flatMap((m, i) => ((x.open >> i) & 1 ? [{ market: i, size: x.signs[i] ? -x.sizes[i]! : x.sizes[i]!, entryPrice: m.markPrice }] : []))
  const input: RiskInput = scenario({ collateral: [{ asset: 0, amount: x.usdc, pending: false }, { asset: 0, amount: x.pending, pending: true }], positions, settlement: x.settlement }, markets, ASSETS)
  const { account, ctx } = toCore(input)
  const before = evaluateAccount(account, ctx)
  if (before.mmReq === 0n || before.health >= WAD) return undefined
  const params = { ...DEFAULT_LIQUIDATION, penaltyRate: x.penalty, targetHealth: x.target }
  return { account, ctx, before, params }
}

describe('liquidation to a target health', () => {
  it('conserves value and, when partial, restores at least the target health', () => {
    let partial = 0
    fc.assert(
      fc.property(arb, fc.bigInt({ min: 0n, max: 10n ** 22n }), (x, fund) => {
        const s = build(x)
        if (!s) return
        const r = liquidate(s.account, s.ctx, fund, s.params)
        expect(r.after.equity + r.insuranceFundAfter + r.liquidatorReward).toBe(r.before.equity + fund + r.socialized)
        expect(r.penaltyCharged).toBe(r.liquidatorReward + r.insuranceFee)
        if (r.fraction < WAD) {
          partial++
          expect(r.account.positions.length === 0 || r.after.health >= x.target, `health ${r.after.health} < ${x.target}`).toBe(true)
        }
      }),
      { numRuns: 4000 },
    )
    expect(partial).toBeGreaterThan(100)
  })

  it('closes the smallest fraction: (H mmReq - E) / (H mmReq - q N) up to the rounding of its two products (1 wei unless dust-sized)', () => {
    fc.assert(
      fc.property(arb, (x) => {
        const s = build(x)
        if (!s) return
        const { mmReq, equity, totalNotional } = s.before
        const f = targetFraction(s.before, x.target, x.penalty)
        const num = WAD * (x.target * mmReq - equity * WAD) // exact, WAD^3 units
        const den = x.target * mmReq - x.penalty * totalNotional // exact, WAD^2 units
        if (den <= 0n || num >= WAD * den) {
          expect(f).toBe(WAD)
        } else {
          expect(f * den >= num).toBe(true) // reaches the target
          // minimal up to the rounding of the two WAD products (each rounded up by less than 1 wei, i.e. < WAD
          // here): f - 1 stays below the ratio with the numerator raised and the denominator lowered by that
          if (den > WAD) expect((f - 1n) * (den - WAD) < WAD * (x.target * mmReq + WAD - equity * WAD)).toBe(true)
          // each rounding moves f by at most WAD / den (in WAD units): once H mmReq - q N exceeds $10 that is
          // under 0.1 wei, so f is within 1 wei of the exact minimum
          if (den > 10n ** 37n) expect((f - 2n) * den < num).toBe(true)
        }
      }),
      { numRuns: 4000 },
    )
  })

  it('0 keeps the close factor; a set target replaces it; full liquidation and dust stay as they were', () => {
    const at = (mark: bigint) => MARKETS.map((m, i) => (i === 0 ? { ...m, markPrice: mark } : m))
    const { account, ctx } = toCore(scenario({ collateral: [{ asset: 0, amount: 2_000_000_000n, pending: false }], positions: [{ market: 0, size: wad(10), entryPrice: wad(3000) }] }, at(wad(2945))))
    expect(liquidate(account, ctx, 0n, { ...DEFAULT_LIQUIDATION, targetHealth: 0n }).fraction).toBe(DEFAULT_LIQUIDATION.closeFactor)
    const r = liquidate(account, ctx, 0n, { ...DEFAULT_LIQUIDATION, targetHealth: wad('1.5') })
    expect(r.fraction).toBeLessThan(DEFAULT_LIQUIDATION.closeFactor)
    expect(r.after.health).toBeGreaterThanOrEqual(wad('1.5'))
    const deep = toCore(scenario({ collateral: [{ asset: 0, amount: 1_000_000_000n, pending: false }], positions: [{ market: 0, size: wad(10), entryPrice: wad(3000) }] }, at(wad(2910))))
    expect(liquidate(deep.account, deep.ctx, 0n, { ...DEFAULT_LIQUIDATION, targetHealth: wad('1.5') }).fraction).toBe(WAD)
  })

  it('refuses a target below 1 or one a liquidation could not reach, naming the field', () => {
    const { account, ctx } = toCore(scenario({ collateral: [{ asset: 0, amount: 2_000_000_000n, pending: false }], positions: [{ market: 0, size: wad(10), entryPrice: wad(3000) }] }, MARKETS.map((m, i) => (i === 0 ? { ...m, markPrice: wad(2945) } : m))))
    const bad = (targetHealth: bigint, penaltyRate = DEFAULT_LIQUIDATION.penaltyRate) => () => liquidate(account, ctx, 0n, { ...DEFAULT_LIQUIDATION, penaltyRate, targetHealth })
    expect(bad(WAD - 1n)).toThrowError(expect.objectContaining({ name: 'InvalidParameter', field: 'targetHealth' }))
    // 1.0 x mmf 5% (the smallest market here) = 5%: a 5% penalty would not raise health.
    expect(bad(WAD, wad('0.05'))).toThrowError(expect.objectContaining({ name: 'InvalidParameter', field: 'targetHealth' }))
    expect(bad(wad('1.01'), wad('0.05'))).not.toThrow()
  })
})
