import type { SourceReport } from '@bulwark/core'

/** What a parser extracts from one response body. */
export type ParsedQuote = {
  price: bigint
  /** unix seconds from the source itself; undefined when the format has none (receive time is used) */
  publishTime?: number
}

/** One price source for one market, behind the same interface whatever the venue. */
export interface PriceSource {
  /** Unique id, e.g. `coinbase:BTC-USD`. */
  readonly id: string
  /** Market id (PriceReport marketId) this source prices. */
  readonly marketId: number
  /**
   * A fresh observation. Throws a typed error (SourceTimeout, SourceHttpError, MalformedResponse,
   * SourceStale) and never returns a price older than the source's maxAge.
   */
  fetch(nowSeconds: number): Promise<SourceReport>
}

export type RetryPolicy = {
  /** Per-attempt timeout. @default 1000 */
  timeoutMs: number
  /** Extra attempts after the first. @default 2 */
  retries: number
  /** Delay before retry i is backoffMs * 2^i. @default 50 */
  backoffMs: number
  /** Older own timestamps make the source stale. @default 30 */
  maxAgeSeconds: number
}

export const DEFAULT_RETRY: RetryPolicy = { timeoutMs: 1000, retries: 2, backoffMs: 50, maxAgeSeconds: 30 }
