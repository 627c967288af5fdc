/**
 * Memory of the keeper's index with N accounts (default 1,000,000). Run with --expose-gc:
 *   node --expose-gc --import tsx bench/memory.ts [N]     prints one JSON line
 */
import pino from 'pino'
import { LiquidationKeeper } from '../src/services/keeper/keeper.js'
import { ASSETS, MARKETS, START, SyntheticChain } from './synthetic-chain.js'

const n = Number(process.argv[2] ?? 1_000_000)
const gc = (globalThis as { gc?: () => void }).gc
if (!gc) throw new Error('run with node --expose-gc')
gc()
const base = process.memoryUsage()
const chain = new SyntheticChain(n, async () => ({ txHash: '0x00' }))
const keeper = new LiquidationKeeper({ assets: ASSETS, markets: MARKETS, capacity: n, collateralSlots: 2, positionSlots: 3 }, { chains: [chain], logger: pino({ level: 'silent' }) })
const t = performance.now()
await keeper.start(START)
const buildMs = performance.now() - t
gc()
gc()
const m = process.memoryUsage()
const mb = (x: number) => +(x / 2 ** 20).toFixed(1)
console.log(JSON.stringify({
  accounts: keeper.stats.accountsTracked,
  buildSeconds: +(buildMs / 1000).toFixed(1),
  heapUsedMB: mb(m.heapUsed - base.heapUsed),
  arrayBuffersMB: mb(m.arrayBuffers - base.arrayBuffers),
  externalMB: mb(m.external - base.external),
  indexMB: mb(m.heapUsed - base.heapUsed + m.external - base.external),
  rssMB: mb(m.rss),
  liquidatableAtStart: keeper.index.liquidatable.size,
}))
