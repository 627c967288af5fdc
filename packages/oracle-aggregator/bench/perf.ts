/**
 * Performance benchmark (numbers, not assertions). Writes bench-results/perf.json.
 *  1. aggregation of 31 sources (core aggregatePrices, and the full MarketAggregator.update)
 *  2. price report -> liquidation transaction on anvil with the real contracts (report-latency.ts):
 *     100,000 synthetic indexed accounts (txs submitted), and accounts really held by the engine (txs land)
 *  3. memory of the keeper process with 1,000,000 accounts indexed (child process, --expose-gc):
 *     RSS after the build and settled, its peak, and bytes per account by array (memory.ts).
 * `--only memory,reportToLiquidation` runs just those parts and merges them into the existing
 * perf.json (each part records its own load average), so one figure can be re-measured without
 * the ~10 minutes of engine-held runs.
 */
import { aggregatePrices, WAD, type SourceReport } from '@bulwark/core'
import { execFileSync } from 'node:child_process'
import { loadavg } from 'node:os'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { MarketAggregator } from '../src/services/aggregation/market-aggregator.js'
import { q } from './quantile.js'
import { engineHeld, synthetic } from './report-latency.js'

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
  return JSON.parse(out.trim().split("\n").pop()!) as Record<string, unknown>
}

const quick = process.argv.includes('--quick')
const onlyArg = process.argv.indexOf('--only')
const only = onlyArg >= 0 ? new Set(process.argv[onlyArg + 1]!.split(',')) : undefined
const file = new URL(`../bench-results/perf${quick ? '-quick' : ''}.json`, import.meta.url)
const load = () => loadavg().map((x) => +x.toFixed(2))
/** Runs part `name` unless --only leaves it out; its result carries the load average around it. */
const part = async <T extends object>(name: string, run: () => T | Promise<T>): Promise<T | undefined> => {
  if (only && !only.has(name)) return undefined
  const before = load()
  const r = await run()
  return { ...r, loadAverage: { before, after: load() } }
}
const loadBefore = load()
const fresh = {
  aggregation: await part('aggregation', aggregation),
  reportToLiquidation: await part('reportToLiquidation', () => synthetic(quick ? 10_000 : Number(process.env['PERF_ACCOUNTS'] ?? 100_000), quick ? 10 : Number(process.env['PERF_REPORTS'] ?? 30))),
  reportToLiquidationEngineHeld: await part('reportToLiquidationEngineHeld', () => engineHeld(quick ? 100 : Number(process.env['PERF_ENGINE_ACCOUNTS'] ?? 300), quick ? 10 : 20, Number(process.env['PERF_IN_FLIGHT'] ?? 4))),
  /** The same with one liquidation in flight per key (the keeper before local nonce tracking), for comparison. */
  reportToLiquidationEngineHeldOneInFlight: await part('reportToLiquidationEngineHeldOneInFlight', () => engineHeld(quick ? 100 : Number(process.env['PERF_ENGINE_ACCOUNTS'] ?? 300), quick ? 10 : 20, 1)),
  memory: await part('memory', () => memory(quick ? 100_000 : 1_000_000)),
}
const previous = only && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {}
const result = {
  ...previous,
  when: new Date().toISOString(),
  node: process.version,
  ...(only ? { lastPartial: { parts: [...only], loadBefore, loadAfter: load() } } : { loadBefore, loadAfter: load() }),
  ...Object.fromEntries(Object.entries(fresh).filter(([, v]) => v !== undefined)),
  targets: { aggregationMicros: 1000, reportToLiquidationMsP50: 100, memoryRssMBAt1M: 300 },
} as Record<string, any>
mkdirSync(new URL('../bench-results/', import.meta.url), { recursive: true })
writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`)
const r = result['reportToLiquidation']
if (result['aggregation']) console.log(`aggregation of 31 sources: aggregatePrices ${result['aggregation'].aggregatePricesMicrosMedian} us, full market update ${result['aggregation'].marketAggregatorUpdateMicrosMedian} us (target < 1000 us)`)
for (const e of [result['reportToLiquidationEngineHeld'], result['reportToLiquidationEngineHeldOneInFlight']].filter(Boolean)) {
  console.log(`report -> liquidation tx mined, ${e['engineAccounts']} engine-held accounts, ${e['maxInFlightPerChain']} in flight: first p50 ${e['reportToFirstLiquidationTxMsP50']} ms, p99 ${e['reportToFirstLiquidationTxMsP99']} ms; every p50 ${e['reportToEveryLiquidationTxMsP50']} ms, p99 ${e['reportToEveryLiquidationTxMsP99']} ms; ${e['liquidationsLanded']} landed, ${e['lost']} lost, ${e['failed']} failed`)
}
if (r) console.log(`report -> liquidation tx on anvil, ${r['accountsIndexed']} accounts: first tx p50 ${r['reportToFirstLiquidationTxMsP50']} ms, p99 ${r['reportToFirstLiquidationTxMsP99']} ms; every tx p50 ${r['reportToEveryLiquidationTxMsP50']} ms, p99 ${r['reportToEveryLiquidationTxMsP99']} ms; ${r['liquidationTxsSubmitted']} txs over ${r['reports']} reports (target p50 < 100 ms)`)
const m = result['memory']
if (m?.rss) console.log(`memory, ${m['accounts']} accounts indexed: RSS ${m.rss.afterBuildMB} MB after the build, ${m.rss.settledMB} MB settled, ${m.rss.afterTicksMB} MB after ${m.rss.ticks} ticks, peak ${m.rss.peakDuringBuildMB} MB during the build; heap+external ${m['indexMB']} MB (target < 300 MB RSS)`)
console.log(`load average ${loadBefore.join('/')} -> ${load().join('/')} (2 cores, shared)`)
console.log(`wrote bench-results/perf${quick ? '-quick' : ''}.json`)
