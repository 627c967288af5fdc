import { InvalidParameterError, InvalidPriceError } from '../errors/input.js'
import { FuturePriceError, InsufficientSourcesError, StalePriceError } from '../errors/oracle.js'
import { BPS } from '../math/constants.js'

/** One source's signed observation of a market price. */
export type SourceReport = {
  source: string
  /** WAD USD, > 0 */
  price: bigint
  /** unix seconds */
  publishTime: number
}

export type AggregationConfig = {
  /** Reports older than this many seconds are dropped. @default 60 */
  maxAge: number
  /** Reports newer than now + this many seconds are dropped. @default 5 */
  maxFuture: number
  /** Reports deviating from the median by more than this are outliers. @default 200n (2%) */
  maxDeviationBps: bigint
  /** Fewer survivors than this: no price. @default 3 */
  minSources: number
}

export const DEFAULT_AGGREGATION: AggregationConfig = { maxAge: 60, maxFuture: 5, maxDeviationBps: 200n, minSources: 3 }

export type RejectedReport = { source: string; reason: 'StalePrice' | 'FuturePrice' | 'Outlier' }

export type AggregatedPrice = {
  price: bigint
  /** max(median - p25, p75 - median) over the survivors, Pyth style */
  conf: bigint
  /** newest publishTime among survivors */
  publishTime: number
  sources: number
  rejected: RejectedReport[]
}

const cmp = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0)

/** Median of a sorted list: the middle element, or floor of the mean of the two middles. */
export function medianSorted(sorted: readonly bigint[]): bigint {
  const n = sorted.length
  if (n === 0) throw new InsufficientSourcesError('median of no prices', { field: 'reports' })
  const mid = n >> 1
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2n
}

/** Throws StalePrice or FuturePrice for a report outside [now - maxAge, now + maxFuture]. */
export function checkFreshness(publishTime: number, now: number, cfg: Pick<AggregationConfig, 'maxAge' | 'maxFuture'>, field = 'publishTime'): void {
  if (publishTime + cfg.maxAge < now) throw new StalePriceError(`report from ${publishTime} is older than ${cfg.maxAge}s at ${now}`, { field })
  if (publishTime > now + cfg.maxFuture) throw new FuturePriceError(`report from ${publishTime} is in the future at ${now}`, { field })
}

/**
 * Median of the fresh reports with outliers removed (docs/protocol.md section 5). Invalid input
 * (non-positive price, bad config) throws; stale, future and outlier reports are dropped and listed.
 */
export function aggregatePrices(reports: readonly SourceReport[], now: number, cfg: AggregationConfig = DEFAULT_AGGREGATION): AggregatedPrice {
  if (cfg.minSources < 1) throw new InvalidParameterError('minSources must be at least 1', { field: 'minSources' })
  if (cfg.maxDeviationBps <= 0n) throw new InvalidParameterError('maxDeviationBps must be positive', { field: 'maxDeviationBps' })
  const rejected: RejectedReport[] = []
  const fresh: SourceReport[] = []
  for (let i = 0; i < reports.length; i++) {
    const r = reports[i]!
    if (typeof r.price !== 'bigint' || r.price <= 0n) throw new InvalidPriceError(`report ${i} price must be positive`, { field: `reports[${i}].price` })
    if (r.publishTime + cfg.maxAge < now) rejected.push({ source: r.source, reason: 'StalePrice' })
    else if (r.publishTime > now + cfg.maxFuture) rejected.push({ source: r.source, reason: 'FuturePrice' })
    else fresh.push(r)
  }
  if (fresh.length < cfg.minSources) {
    throw new InsufficientSourcesError(`${fresh.length} fresh sources, need ${cfg.minSources}`, { field: 'reports' })
  }
  const prices = fresh.map((r) => r.price).sort(cmp)
  const median0 = medianSorted(prices)
  const survivors: SourceReport[] = []
  for (const r of fresh) {
    const dev = r.price > median0 ? r.price - median0 : median0 - r.price
    if (dev * BPS > cfg.maxDeviationBps * median0) rejected.push({ source: r.source, reason: 'Outlier' })
    else survivors.push(r)
  }
  if (survivors.length < cfg.minSources) {
    throw new InsufficientSourcesError(`${survivors.length} sources agree, need ${cfg.minSources}`, { field: 'reports' })
  }
  const kept = survivors.length === fresh.length ? prices : survivors.map((r) => r.price).sort(cmp)
  const price = medianSorted(kept)
  const k = kept.length
  const p25 = kept[Math.floor((25 * (k - 1)) / 100)]!
  const p75 = kept[Math.floor((75 * (k - 1)) / 100)]!
  const conf = price - p25 > p75 - price ? price - p25 : p75 - price
  let publishTime = 0
  for (const r of survivors) if (r.publishTime > publishTime) publishTime = r.publishTime
  return { price, conf, publishTime, sources: k, rejected }
}
