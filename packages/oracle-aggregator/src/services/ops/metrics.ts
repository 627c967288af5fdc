import { Counter, Gauge, Histogram, Registry } from 'prom-client'

/** Every metric the oracle node exports, declared once per node (own registry, no globals). */
export function createMetrics() {
  const registry = new Registry()
  return {
    registry,
    rounds: new Counter({ name: 'bulwark_oracle_rounds_total', help: 'Aggregation rounds run', registers: [registry] }),
    sourceErrors: new Counter({ name: 'bulwark_oracle_source_errors_total', help: 'Source failures by source and error name', labelNames: ['source', 'error'], registers: [registry] }),
    marketErrors: new Counter({ name: 'bulwark_oracle_market_errors_total', help: 'Markets without a price in a round, by error', labelNames: ['market', 'error'], registers: [registry] }),
    price: new Gauge({ name: 'bulwark_oracle_price', help: 'Last aggregated price (float USD)', labelNames: ['market'], registers: [registry] }),
    multiplier: new Gauge({ name: 'bulwark_oracle_vol_multiplier', help: 'Volatility margin multiplier (float)', labelNames: ['market'], registers: [registry] }),
    breaker: new Gauge({ name: 'bulwark_oracle_breaker_status', help: '0 normal, 1 halted, 2 cooldown', labelNames: ['market'], registers: [registry] }),
    sources: new Gauge({ name: 'bulwark_oracle_sources_used', help: 'Sources in the last median', labelNames: ['market'], registers: [registry] }),
    reports: new Counter({ name: 'bulwark_oracle_reports_total', help: 'Quorum-signed reports by outcome', labelNames: ['outcome'], registers: [registry] }),
    published: new Counter({ name: 'bulwark_oracle_published_total', help: 'Report submissions by chain and outcome', labelNames: ['chain', 'outcome'], registers: [registry] }),
    keeperAccounts: new Gauge({ name: 'bulwark_keeper_accounts_tracked', help: 'Accounts indexed by the keeper', registers: [registry] }),
    keeperLiquidations: new Counter({ name: 'bulwark_keeper_liquidations_total', help: 'Liquidation attempts by outcome', labelNames: ['outcome'], registers: [registry] }),
    keeperLatency: new Histogram({ name: 'bulwark_keeper_report_to_liquidation_seconds', help: 'Price report received -> liquidation transaction submitted', buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers: [registry] }),
  }
}

export type Metrics = ReturnType<typeof createMetrics>
