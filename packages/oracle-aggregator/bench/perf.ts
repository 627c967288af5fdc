/**
 * Performance benchmark (numbers, not assertions). Writes bench-results/perf.json.
 *  1. aggregation of 31 sources (core aggregatePrices, and the full MarketAggregator.update)
 *  2. price report -> liquidation transaction on anvil with the real contracts (report-latency.ts):
 *     100,000 synthetic indexed accounts (txs submitted), and accounts really held by the engine (txs land)
 *  3. memory of the keeper's index with 1,000,000 accounts (child process, --expose-gc).
 */
import { aggregatePrices, WAD, type SourceReport } from '@bulwark/core'
import { execFileSync } from 'node:child_process'
import { loadavg } from 'node:os'
import { mkdirSync, writeFileSync } from 'node:fs'
import { MarketAggregator } from '../src/services/aggregation/market-aggregator.js'
import { engineHeld, q, synthetic } from './report-latency.js'

function aggregation() {
  const now = 1_700_000_000
  const reports: SourceReport[] = Array.from({ length: 31 }, (_, i) => ({ source: `s${i}`, price: 30_000n * WAD + BigInt(i * 7919 % 100) * 10n ** 16n, publishTime: now - (i % 5) }))
  reports[3] = { ...reports[3]!, price: 45_000n * WAD } // an outlier
  const core: number[] = []
  const full: number[] = []
  for (let s = 0; s < 15; s++) {
    let t = performance.now()
    for (let i = 0; i < 2000; i++) aggregatePrices(reports, now, { maxAge: 60, maxFuture: 5, maxDeviationBps: 200n, minSources: 3 })
    core.push(((performance.now() - t) * 1000) / 2000)
    const m = new MarketAggregator({ marketId: 1 })
    const rounds = Array.from({ length: 2000 }, (_, i) => reports.map((x) => ({ ...x, publishTime: x.publishTime + i })))
    t = performance.now()
    for (let i = 0; i < 2000; i++) m.update(rounds[i]!, now + i)
    full.push(((performance.now() - t) * 1000) / 2000)
  }
  return { sources: 31, aggregatePricesMicrosMedian: q(core, 0.5), marketAggregatorUpdateMicrosMedian: q(full, 0.5) }
}

function memory(n: number) {
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', new URL('./memory.ts', import.meta.url).pathname, String(n)], { encoding: 'utf8', maxBuffer: 1 << 20 })
  return JSON.parse(out.trim().split('\n').pop()!) as Record<string, number>
}

const quick = process.argv.includes('--quick')
const loadBefore = loadavg().map((x) => +x.toFixed(2))
const result = {
  when: new Date().toISOString(),
  node: process.version,
  loadBefore,
  aggregation: aggregation(),
  reportToLiquidation: await synthetic(quick ? 10_000 : Number(process.env['PERF_ACCOUNTS'] ?? 100_000), quick ? 10 : Number(process.env['PERF_REPORTS'] ?? 30)),
  reportToLiquidationEngineHeld: await engineHeld(quick ? 100 : Number(process.env['PERF_ENGINE_ACCOUNTS'] ?? 300), quick ? 10 : 20, Number(process.env['PERF_IN_FLIGHT'] ?? 4)),
  /** The same with one liquidation in flight per key (the keeper before local nonce tracking), for comparison. */
  reportToLiquidationEngineHeldOneInFlight: await engineHeld(quick ? 100 : Number(process.env['PERF_ENGINE_ACCOUNTS'] ?? 300), quick ? 10 : 20, 1),
  memory: memory(quick ? 100_000 : 1_000_000),
  targets: { aggregationMicros: 1000, reportToLiquidationMsP50: 100, memoryMBAt1M: 300 },
  loadAfter: loadavg().map((x) => +x.toFixed(2)),
}
mkdirSync(new URL('../bench-results/', import.meta.url), { recursive: true })
writeFileSync(new URL(`../bench-results/perf${quick ? '-quick' : ''}.json`, import.meta.url), `${JSON.stringify(result, null, 2)}\n`)
const r = result.reportToLiquidation as Record<string, unknown>
console.log(`aggregation of 31 sources: aggregatePrices ${result.aggregation.aggregatePricesMicrosMedian} us, full market update ${result.aggregation.marketAggregatorUpdateMicrosMedian} us (target < 1000 us)`)
for (const e of [result.reportToLiquidationEngineHeld, result.reportToLiquidationEngineHeldOneInFlight] as Record<string, unknown>[]) {
  console.log(`report -> liquidation tx mined, ${e['engineAccounts']} engine-held accounts, ${e['maxInFlightPerChain']} in flight: first p50 ${e['reportToFirstLiquidationTxMsP50']} ms, p99 ${e['reportToFirstLiquidationTxMsP99']} ms; every p50 ${e['reportToEveryLiquidationTxMsP50']} ms, p99 ${e['reportToEveryLiquidationTxMsP99']} ms; ${e['liquidationsLanded']} landed, ${e['lost']} lost, ${e['failed']} failed`)
}
console.log(`report -> liquidation tx on anvil, ${r['accountsIndexed']} accounts: first tx p50 ${r['reportToFirstLiquidationTxMsP50']} ms, p99 ${r['reportToFirstLiquidationTxMsP99']} ms; every tx p50 ${r['reportToEveryLiquidationTxMsP50']} ms, p99 ${r['reportToEveryLiquidationTxMsP99']} ms; ${r['liquidationTxsSubmitted']} txs over ${r['reports']} reports (target p50 < 100 ms)`)
console.log(`memory, ${result.memory['accounts']} accounts indexed: heap+external ${result.memory['indexMB']} MB (rss ${result.memory['rssMB']} MB) (target < 300 MB)`)
console.log(`load average ${result.loadBefore.join('/')} -> ${result.loadAfter.join('/')} (2 cores, shared)`)
console.log(`wrote bench-results/perf${quick ? '-quick' : ''}.json`)
