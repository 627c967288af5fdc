import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { WAD } from '../math/constants.js'
import { HealthBook } from './health-book.js'
import { LiquidationIndex } from './liquidation-index.js'
import { evaluateAccount } from './margin.js'
import type { Account } from './types.js'

/**
 * Three feeds: USDC-like collateral and a perp on feed 0 (netting on one feed), an 18-decimal
 * collateral with a pending weight and a perp on feed 1, a perp with a multiplier on feed 2.
 */
const config = () => ({
  capacity: 40,
  feeds: 3,
  assets: [
    { feed: 0, decimals: 6, weight: WAD },
    { feed: 1, decimals: 18, weight: (WAD * 8n) / 10n, pendingWeight: (WAD * 4n) / 10n },
  ],
  markets: [
    { feed: 2, imf: WAD / 10n, mmf: WAD / 20n, volMultiplier: (WAD * 3n) / 2n },
    { feed: 1, imf: WAD / 10n, mmf: WAD / 20n, volMultiplier: WAD },
    { feed: 0, imf: WAD / 5n, mmf: WAD / 10n, volMultiplier: WAD },
  ],
})
const START = [WAD, 3000n * WAD, 60_000n * WAD]

const position = fc.record({ market: fc.integer({ min: 0, max: 2 }), notional: fc.bigInt({ min: 10n ** 18n, max: 10n ** 24n }), short: fc.boolean(), entry: fc.integer({ min: 900, max: 1100 }) })
const account = fc.record({
  usdc: fc.bigInt({ min: 0n, max: 10n ** 12n }),
  eth: fc.bigInt({ min: 0n, max: 10n ** 20n }),
  pending: fc.boolean(),
  positions: fc.array(position, { maxLength: 3 }),
  // where the settlement puts health at the start: a band around 1, or exactly a few wei from it
  health: fc.oneof(fc.integer({ min: 950, max: 1300 }), fc.constant(1000)),
  wei: fc.bigInt({ min: -3n, max: 3n }),
})
const tick = fc.record({
  feed: fc.integer({ min: 0, max: 2 }),
  // mostly small moves, some jumps, some returns to the starting price
  bps: fc.oneof(fc.integer({ min: -30, max: 30 }), fc.integer({ min: -1500, max: 1500 }), fc.constant(0)),
  back: fc.boolean(),
})

/** An account whose exact equity - mmReq at the start prices is health x mmReq - mmReq + wei. */
function make(x: typeof account extends fc.Arbitrary<infer T> ? T : never, book: HealthBook): Account {
  const seen = new Set<number>()
  const positions = x.positions
    .filter((p) => !seen.has(p.market) && (seen.add(p.market), true))
    .map((p) => {
      const mark = START[[2, 1, 0][p.market]!]!
      const size = (p.notional * WAD) / mark
      return { market: String(p.market), size: p.short ? -size : size, entryPrice: (mark * BigInt(p.entry)) / 1000n }
    })
  const a: Account = { collateral: [{ asset: '0', amount: x.usdc }, { asset: '1', amount: x.eth, state: x.pending ? 'pending' : 'active' }], positions, settlement: 0n }
  const h = evaluateAccount(a, book.context())
  return { ...a, settlement: (h.mmReq * BigInt(x.health)) / 1000n - h.equity + x.wei }
}

const exactlyLiquidatable = (book: HealthBook): number[] => {
  const ctx = book.context()
  const out = []
  for (let i = 0; i < book.size; i++) {
    const h = evaluateAccount(book.account(i), ctx)
    if (h.mmReq > 0n && h.health < WAD) out.push(i)
  }
  return out
}
const sorted = (s: Iterable<number>) => [...s].sort((a, b) => a - b)

