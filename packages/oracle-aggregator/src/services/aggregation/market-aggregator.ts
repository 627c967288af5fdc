import {
  aggregatePrices,
  breakerOnPrice,
  checkDivergence,
  DEFAULT_AGGREGATION,
  DEFAULT_BREAKER,
  DEFAULT_VOLATILITY,
  emaUpdate,
  EwmaVolatility,
  initialBreakerState,
  type AggregatedPrice,
  type AggregationConfig,
  type BreakerParams,
  type BreakerState,
  type PriceEntry,
  type SourceReport,
  type VolatilityConfig,
} from '@bulwark/core'

export type MarketAggregatorInit = {
  marketId: number
  aggregation?: AggregationConfig
  volatility?: VolatilityConfig
  breaker?: BreakerParams
  /** EMA weight of each new price, WAD. @default 0.1e18 */
  emaAlpha?: bigint
  /** Refuse a price this far from the EMA (PriceDivergence); 0n disables the guard. @default 0n */
  maxDivergenceBps?: bigint
}

export type MarketUpdate = { entry: PriceEntry; aggregated: AggregatedPrice; breaker: BreakerState; sigma: bigint }

/**
 * One market's pipeline: core's median/outlier/confidence aggregation, EMA, EWMA realized
 * volatility -> margin multiplier (learning only from samples taken while the breaker is normal),
 * and a local mirror of the chain's circuit breaker. An update
 * that fails (InsufficientSources, StaleUpdate, PriceDivergence) changes no state.
 */
export class MarketAggregator {
  readonly marketId: number
  readonly #cfg: Required<Omit<MarketAggregatorInit, 'marketId'>>
  readonly #vol: EwmaVolatility
  #ema: bigint | undefined
  #breaker: BreakerState = initialBreakerState()
  #last: MarketUpdate | undefined

  constructor(init: MarketAggregatorInit) {
    this.marketId = init.marketId
    this.#cfg = {
      aggregation: init.aggregation ?? DEFAULT_AGGREGATION,
      volatility: init.volatility ?? DEFAULT_VOLATILITY,
      breaker: init.breaker ?? DEFAULT_BREAKER,
      emaAlpha: init.emaAlpha ?? 10n ** 17n,
      maxDivergenceBps: init.maxDivergenceBps ?? 0n,
    }
    this.#vol = new EwmaVolatility(this.#cfg.volatility)
  }

  /** Aggregates one round of source reports taken at `now` (unix seconds). */
  update(reports: readonly SourceReport[], now: number): MarketUpdate {
    const aggregated = aggregatePrices(reports, now, this.#cfg.aggregation)
    const price = aggregated.price
    if (this.#cfg.maxDivergenceBps > 0n && this.#ema !== undefined) checkDivergence(price, this.#ema, this.#cfg.maxDivergenceBps)
    const breaker = breakerOnPrice(this.#breaker, now, price, this.#cfg.breaker)
    const ema = emaUpdate(this.#ema, price, this.#cfg.emaAlpha)
    // everything that can throw is above; commit. Volatility learns only from prices the market
    // trades on: a sample that trips the breaker (or arrives while halted) is held out, so a wick
    // that reverts during the halt does not raise margins; on resume the return is measured from
    // the last normal price, so a move that persists still counts in full.
    const sigma = breaker.status === 0 ? this.#vol.update(price) : this.#vol.sigma
    this.#ema = ema
    this.#breaker = breaker
    const entry: PriceEntry = { marketId: this.marketId, price, conf: aggregated.conf, emaPrice: ema, volMultiplier: this.#vol.multiplier }
    this.#last = { entry, aggregated, breaker, sigma }
    return this.#last
  }

  get last(): MarketUpdate | undefined {
    return this.#last
  }
  get breaker(): BreakerState {
    return this.#breaker
  }
}
