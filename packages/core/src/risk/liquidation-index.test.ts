import { describe, expect, it } from 'vitest'
import { WAD } from '../math/constants.js'
import { rng } from '../vectors/harness.js'
import { syntheticBook } from './book-fixture.js'
import { HealthBook } from './health-book.js'
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

  it('keeps exact values: accounts round-trip through the double + residual store', () => {
    const book = syntheticBook(50, 3n)
    const a = book.account(17)
    book.setAccount(17, a)
    expect(book.account(17)).toEqual(a)
    // around 2^84 the residual leaves the int32 and goes to the side map; back and forth
    const edge = [(1n << 84n) - 1n, 1n << 84n, (1n << 84n) + 12_345_678_901n, (1n << 116n) - 1n, (1n << 53n) + 1n, 987_654_321_987_654_321_987n]
    for (const v of edge) {
      const big = { ...a, settlement: -v, collateral: [{ asset: '1', amount: v, state: 'pending' as const }], positions: [{ market: '2', size: -v, entryPrice: v }] }
      book.setAccount(17, big)
      expect(book.account(17)).toEqual(big)
      book.setAccount(17, a)
      expect(book.account(17)).toEqual(a)
    }
  })

  it('accounts that change shape keep every other account intact and reuse freed cells', () => {
    const book = syntheticBook(300, 8n)
    const ref = Array.from({ length: 300 }, (_, i) => book.account(i))
    const next = rng(17n)
    for (let round = 0; round < 3000; round++) {
      const i = Number(next() % 300n)
      const from = ref[Number(next() % 300n)]!
      // a random subset of another account's entries: widths change both ways
      // (a fresh fixture account now and then, so that widths grow back as well as shrink)
      const src = next() % 4n === 0n ? syntheticBook(1, BigInt(round) + 100n).account(0) : from
      const a = { collateral: src.collateral.filter(() => next() % 3n !== 0n), positions: src.positions.filter(() => next() % 3n !== 0n), settlement: src.settlement - BigInt(round) }
      book.setAccount(i, a)
      ref[i] = a
    }
    for (let i = 0; i < 300; i++) expect(book.account(i)).toEqual(ref[i])
    // then every account shrinks to at most one entry: freed cells outnumber used ones, and the
    // book slides the survivors down in place
    for (let i = 0; i < 300; i += 1) {
      ref[i] = { collateral: ref[i]!.collateral.slice(0, 1), positions: [], settlement: ref[i]!.settlement }
      book.setAccount(i, ref[i]!)
    }
    for (let i = 0; i < 300; i++) expect(book.account(i)).toEqual(ref[i])
    const { used, free } = book.cells()
    expect(used).toBe(ref.reduce((n, a) => n + a.collateral.length + 2 * a.positions.length, 0))
    // freed ranges are reused (split if wider); past used + 1024 the cells are slid down in place
    expect(free).toBeLessThanOrEqual(used + 1024)
    expect(book.footprint().cellSlabs).toBe(65536 * 13)
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
    let maxStaleShare = 0
    let compacted = false
    for (let t = 0; t < 600; t++) {
      const feed = [0, 1, 2, 3, 4, 5, 6, 7][Number(next() % 8n)]!
      const p = book.feedPriceExact[feed]!
      // mostly small ticks, now and then a jump of up to 3% (crosses many trigger buckets at once)
      const bps = next() % 10n === 0n ? 9_700n + (next() % 601n) : 9_950n + (next() % 95n)
      const before = index.entries.total
      const tick = index.onPrice(feed, (p * bps) / 10_000n)
      touched += tick.reevaluated
      const full = new Set(book.scanLiquidatable().liquidatable)
      expect([...index.liquidatable].sort((a, b) => a - b)).toEqual([...full].sort((a, b) => a - b))
      found += tick.liquidatable.length
      const { total, live } = index.entries
      if (total < before - tick.reevaluated) compacted = true
      maxStaleShare = Math.max(maxStaleShare, (total - live) / live)
      // a keeper closes most of what was found (some stay liquidatable: re-armed on every tick,
      // their versions wrap past 255); the account is re-indexed without positions
      for (const id of tick.liquidatable) {
        if (id % 7 === 0) continue
        book.setAccount(id, { ...book.account(id), positions: [] })
        index.reindex(id)
      }
    }
    expect(found).toBeGreaterThan(0)
    // a rescan per tick would touch 600 x 2000 accounts
    expect(touched).toBeLessThan(600 * 2000 * 0.25)
    // lazy deletion is compacted incrementally: stale entries stay a bounded share of the live ones
    expect(compacted).toBe(true)
    expect(maxStaleShare).toBeLessThan(1)
  })

  for (const side of ['short, the price rising', 'long, the price falling'] as const) {
    it(`where the trigger bound is tight (${side}, against settlement), no account is found late`, () => {
      // one feed takes the whole slack and moves by exactly E (e^d - 1) for a short (E = |size| mark
      // (1 + mmf)), E (1 - e^-d) for a long (E = |size| mark (1 - mmf)): a trigger placed any later shows up
      const long = side.startsWith('long')
      const book = new HealthBook({ capacity: 600, feeds: 1, assets: [], markets: [{ feed: 0, imf: WAD / 10n, mmf: WAD / 20n, volMultiplier: WAD }] })
      const mark = 2_000n * WAD
      book.setPrice(0, mark)
      const next = rng(long ? 4n : 3n)
      for (let i = 0; i < 600; i++) {
        const equity = (1_000n + (next() % 100_000n)) * WAD
        const size = (equity * (50n + (next() % 140n))) / 10n / 2_000n // 5x .. 19x
        book.setAccount(i, { collateral: [], positions: [{ market: '0', size: long ? size : -size, entryPrice: mark }], settlement: equity })
      }
      const index = new LiquidationIndex(book)
      index.build()
      expect(index.liquidatable.size).toBe(0)
      let found = 0
      for (let t = 0; t < 1200; t++) {
        const p = book.feedPriceExact[0]!
        const step = (p * (1n + (next() % 10n))) / 100_000n // 0.1 .. 1 bp
        index.onPrice(0, long ? p - step : p + step)
        expect([...index.liquidatable].sort((a, b) => a - b)).toEqual(book.scanLiquidatable().liquidatable)
        found = index.liquidatable.size
      }
      expect(found).toBeGreaterThan(300)
    })
  }

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