describe('liquidation index against exact math (property)', () => {
  it('after build and after every tick, up or down, the liquidatable set is exactly the accounts exact math calls liquidatable', () => {
    let liquidations = 0
    let skipped = 0
    fc.assert(
      fc.property(fc.array(account, { minLength: 10, maxLength: 40 }), fc.array(tick, { minLength: 5, maxLength: 40 }), (accounts, ticks) => {
        const book = new HealthBook(config())
        START.forEach((p, f) => book.setPrice(f, p))
        accounts.forEach((x, i) => book.setAccount(i, make(x, book)))
        const index = new LiquidationIndex(book)
        index.build()
        let before = sorted(index.liquidatable)
        expect(before).toEqual(exactlyLiquidatable(book))
        for (const t of ticks) {
          const p = t.back ? START[t.feed]! : (book.feedPriceExact[t.feed]! * BigInt(10_000 + t.bps)) / 10_000n
          const r = index.onPrice(t.feed, p)
          const now = exactlyLiquidatable(book)
          expect(sorted(index.liquidatable)).toEqual(now)
          // the tick reports the accounts it made liquidatable, and only those
          expect(sorted(r.liquidatable)).toEqual(now.filter((i) => !before.includes(i)))
          liquidations += r.liquidatable.length
          skipped += book.size - r.reevaluated
          before = now
        }
      }),
      { numRuns: 150 },
    )
    // the ticks found liquidations and left most accounts alone
    expect(liquidations).toBeGreaterThan(200)
    expect(skipped).toBeGreaterThan(0)
  })

  it('stays exact when every feed trends against the accounts at once (each trigger takes its share, the first one the reserve)', () => {
    let liquidations = 0
    fc.assert(
      fc.property(fc.array(account, { minLength: 10, maxLength: 40 }), fc.tuple(fc.boolean(), fc.boolean(), fc.boolean()), fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 30, maxLength: 90 }), (accounts, up, steps) => {
        const book = new HealthBook(config())
        START.forEach((p, f) => book.setPrice(f, p))
        accounts.forEach((x, i) => book.setAccount(i, make(x, book)))
        const index = new LiquidationIndex(book)
        index.build()
        steps.forEach((bps, k) => {
          // feeds in turn, each in its own direction, small steps: no single tick jumps a trigger's reserve
          const f = k % 3
          const r = index.onPrice(f, (book.feedPriceExact[f]! * BigInt(10_000 + (up[f] ? bps : -bps))) / 10_000n)
          liquidations += r.liquidatable.length
          expect(sorted(index.liquidatable)).toEqual(exactlyLiquidatable(book))
        })
      }),
      { numRuns: 150 },
    )
    expect(liquidations).toBeGreaterThan(100)
  })

  it('keeps exactness through re-indexed accounts and multiplier changes', () => {
    fc.assert(
      fc.property(fc.array(account, { minLength: 10, maxLength: 30 }), fc.array(fc.tuple(tick, fc.integer({ min: 0, max: 29 }), account, fc.integer({ min: 0, max: 9 })), { minLength: 5, maxLength: 25 }), (accounts, steps) => {
        const book = new HealthBook(config())
        START.forEach((p, f) => book.setPrice(f, p))
        accounts.forEach((x, i) => book.setAccount(i, make(x, book)))
        const index = new LiquidationIndex(book)
        index.build()
        for (const [t, slot, replacement, what] of steps) {
          if (what === 0) index.onMultiplier(t.feed, WAD + BigInt(Math.abs(t.bps)) * 10n ** 15n)
          else if (what === 1 && slot < book.size) {
            // a trade or a liquidation changed the account: the keeper re-reads it and re-indexes it
            book.setAccount(slot, make(replacement, book))
            index.reindex(slot)
          } else index.onPrice(t.feed, (book.feedPriceExact[t.feed]! * BigInt(10_000 + t.bps)) / 10_000n)
          expect(sorted(index.liquidatable)).toEqual(exactlyLiquidatable(book))
        }
      }),
      { numRuns: 100 },
    )
  })
})
