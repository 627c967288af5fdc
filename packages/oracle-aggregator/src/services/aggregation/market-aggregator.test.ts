import { BreakerStatus, WAD, type SourceReport } from '@bulwark/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ExchangeServer, PYTH_FEED } from '../../../test/helpers/exchange-server.js'
import { binanceSource } from '../sources/binance.js'
import { coinbaseSource } from '../sources/coinbase.js'
import { krakenSource } from '../sources/kraken.js'
import { okxSource } from '../sources/okx.js'
import { pythSource } from '../sources/pyth.js'
import type { PriceSource } from '../sources/types.js'
import { collectReports } from './collect.js'
import { MarketAggregator } from './market-aggregator.js'

const server = new ExchangeServer('30000')
let sources: PriceSource[]
const now = () => Math.floor(Date.now() / 1000)
const policy = { timeoutMs: 150, retries: 1, backoffMs: 5, maxAgeSeconds: 30 }

beforeAll(async () => {
  const baseUrl = await server.start()
  sources = [
    coinbaseSource({ baseUrl, product: 'BTC-USD', marketId: 1, policy }),
    krakenSource({ baseUrl, pair: 'XBTUSD', marketId: 1, policy }),
    binanceSource({ baseUrl, symbol: 'BTCUSDT', marketId: 1, policy }),
    okxSource({ baseUrl, instId: 'BTC-USDT', marketId: 1, policy }),
    pythSource({ baseUrl, feedId: PYTH_FEED, marketId: 1, policy }),
  ]
})
afterAll(() => server.stop())

describe('aggregation over live local sources', () => {
  it('drops an outlier source and reports the median of the rest', async () => {
    server.set('coinbase', { price: '30010' })
    server.set('kraken', { price: '29990' })
    server.set('binance', { price: '30000' })
    server.set('okx', { price: '30020' })
    server.set('pyth', { price: '45000' }) // 50% off: outlier
    for (const v of ['coinbase', 'okx', 'pyth'] as const) server.set(v, { time: now() })
    const m = new MarketAggregator({ marketId: 1 })
    const { reports, failures } = await collectReports(sources, now())
    expect(failures).toEqual([])
    const u = m.update(reports, now())
    expect(u.aggregated.rejected).toEqual([{ source: expect.stringMatching(/^pyth:/), reason: 'Outlier' }])
    expect(u.entry.price).toBe(30005n * WAD) // median of 29990, 30000, 30010, 30020
    expect(u.entry.conf).toBe(15n * WAD) // max(median - p25 (idx 0), p75 (idx 2) - median)
    expect(u.entry.volMultiplier).toBe(WAD)
  })

  it('failing sources are reported with their typed error; with too few left there is no price and no state change', async () => {
    const m = new MarketAggregator({ marketId: 1 })
    for (const v of ['coinbase', 'kraken', 'binance', 'okx', 'pyth'] as const) server.set(v, { price: '30000', time: now(), mode: { kind: 'ok' } })
    const t0 = now()
    const first = m.update((await collectReports(sources, t0)).reports, t0)
    server.set('coinbase', { mode: { kind: 'malformed', body: '<html>' } })
    server.set('kraken', { mode: { kind: 'http', status: 502, body: 'Bad Gateway' } })
    server.set('okx', { mode: { kind: 'slow', ms: 500 } })
    const { reports, failures } = await collectReports(sources, t0 + 1)
    expect(failures.map((f) => f.error.name).sort()).toEqual(['MalformedResponse', 'SourceHttpError', 'SourceTimeout'])
    expect(() => m.update(reports, t0 + 1)).toThrow(expect.objectContaining({ name: 'InsufficientSources' }))
    expect(m.last).toBe(first)
    expect(m.breaker.lastUpdate).toBe(t0)
    for (const v of ['coinbase', 'kraken', 'okx'] as const) server.set(v, { mode: { kind: 'ok' } })
  })
})

const reportsAt = (price: bigint, t: number): SourceReport[] => [0n, 1n, 2n].map((d, i) => ({ source: `s${i}`, price: price + d, publishTime: t }))

describe('volatility multiplier and breaker', () => {
  it('calm prices keep the multiplier at 1; a volatile stretch raises it', () => {
    const m = new MarketAggregator({ marketId: 7, volatility: { halfLife: 10, sigmaRef: 10n ** 15n, minMultiplier: WAD, maxMultiplier: 3n * WAD } })
    let t = 1_700_000_000
    for (let i = 0; i < 30; i++) m.update(reportsAt(2000n * WAD + BigInt(i % 2) * 10n ** 17n, t++), t)
    expect(m.last!.entry.volMultiplier).toBe(WAD)
    for (let i = 0; i < 30; i++) m.update(reportsAt(2000n * WAD + BigInt(i % 2) * 10n * WAD, t++), t) // +-0.5% each step
    expect(m.last!.entry.volMultiplier).toBe(3n * WAD) // clamped at max
    expect(m.last!.breaker.status).toBe(BreakerStatus.Normal)
  })

  it('an extreme move trips the breaker (the price still goes out, marked halted)', () => {
    const m = new MarketAggregator({ marketId: 7 })
    m.update(reportsAt(2000n * WAD, 1000), 1000)
    const u = m.update(reportsAt(1600n * WAD, 1010), 1010) // -20% > 15%
    expect(u.breaker.status).toBe(BreakerStatus.Halted)
    expect(u.entry.price).toBe(1600n * WAD + 1n)
  })

  it('a wick that trips the breaker and reverts during the halt does not raise the multiplier; a move that persists does', () => {
    const cfg = { breaker: { maxMoveBps: 1000n, window: 300, haltDuration: 600, cooldown: 300, maxOracleGap: 120, liquidationGrace: 120 } }
    const wick = new MarketAggregator({ marketId: 7, ...cfg })
    const crash = new MarketAggregator({ marketId: 7, ...cfg })
    let t = 1000
    for (const m of [wick, crash]) m.update(reportsAt(2000n * WAD, t), t)
    t += 60
    for (const m of [wick, crash]) expect(m.update(reportsAt(1700n * WAD, t), t).breaker.status).toBe(BreakerStatus.Halted) // -15%
    for (let i = 0; i < 20; i++) {
      t += 60
      wick.update(reportsAt(2000n * WAD, t), t)
      crash.update(reportsAt(1700n * WAD, t), t)
    }
    expect(wick.breaker.status).toBe(BreakerStatus.Normal)
    expect(wick.last!.entry.volMultiplier).toBe(WAD)
    expect(crash.last!.entry.volMultiplier).toBe(3n * WAD)
  })

  it('a round not newer than the last is StaleUpdate and changes nothing', () => {
    const m = new MarketAggregator({ marketId: 7 })
    const u = m.update(reportsAt(2000n * WAD, 1000), 1000)
    expect(() => m.update(reportsAt(2100n * WAD, 1000), 1000)).toThrow(expect.objectContaining({ name: 'StaleUpdate' }))
    expect(m.last).toBe(u)
  })

  it('with a divergence guard, a price far from the EMA is PriceDivergence and changes nothing', () => {
    const m = new MarketAggregator({ marketId: 7, maxDivergenceBps: 500n })
    const u = m.update(reportsAt(2000n * WAD, 1000), 1000)
    expect(() => m.update(reportsAt(2300n * WAD, 1001), 1001)).toThrow(expect.objectContaining({ name: 'PriceDivergence' }))
    expect(m.last).toBe(u)
    expect(m.breaker.lastUpdate).toBe(1000)
  })
})
