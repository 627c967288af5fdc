/**
 * Memory of the keeper process with N accounts indexed (default 1,000,000). Run with --expose-gc:
 *   node --expose-gc --import tsx bench/memory.ts [N] [--settle-seconds S] [--ticks T]   prints one JSON line
 *
 * RSS is what an operator sees: it is sampled after the imports (the process's floor), at its peak
 * during the build (VmHWM), right after the build (after gc: pages V8 freed may not be returned
 * yet), one second later, after S seconds idle (V8 gives its grown young generation back) and after T price ticks through the keeper (liquidations sent,
 * accounts re-read and re-indexed: stale trigger entries must stay bounded). The per-array bytes
 * come from core's HealthBook / LiquidationIndex footprint().
 */
import { WAD } from '@bulwark/core'
import { readFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import pino from 'pino'
import { LiquidationKeeper } from '../src/services/keeper/keeper.js'
import { ASSETS, MARKETS, START, SyntheticChain } from './synthetic-chain.js'

const args = process.argv.slice(2)
const opt = (name: string, d: number) => {
  const k = args.indexOf(name)
  return k >= 0 ? Number(args[k + 1]) : d
}
const n = Number(args.find((a) => /^\d+$/.test(a)) ?? 1_000_000)
const settleSeconds = opt('--settle-seconds', 20)
const ticks = opt('--ticks', 200)
const gc = (globalThis as { gc?: () => void }).gc
if (!gc) throw new Error('run with node --expose-gc')
const mb = (x: number) => +(x / 2 ** 20).toFixed(1)
/** RSS split into anonymous memory and file-backed pages (the node binary), and the peak so far, MB. */
const status = () => {
  const s = readFileSync('/proc/self/status', 'utf8')
  const kb = (k: string) => Number(s.match(new RegExp(`${k}:\\s+(\\d+)`))?.[1] ?? NaN)
  const m = process.memoryUsage()
  return { rssMB: mb(m.rss), rssAnonMB: +(kb('RssAnon') / 1024).toFixed(1), rssFileMB: +(kb('RssFile') / 1024).toFixed(1), peakRssMB: +(kb('VmHWM') / 1024).toFixed(1), heapTotalMB: mb(m.heapTotal), heapUsedMB: mb(m.heapUsed), externalMB: mb(m.external) }
}
const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0)

const loadBefore = loadavg().map((x) => +x.toFixed(2))
gc()
const afterImports = status()
const chain = new SyntheticChain(n, async () => ({ txHash: '0x00' }))
const keeper = new LiquidationKeeper({ assets: ASSETS, markets: MARKETS, capacity: n, collateralSlots: 2, positionSlots: 3 }, { chains: [chain], logger: pino({ level: 'silent' }) })
const t = performance.now()
await keeper.start(START)
const buildMs = performance.now() - t
gc()
gc()
const afterBuild = status()
// V8 returns the pages a gc freed from a background thread: one second later shows what it kept
await new Promise((r) => setTimeout(r, 1000))
const afterBuild1s = status()
await new Promise((r) => setTimeout(r, Math.max(0, settleSeconds - 1) * 1000))
gc()
const settled = status()

const book = keeper.book.footprint()
const index = keeper.index.footprint()
const entries = keeper.index.entries
const liquidatableAtStart = keeper.index.liquidatable.size
const cells = keeper.book.cells()
const perAccount = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, +(v / n).toFixed(2)]))

// operation: ticks of -0.3% .. +0.3% on the three perp markets, liquidations sent and re-read
let price = new Map([...START].map(([id, p]) => [id, p.price]))
let h = 12345
let liquidations = 0
for (let k = 0; k < ticks; k++) {
  h = Math.imul(h ^ (h >>> 15), 2246822519) >>> 0
  const id = [1, 2, 3][h % 3]!
  const p = (price.get(id)! * BigInt(9_970 + (h >>> 8) % 61)) / 10_000n
  price = new Map(price).set(id, p)
  liquidations += (await keeper.onPrice(id, p, WAD)).length
}
gc()
const afterTicks = status()
const entriesAfterTicks = keeper.index.entries

console.log(JSON.stringify({
  accounts: keeper.stats.accountsTracked,
  buildSeconds: +(buildMs / 1000).toFixed(1),
  rss: { afterImportsMB: afterImports.rssMB, peakDuringBuildMB: afterBuild.peakRssMB, afterBuildMB: afterBuild.rssMB, afterBuild1sMB: afterBuild1s.rssMB, settledMB: settled.rssMB, settleSeconds, afterTicksMB: afterTicks.rssMB, ticks, liquidations },
  afterImports,
  afterBuild,
  settled,
  afterTicks,
  // deltas over the process after its imports, as before (heap + external = the index's own memory)
  heapUsedMB: +(settled.heapUsedMB - afterImports.heapUsedMB).toFixed(1),
  externalMB: +(settled.externalMB - afterImports.externalMB).toFixed(1),
  indexMB: +(settled.heapUsedMB - afterImports.heapUsedMB + settled.externalMB - afterImports.externalMB).toFixed(1),
  rssMB: settled.rssMB,
  bytesPerAccount: { book: perAccount(book), index: perAccount(index), bookTotal: +(sum(book) / n).toFixed(1), indexTotal: +(sum(index) / n).toFixed(1), accountSlotsAndRestOfExternal: +((settled.externalMB - afterImports.externalMB) * 2 ** 20 / n - sum(book) / n - sum(index) / n).toFixed(1) },
  triggerEntries: { afterBuild: entries, afterTicks: entriesAfterTicks },
  bookCells: cells,
  liquidatableAtStart,
  load: { before: loadBefore, after: loadavg().map((x) => +x.toFixed(2)) },
}))
