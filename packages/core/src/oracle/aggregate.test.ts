import { describe, expect, it } from 'vitest'
import { WAD } from '../math/constants.js'
import { aggregatePrices, checkFreshness, type SourceReport } from './aggregate.js'
import { checkDivergence, emaUpdate } from './ema.js'

const now = 1_000_000
const r = (source: string, usd: number, age = 0): SourceReport => ({ source, price: BigInt(usd) * WAD, publishTime: now - age })

describe('median aggregation', () => {
  it('takes the median, drops an outlier and reports confidence', () => {
    const out = aggregatePrices([r('a', 100), r('b', 101), r('c', 99), r('d', 150), r('e', 100)], now)
    expect(out.price).toBe(100n * WAD)
    expect(out.sources).toBe(4)
    expect(out.rejected).toEqual([{ source: 'd', reason: 'Outlier' }])
    expect(out.conf).toBe(WAD)
  })

  it('drops stale and future reports and then refuses with too few sources', () => {
    expect(() => aggregatePrices([r('a', 100), r('b', 100, 61), r('c', 100, -6)], now)).toThrowError(expect.objectContaining({ name: 'InsufficientSources' }))
    expect(() => checkFreshness(now - 61, now, { maxAge: 60, maxFuture: 5 })).toThrowError(expect.objectContaining({ name: 'StalePrice' }))
    expect(() => checkFreshness(now + 6, now, { maxAge: 60, maxFuture: 5 })).toThrowError(expect.objectContaining({ name: 'FuturePrice' }))
  })

  it('rejects a non-positive price naming the report', () => {
    expect(() => aggregatePrices([r('a', 100), { source: 'b', price: -1n, publishTime: now }, r('c', 100)], now)).toThrowError(expect.objectContaining({ name: 'InvalidPrice', field: 'reports[1].price' }))
  })

  it('EMA and divergence guard', () => {
    expect(emaUpdate(100n * WAD, 200n * WAD, WAD / 2n)).toBe(150n * WAD)
    expect(() => checkDivergence(110n * WAD, 100n * WAD, 500n)).toThrowError(expect.objectContaining({ name: 'PriceDivergence' }))
    expect(() => checkDivergence(104n * WAD, 100n * WAD, 500n)).not.toThrow()
  })
})
