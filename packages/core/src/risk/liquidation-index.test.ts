import { describe, expect, it } from 'vitest'
import { WAD } from '../math/constants.js'
import { rng } from '../vectors/harness.js'
import { syntheticBook } from './book-fixture.js'
import { evaluateAccount } from './margin.js'
import { LiquidationIndex } from './liquidation-index.js'

describe('health book and liquidation index', () => {
  it('the float screen finds exactly the accounts exact math calls liquidatable', () => {
    const book = syntheticBook(3000, 7n)
    book.setPrice(5, 2850n * WAD)
    book.setPrice(6, 63_000n * WAD)
    const { liquidatable } = book.scanLiquidatable()
    const ctx = book.context()
    const brute = []
    for (let i = 0; i < book.size; i++) {
      const h = evaluateAccount(book.account(i), ctx)
      if (h.mmReq > 0n && h.health < WAD) brute.push(i)
    }
    expect(brute.length).toBeGreaterThan(10)
    expect(liquidatable).toEqual(brute)
  })

  it('keeps exact values: accounts round-trip through the 128-bit store', () => {
    const book = syntheticBook(50, 3n)
    const a = book.account(17)
    book.setAccount(17, a)
    expect(book.account(17)).toEqual(a)
  })

  it('after every tick, the index agrees with a full exact rescan while touching few accounts', () => {
    const book = syntheticBook(2000, 11n)
    const index = new LiquidationIndex(book)
    index.build()
    for (const id of index.liquidatable) {
      book.setAccount(id, { ...book.account(id), positions: [] })
      index.reindex(id)
    }
    const next = rng(99n)
    let touched = 0
    let found = 0
    for (let t = 0; t < 150; t++) {
      const feed = [0, 1, 2, 3, 4, 5, 6, 7][Number(next() % 8n)]!
      const p = book.feedPriceExact[feed]!
      const bps = 9_950n + (next() % 95n)
      const tick = index.onPrice(feed, (p * bps) / 10_000n)
      touched += tick.reevaluated
      const full = new Set(book.scanLiquidatable().liquidatable)
      expect([...index.liquidatable].sort((a, b) => a - b)).toEqual([...full].sort((a, b) => a - b))
      found += tick.liquidatable.length
      // a keeper closes what was found; the account is re-indexed without positions
      for (const id of tick.liquidatable) {
        book.setAccount(id, { ...book.account(id), positions: [] })
        index.reindex(id)
      }
    }
    expect(found).toBeGreaterThan(0)
    // a rescan per tick would touch 150 x 2000 accounts
    expect(touched).toBeLessThan(150 * 2000 * 0.25)
  })

  it('a higher volatility multiplier re-arms the market and finds what it made liquidatable', () => {
    const book = syntheticBook(2000, 21n)
    const index = new LiquidationIndex(book)
    index.build()
    const before = new Set(index.liquidatable)
    const r = index.onMultiplier(0, 2n * WAD)
    expect(r.reevaluated).toBeGreaterThan(0)
    expect(r.liquidatable.length).toBeGreaterThan(0)
    expect(r.liquidatable.every((i) => !before.has(i))).toBe(true)
    expect([...index.liquidatable].sort((a, b) => a - b)).toEqual(book.scanLiquidatable().liquidatable)
  })

  it('refuses an out-of-range account without writing any part of it', () => {
    const book = syntheticBook(10, 4n)
    const before = book.account(3)
    const bad = { ...before, settlement: 1n << 120n }
    expect(() => book.setAccount(3, bad)).toThrowError(expect.objectContaining({ name: 'InvalidParameter', field: 'settlement' }))
    expect(() => book.setAccount(3, { ...before, collateral: [{ asset: '9', amount: 1n }] })).toThrowError(expect.objectContaining({ name: 'InvalidParameter' }))
    expect(book.account(3)).toEqual(before)
  })
})
