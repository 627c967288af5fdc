import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { WAD } from '../math/constants.js'
import { ASSETS, MARKETS, toCore, wad } from '../vectors/risk-input.js'
import { scenario } from '../vectors/margin.js'
import { evaluateAccount, evaluateIsolated, isLiquidatable } from './margin.js'
import { credit, trade, withdraw } from './operations.js'
import type { Account, RiskContext } from './types.js'

const ctx = (markets = MARKETS): RiskContext => toCore(scenario({}, markets, ASSETS)).ctx
const amount = fc.bigInt({ min: 0n, max: 10n ** 24n })
const size = fc.bigInt({ min: -(10n ** 22n), max: 10n ** 22n }).filter((s) => s !== 0n)
const price = fc.bigInt({ min: 10n ** 15n, max: 10n ** 24n })

const account = fc.record({
  collateral: fc.array(fc.record({ asset: fc.constantFrom('a0', 'a1', 'a2'), amount, state: fc.constantFrom('active' as const, 'pending' as const) }), { maxLength: 4 }),
  positions: fc.uniqueArray(fc.record({ market: fc.constantFrom('m0', 'm1', 'm2'), size, entryPrice: price }), { selector: (p) => p.market, maxLength: 3 }),
  settlement: fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n }),
})

describe('cross-margin evaluation', () => {
  it('values a sample book the way the protocol spec says', () => {
    const { account: a, ctx: c } = toCore(scenario({ collateral: [{ asset: 0, amount: 1_000_000_000n, pending: false }], positions: [{ market: 0, size: wad(2), entryPrice: wad(2500) }] }))
    const h = evaluateAccount(a, c)
    expect(h.collateralValue).toBe(wad(1000))
    expect(h.unrealizedPnl).toBe(wad(1000))
    expect(h.equity).toBe(wad(2000))
    expect(h.imReq).toBe(wad(600))
    expect(h.mmReq).toBe(wad(300))
    expect(h.health).toBe((wad(2000) * WAD) / wad(300))
  })

  it('more collateral never lowers health', () => {
    fc.assert(
      fc.property(account, fc.constantFrom('a0', 'a1', 'a2'), fc.bigInt({ min: 1n, max: 10n ** 24n }), (a, asset, extra) => {
        const before = evaluateAccount(a, ctx())
        const after = evaluateAccount(credit(a, asset, extra, ctx()), ctx())
        expect(after.health >= before.health).toBe(true)
        expect(after.equity >= before.equity).toBe(true)
      }),
      { numRuns: 1000 },
    )
  })

  // Health is a ratio: far from liquidation (health > 1 / (mmf x multiplier)) a falling price shrinks the
  // requirement faster than equity, so the ratio itself can rise. What decides liquidation is the surplus
  // equity - mmReq, which is monotone; the ratio is monotone wherever health <= 1 / (mmf x multiplier).
  it("a lower price never raises a long's margin surplus, nor its health within reach of liquidation", () => {
    fc.assert(
      fc.property(account, fc.bigInt({ min: 1n, max: 10n ** 22n }), price, fc.bigInt({ min: 1n, max: 10n ** 23n }), (a, longSize, mark, drop) => {
        const acct: Account = { ...a, positions: [{ market: 'm0', size: longSize, entryPrice: wad(3000) }] }
        const hi = evaluateAccount(acct, ctx(MARKETS.map((m, i) => (i === 0 ? { ...m, markPrice: mark + drop } : m))))
        const lo = evaluateAccount(acct, ctx(MARKETS.map((m, i) => (i === 0 ? { ...m, markPrice: mark } : m))))
        // one unit of slack per rounded term (pnl floor, notional ceil, two requirement ceils)
        expect(lo.equity - lo.mmReq <= hi.equity - hi.mmReq + 4n).toBe(true)
        // the ratio of two rounded integers moves by up to ~4 units of the requirement: allow that much
        if (hi.health <= 20n * WAD && lo.mmReq > 0n) expect(lo.health <= hi.health + ((hi.health < 0n ? -hi.health : hi.health) * 4n) / lo.mmReq + 1n).toBe(true)
      }),
      { numRuns: 2000 },
    )
  })

  it('pending collateral counts only at its pending weight', () => {
    const c = ctx()
    const active = evaluateAccount({ collateral: [{ asset: 'a1', amount: WAD }], positions: [], settlement: 0n }, c)
    const pending = evaluateAccount({ collateral: [{ asset: 'a1', amount: WAD, state: 'pending' }], positions: [], settlement: 0n }, c)
    expect(active.collateralValue).toBe(wad(2400))
    expect(pending.collateralValue).toBe(0n)
  })

  it('a higher volatility multiplier raises both requirements proportionally', () => {
    const a: Account = { collateral: [{ asset: 'a0', amount: 10n ** 10n }], positions: [{ market: 'm0', size: wad(1), entryPrice: wad(3000) }], settlement: 0n }
    const calm = evaluateAccount(a, ctx())
    const wild = evaluateAccount(a, ctx(MARKETS.map((m) => ({ ...m, volMultiplier: 2n * WAD }))))
    expect(wild.mmReq).toBe(2n * calm.mmReq)
    expect(wild.imReq).toBe(2n * calm.imReq)
    expect(wild.health < calm.health).toBe(true)
  })

  it('isolated margin evaluates one position against its own bucket', () => {
    const h = evaluateIsolated({ market: 'm0', size: wad(1), entryPrice: wad(3000) }, { collateral: [{ asset: 'a0', amount: 100_000_000n }], settlement: 0n }, ctx())
    expect(h.mmReq).toBe(wad(150))
    expect(isLiquidatable(h)).toBe(true)
  })

  it('rejects bad input with the field named', () => {
    expect(() => evaluateAccount({ collateral: [{ asset: 'zz', amount: 1n }], positions: [], settlement: 0n }, ctx())).toThrowError(expect.objectContaining({ name: 'UnknownAsset', field: 'collateral[0].asset' }))
    expect(() => evaluateAccount({ collateral: [{ asset: 'a0', amount: -1n }], positions: [], settlement: 0n }, ctx())).toThrowError(expect.objectContaining({ name: 'InvalidAmount', field: 'collateral[0].amount' }))
    const a: Account = { collateral: [{ asset: 'a0', amount: 10n ** 10n }], positions: [], settlement: 0n }
    expect(() => withdraw(a, 'a0', 0n, ctx())).toThrowError(expect.objectContaining({ name: 'ZeroAmount' }))
    expect(() => trade(a, 'm0', 0n, ctx())).toThrowError(expect.objectContaining({ name: 'ZeroAmount', field: 'sizeDelta' }))
    expect(() => credit(a, 'a0', -5n, ctx())).toThrowError(expect.objectContaining({ name: 'InvalidAmount' }))
  })

  it('no withdrawal leaves an account below initial margin', () => {
    fc.assert(
      fc.property(account, fc.constantFrom('a0', 'a1', 'a2'), fc.bigInt({ min: 1n, max: 10n ** 24n }), (a, asset, amt) => {
        try {
          const r = withdraw(a, asset, amt, ctx())
          expect(r.health.equity >= r.health.imReq).toBe(true)
        } catch (e) {
          expect(['InsufficientMargin', 'InsufficientCollateral']).toContain((e as Error).name)
        }
      }),
      { numRuns: 1000 },
    )
  })
})
