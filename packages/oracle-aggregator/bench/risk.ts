/**
 * Risk quality benchmark: replays stress paths (1-minute prices) through core (volatility,
 * breaker, margin, liquidation) and the liquidation keeper, comparing the volatility-adaptive
 * margin with a static margin whose multiplier equals the adaptive one's average over all paths.
 * Writes bench-results/risk.json and prints a summary.   Run: pnpm bench:risk
 */
import { assertOperationAllowed, evaluateAccount, WAD, type BreakerParams, type BreakerState, type Hex, type VolatilityConfig } from '@bulwark/core'
import { mkdirSync, writeFileSync } from 'node:fs'
import pino from 'pino'
import { MarketAggregator } from '../src/services/aggregation/market-aggregator.js'
import { LiquidationKeeper } from '../src/services/keeper/keeper.js'
import type { KeeperAsset, KeeperMarket } from '../src/services/keeper/types.js'
import { CoreChain } from '../test/helpers/core-chain.js'
import { normal, stressPaths, type PricePath } from './paths.js'

const USDC: Hex = `0x${'00'.repeat(12)}${'a0'.repeat(20)}`
const assets: KeeperAsset[] = [{ originChain: 10002, asset: USDC, decimals: 6, weight: WAD, priceMarketId: 100 }]
const IMF = WAD / 10n
const MMF = WAD / 20n
const markets: KeeperMarket[] = [{ marketId: 1, imf: IMF, mmf: MMF }]
const VOL: VolatilityConfig = { halfLife: 30, sigmaRef: 10n ** 15n, minMultiplier: WAD, maxMultiplier: 3n * WAD }
const BREAKER: BreakerParams = { maxMoveBps: 1000n, window: 300, haltDuration: 600, cooldown: 300, maxOracleGap: 120, liquidationGrace: 120 }
const ACCOUNTS = Number(process.env['RISK_ACCOUNTS'] ?? 1000)
const COLLATERAL = 10_000n

const T0 = 1_700_000_000
type Tick = { mult: bigint; breaker: BreakerState }

/** The production pipeline (MarketAggregator: median, EMA, breaker-gated EWMA volatility) over a path, 3 agreeing sources a minute. */
function pipeline(path: PricePath): Tick[] {
  const m = new MarketAggregator({ marketId: 1, volatility: VOL, breaker: BREAKER })
  return path.prices.map((p, i) => {
    const t = T0 + 60 * i
    const u = m.update([0, 1, 2].map((k) => ({ source: `s${k}`, price: p, publishTime: t })), t)
    return { mult: u.entry.volMultiplier, breaker: u.breaker }
  })
}

type Scheme = { name: 'adaptive' | 'static'; mult: (i: number) => bigint }

async function replay(path: PricePath, ticks: Tick[], scheme: Scheme) {
  const chain = new CoreChain(10002, assets, markets)
  chain.setPrice(100, WAD, WAD)
  const p0 = path.prices[0]!
  const m0 = scheme.mult(0)
  chain.setPrice(1, p0, m0)
  const z = normal(99)
  let capped = 0
  for (let i = 0; i < ACCOUNTS; i++) {
    const desired = 1.5 + 8 * Math.abs((z() % 1 + 1) % 1) // 1.5x .. 9.5x
    const maxLev = Number((WAD * WAD) / ((IMF * m0) / WAD)) / 1e18 // 1 / (imf * m0)
    const lev = Math.min(desired, maxLev * 0.999)
    if (lev < desired) capped++
    const notional = BigInt(Math.floor(lev * 1e6)) * COLLATERAL * 10n ** 12n // WAD USD
    const size = (notional * WAD) / p0
    const long = i % 10 < 7
    chain.put({ account: `0x${i.toString(16).padStart(64, '0')}`, settlement: 0n, collateral: [{ originChain: 10002, asset: USDC, amount: COLLATERAL * 10n ** 6n, pending: false }], positions: [{ marketId: 1, size: long ? size : -size, entryPrice: p0 }] })
  }
  const keeper = new LiquidationKeeper({ assets, markets, capacity: ACCOUNTS }, { chains: [chain], logger: pino({ level: 'silent' }) })
  await keeper.start(new Map([[100, { price: WAD }], [1, { price: p0, volMultiplier: m0 }]]))
  let reqSum = 0 // time-sum of maintenance requirement, USD
  let multSum = 0
  let haltedMinutes = 0
  const oi = () => [...chain.accounts.values()].reduce((s, a) => s + a.positions.reduce((x, p) => x + (p.size < 0n ? -p.size : p.size), 0n), 0n)
  let openInterest = oi()
  for (let i = 1; i < path.prices.length; i++) {
    const p = path.prices[i]!
    const m = scheme.mult(i)
    const t = T0 + 60 * i
    try {
      assertOperationAllowed(ticks[i]!.breaker, 'liquidate', t)
      chain.halted.delete(1)
    } catch {
      chain.halted.add(1)
      haltedMinutes++
    }
    chain.setPrice(1, p, m)
    const before = chain.liquidations.length
    await keeper.onPrice(1, p, m)
    if (chain.liquidations.length !== before) openInterest = oi()
    const notionalUsd = Number((openInterest * p) / WAD) / 1e18
    reqSum += notionalUsd * (Number(MMF) / 1e18) * (Number(m) / 1e18)
    multSum += Number(m) / 1e18
  }
  // bad debt: realized in liquidations + accounts still below zero equity at the end
  const ctx = chain.context()
  let open = 0n
  for (const a of chain.accounts.values()) {
    const h = evaluateAccount(chain.toAccount(a), ctx)
    if (h.equity < 0n) open += -h.equity
  }
  const liquidatedAccounts = new Set(chain.liquidations).size
  return {
    liquidations: chain.liquidations.length,
    liquidatedAccounts,
    badDebtUsd: Number(chain.badDebt + open) / 1e18,
    avgMaintenanceRequirementUsd: Math.round(reqSum / (path.prices.length - 1)),
    avgMultiplier: +(multSum / (path.prices.length - 1)).toFixed(4),
    openingMultiplier: Number(m0) / 1e18,
    accountsCappedAtOpen: capped,
    haltedMinutes,
    keeperReevaluated: keeper.stats.reevaluated,
  }
}

