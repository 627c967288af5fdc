import { DEFAULT_AGGREGATION, aggregatePrices, type SourceReport } from '../oracle/aggregate.js'
import { checkDivergence, emaUpdate } from '../oracle/ema.js'
import { DEFAULT_VOLATILITY, ewmaVolatility, lambdaFromHalfLife, volMultiplier } from '../risk/volatility.js'
import { wad } from './risk-input.js'
import { rng, vcase, type VectorCase, type VectorFile } from './harness.js'

const NOW = 1_700_000_000

export function oracleFile(): VectorFile {
  const cases: VectorCase[] = []
  const agg = (name: string, reports: SourceReport[], cfg = DEFAULT_AGGREGATION) => cases.push(vcase(name, 'aggregate', { reports, now: NOW, config: cfg }, () => aggregatePrices(reports, NOW, cfg)))
  const rep = (source: string, price: number | string, age = 0): SourceReport => ({ source, price: wad(price), publishTime: NOW - age })
  agg('three agree', [rep('a', 3000), rep('b', 3001), rep('c', 2999)])
  agg('even count averages the middle', [rep('a', 3000), rep('b', 3002), rep('c', 2999), rep('d', 3001)])
  agg('outlier dropped', [rep('a', 3000), rep('b', 3001), rep('c', 2999), rep('d', 3500)])
  agg('stale and future dropped', [rep('a', 3000), rep('b', 3001, 61), rep('c', 2999), rep('d', 3000, -6), rep('e', 3002)])
  agg('too few fresh', [rep('a', 3000), rep('b', 3001, 100), rep('c', 2999, 100)])
  agg('too few after outliers', [rep('a', 3000), rep('b', 3300), rep('c', 2700)])
  agg('zero price is invalid', [rep('a', 3000), { source: 'b', price: 0n, publishTime: NOW }, rep('c', 2999)])
  const next = rng(31n)
  agg('31 sources with two outliers', Array.from({ length: 31 }, (_, i) => rep(`s${i}`, i === 3 ? 2000 : i === 17 ? 4100 : 3000 + Number(next() % 20n) - 10)))
  cases.push(vcase('ema seeds', 'ema', { ema: null, price: wad(100), alpha: wad('0.1') }, () => ({ ema: emaUpdate(undefined, wad(100), wad('0.1')) })))
  cases.push(vcase('ema moves a tenth', 'ema', { ema: wad(100), price: wad(110), alpha: wad('0.1') }, () => ({ ema: emaUpdate(wad(100), wad(110), wad('0.1')) })))
  cases.push(vcase('divergence within guard', 'divergence', { spot: wad(103), ema: wad(100), maxDivergenceBps: 500n }, () => { checkDivergence(wad(103), wad(100), 500n); return { ok: true } }))
  cases.push(vcase('divergence beyond guard', 'divergence', { spot: wad(106), ema: wad(100), maxDivergenceBps: 500n }, () => { checkDivergence(wad(106), wad(100), 500n); return { ok: true } }))
  for (const hl of [1, 2, 10, 60, 1440]) cases.push(vcase(`lambda for half-life ${hl}`, 'lambda', { halfLife: hl }, () => ({ lambda: lambdaFromHalfLife(hl) })))
  cases.push(vcase('lambda for half-life 0', 'lambda', { halfLife: 0 }, () => ({ lambda: lambdaFromHalfLife(0) })))
  const series = (f: (i: number) => number) => Array.from({ length: 120 }, (_, i) => wad(f(i).toFixed(6)))
  const vol = (name: string, prices: bigint[]) => cases.push(vcase(name, 'volatility', { prices, config: DEFAULT_VOLATILITY }, () => ewmaVolatility(prices, DEFAULT_VOLATILITY)))
  vol('flat series', series(() => 100))
  vol('gentle oscillation', series((i) => 100 + Math.sin(i / 5)))
  vol('crash', series((i) => (i < 60 ? 100 : 100 * Math.pow(0.99, i - 60))))
  cases.push(vcase('multiplier clamps high', 'multiplier', { sigma: wad(1), config: DEFAULT_VOLATILITY }, () => ({ multiplier: volMultiplier(wad(1)) })))
  cases.push(vcase('multiplier rounds up', 'multiplier', { sigma: 1_500_000_000_000_001n, config: DEFAULT_VOLATILITY }, () => ({ multiplier: volMultiplier(1_500_000_000_000_001n) })))
  return { topic: 'oracle', version: 1, description: 'Median aggregation, EMA, divergence guard, EWMA volatility and multiplier (docs/protocol.md sections 5-6); TypeScript reference only', cases }
}
