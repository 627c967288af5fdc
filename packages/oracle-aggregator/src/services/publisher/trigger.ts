import { BPS, type PriceEntry } from '@bulwark/core'

export type PublishPolicy = {
  /** Publish a market whose price moved this much since its last publication. @default 50n (0.5%) */
  deviationBps: bigint
  /** Publish a market whose multiplier moved this much (margin follows volatility). @default 500n (5%) */
  multiplierDeviationBps: bigint
  /** Publish every market at least this often, in seconds. @default 3600 */
  heartbeatSeconds: number
}

export const DEFAULT_PUBLISH_POLICY: PublishPolicy = { deviationBps: 50n, multiplierDeviationBps: 500n, heartbeatSeconds: 3600 }

export type Published = { price: bigint; volMultiplier: bigint; publishTime: number }

const moved = (now: bigint, then: bigint, bps: bigint) => (now > then ? now - then : then - now) * BPS > bps * then

/**
 * Chainlink-style trigger: a market is due when it was never published, its heartbeat expired, or
 * its price (or volatility multiplier) deviates beyond the threshold from the last published value.
 */
export function dueEntries(candidates: readonly PriceEntry[], last: ReadonlyMap<number, Published>, now: number, p: PublishPolicy = DEFAULT_PUBLISH_POLICY): PriceEntry[] {
  return candidates.filter((e) => {
    const prev = last.get(e.marketId)
    if (!prev) return true
    if (now - prev.publishTime >= p.heartbeatSeconds) return true
    return moved(e.price, prev.price, p.deviationBps) || moved(e.volMultiplier, prev.volMultiplier, p.multiplierDeviationBps)
  })
}