async function main() {
  const paths = stressPaths()
  const ticks = paths.map(pipeline)
  const avg = (xs: bigint[]) => xs.reduce((s, m) => s + m, 0n) / BigInt(xs.length)
  // "same average requirement": every path equally likely, the static multiplier is the mean of the
  // adaptive multiplier's per-path averages (the minute-weighted mean is reported beside it)
  const staticMult = avg(ticks.map((ts) => avg(ts.map((x) => x.mult))))
  const minuteWeighted = avg(ticks.flat().map((x) => x.mult))
  const results = []
  for (const [k, path] of paths.entries()) {
    const adaptive = await replay(path, ticks[k]!, { name: 'adaptive', mult: (i) => ticks[k]![i]!.mult })
    const stat = await replay(path, ticks[k]!, { name: 'static', mult: () => staticMult })
    results.push({ path: path.name, calm: path.calm, minutes: path.minutes, adaptive, static: stat })
  }
  const goal = {
    noBadDebtAnyPath: results.every((r) => r.adaptive.badDebtUsd === 0),
    noBadDebtStatic: results.every((r) => r.static.badDebtUsd === 0),
    fewerLiquidationsOnCalmPaths: results.filter((r) => r.calm).every((r) => r.adaptive.liquidations < r.static.liquidations),
    fewerOrEqualLiquidationsOnCalmPaths: results.filter((r) => r.calm).every((r) => r.adaptive.liquidations <= r.static.liquidations),
  }
  const perAccount = (x: { liquidations: number; liquidatedAccounts: number }) => (x.liquidatedAccounts ? +(x.liquidations / x.liquidatedAccounts).toFixed(2) : 0)
  const calm = results.filter((r) => r.calm).map((r) => ({ path: r.path, liquidatedAccounts: { adaptive: r.adaptive.liquidatedAccounts, static: r.static.liquidatedAccounts }, txsPerLiquidatedAccount: { adaptive: perAccount(r.adaptive), static: perAccount(r.static) }, requirementSavedPct: +(100 * (1 - r.adaptive.avgMaintenanceRequirementUsd / r.static.avgMaintenanceRequirementUsd)).toFixed(2) }))
  const notes = [
    'Liquidations count transactions: a partial liquidation (close factor 0.5) of an account that keeps falling is followed by more.',
    'After a partial liquidation at health ~1 the price buffer left is about p * (mmf * m / 2 - penaltyRate / 2): it grows with the multiplier m, so on a one-way grind a lower requirement (adaptive m ~ 1 in calm markets vs static 1.038) gives slightly more partial liquidations of the same accounts.',
    'On the sideways path no account reaches maintenance under either scheme (leverage is capped by imf at open), so "fewer" cannot be met there; on the grind every leveraged long is liquidated under both schemes.',
    'Not done: raising the calm multiplier (it would cost the capital the adaptive scheme saves) or lowering it below 1 (less safety); the static baseline is not tuned.',
  ]
  const out = { when: new Date().toISOString(), calm, notes, node: process.version, accountsPerPath: ACCOUNTS, imf: 0.1, mmf: 0.05, volatility: { halfLife: VOL.halfLife, sigmaRefPerMinute: 0.001, max: 3 }, breaker: { maxMoveBps: 1000, window: 300 }, staticMultiplier: Number(staticMult) / 1e18, staticMultiplierMinuteWeighted: Number(minuteWeighted) / 1e18, results, goal }
  mkdirSync(new URL('../bench-results/', import.meta.url), { recursive: true })
  writeFileSync(new URL('../bench-results/risk.json', import.meta.url), `${JSON.stringify(out, null, 2)}\n`)
  console.log(`static multiplier (average of adaptive over all paths): ${out.staticMultiplier.toFixed(4)}`)
  console.log('path                       scheme    liqs  accts  badDebt$   avgMMreq$   avgMult  halted')
  for (const r of results) {
    for (const s of ['adaptive', 'static'] as const) {
      const x = r[s]
      console.log(`${r.path.padEnd(26)} ${s.padEnd(9)} ${String(x.liquidations).padStart(5)} ${String(x.liquidatedAccounts).padStart(6)} ${x.badDebtUsd.toFixed(2).padStart(9)} ${String(x.avgMaintenanceRequirementUsd).padStart(11)} ${x.avgMultiplier.toFixed(3).padStart(8)} ${String(x.haltedMinutes).padStart(7)}`)
    }
  }
  console.log(`goal: no bad debt on any path (adaptive): ${goal.noBadDebtAnyPath} (static: ${goal.noBadDebtStatic}); fewer liquidations than static on calm paths: ${goal.fewerLiquidationsOnCalmPaths} (fewer or equal: ${goal.fewerOrEqualLiquidationsOnCalmPaths})`)
  console.log('wrote bench-results/risk.json')
}

await main()
