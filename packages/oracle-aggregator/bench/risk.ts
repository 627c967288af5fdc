/**
 * Risk quality benchmark (issue 6): replays the stress paths (1-minute prices, several seeds)
 * through the production MarketAggregator (median, breaker-gated EWMA volatility), core (margin,
 * liquidation) and the real LiquidationKeeper, comparing the volatility-adaptive margin with a
 * static margin of the same average requirement, for the protocol today and for candidate designs.
 * Writes bench-results/risk.json and prints a summary.   Run: pnpm bench:risk
 * Env: RISK_ACCOUNTS (default 1000 per path), RISK_SEEDS (default 0,1,2,3,4), RISK_DESIGNS, RISK_POPULATIONS (names),
 * RISK_OUT (file name under bench-results/, default risk.json).
 */
import { assertOperationAllowed, volMultiplier, WAD, type BreakerParams, type VolatilityConfig } from '@bulwark/core'
import { mkdirSync, writeFileSync } from 'node:fs'
import { MarketAggregator } from '../src/services/aggregation/market-aggregator.js'
import { stressPaths } from './paths.js'
import { replay, traders, type Population, type ReplayResult } from './risk-replay.js'

const BREAKER: BreakerParams = { maxMoveBps: 1000n, window: 300, haltDuration: 600, cooldown: 300, maxOracleGap: 120, liquidationGrace: 120 }
const HALF_LIFE = 30
const ACCOUNTS = Number(process.env['RISK_ACCOUNTS'] ?? 1000)
const SEEDS = (process.env['RISK_SEEDS'] ?? '0,1,2,3,4').split(',').map(Number)
const T0 = 1_700_000_000
const OUT = process.env['RISK_OUT'] ?? 'risk.json'
const pct = (x: bigint) => x * 10n ** 16n

type Design = { name: string; what: string; imf: bigint; mmf: bigint; vol: VolatilityConfig; targetHealth?: bigint }
const TODAY_VOL: VolatilityConfig = { halfLife: HALF_LIFE, sigmaRef: 10n ** 15n, minMultiplier: WAD, maxMultiplier: 3n * WAD }
// clamp(sigma / 0.1%, 0.6, 3) on mmf 5% / imf 10% is the same requirement as clamp(sigma / 0.06%, 1, 5)
// on mmf 3% / imf 6%: a multiplier floor below 1 is a re-basing of mmf, expressible today
const NORMALIZED_VOL: VolatilityConfig = { halfLife: HALF_LIFE, sigmaRef: 6n * 10n ** 14n, minMultiplier: WAD, maxMultiplier: 5n * WAD }
const DESIGNS: Design[] = [
  { name: 'today', what: 'protocol today: mmf 5%, imf 10%, m = clamp(sigma/0.1%, 1, 3), close factor 0.5', imf: pct(10n), mmf: pct(5n), vol: TODAY_VOL },
  { name: 'normalized', what: '(a) volatility-normalized: m = clamp(sigma/0.1%, 0.6, 3) on mmf 5% (run as mmf 3%, imf 6%, clamp(sigma/0.06%, 1, 5)); close factor 0.5', imf: pct(6n), mmf: pct(3n), vol: NORMALIZED_VOL },
  { name: 'today+target', what: '(c) only: protocol today, a liquidation closes just enough to restore health 1.5 (not the 50% close factor)', imf: pct(10n), mmf: pct(5n), vol: TODAY_VOL, targetHealth: (3n * WAD) / 2n },
  { name: 'normalized+target', what: '(a) + (c): volatility-normalized multiplier and liquidation to health 1.5', imf: pct(6n), mmf: pct(3n), vol: NORMALIZED_VOL, targetHealth: (3n * WAD) / 2n },
]
const ALL_POPULATIONS: { name: string; pop: Population }[] = [
  { name: 't0', pop: { kind: 't0' } },
  { name: 'arrivals', pop: { kind: 'arrivals', topUp: 0.3, holdMinutes: 1440 } },
]
const POPULATIONS = ALL_POPULATIONS.filter((p) => !process.env['RISK_POPULATIONS'] || process.env['RISK_POPULATIONS'].split(',').includes(p.name))

const CONCLUSION = [
  'Goal not met with the protocol\'s default parameters. Measured (risk.json, and risk-5000.json for 5,000 accounts): the protocol today never meets it (grind: more transactions on every seed; sideways: no fewer liquidations on 4 or 5 of 5 seeds, mostly 0 vs 0). The only combination that comes close is (a) a multiplier floor of 0.6 (a re-basing of mmf, expressible with today\'s code) + (c) liquidation sized to restore health 1.5 (now the protocol\'s optional targetHealth liquidation parameter in core, Solidity and the Solana program; default 0 = off) + a population opening through the path near the strictest maximum leverage, against the all-path average: no bad debt, fewer transactions and fewer liquidated accounts on the grind on 5 of 5 seeds (by 1-2%), and on the sideways week on 4 of 5 seeds with 5,000 accounts (risk-5000.json; the 5th seed liquidates nobody under either scheme; with 1,000 accounts the sideways counts tie).',
  'It fails by construction against the per-path average (the adaptive multiplier sits at its floor on a calm path, so its average is the floor and the baseline is the same scheme) and with the original t0 book (nobody reaches maintenance on the sideways path). Each part alone fails: (a) alone gives more transactions on the grind (lower requirement -> shorter spacing of 50% partial liquidations), (c) alone gives more transactions too (today\'s multiplier is 1.0 vs a static 1.038: no calm saving to spend).',
]

type PathRun = { name: string; calm: boolean; prices: bigint[]; sigma: bigint[]; noLiquidate: boolean[]; noOpen: boolean[] }

/** The production pipeline over a path (3 agreeing sources a minute): sigma and the breaker's verdicts. */
function pipeline(seed: number): PathRun[] {
  return stressPaths(seed).map((path) => {
    const agg = new MarketAggregator({ marketId: 1, volatility: TODAY_VOL, breaker: BREAKER })
    const run: PathRun = { name: path.name, calm: path.calm, prices: path.prices, sigma: [], noLiquidate: [], noOpen: [] }
    path.prices.forEach((price, i) => {
      const t = T0 + 60 * i
      const u = agg.update([0, 1, 2].map((k) => ({ source: `s${k}`, price, publishTime: t })), t)
      run.sigma.push(u.sigma)
      const refused = (op: 'liquidate' | 'open') => {
        try {
          assertOperationAllowed(u.breaker, op, t)
          return false
        } catch {
          return true
        }
      }
      run.noLiquidate.push(refused('liquidate'))
      run.noOpen.push(refused('open'))
    })
    return run
  })
}

const mean = (xs: bigint[]) => xs.reduce((s, x) => s + x, 0n) / BigInt(xs.length)
const short = (r: ReplayResult) => ({ txs: r.liquidations, accounts: r.liquidatedAccounts, badDebtUsd: +r.badDebtUsd.toFixed(2), reqPerNotional: r.requirementPerNotional, avgMMReqUsd: r.avgMaintenanceRequirementUsd, avgMult: r.avgMultiplier })
type Row = { design: string; population: string; seed: number; path: string; calm: boolean; staticAllPath: number; staticPerPath: number; adaptive: ReturnType<typeof short>; staticAll: ReturnType<typeof short>; staticPath: ReturnType<typeof short> }

async function main() {
  const started = Date.now()
  const designs = DESIGNS.filter((d) => !process.env['RISK_DESIGNS'] || process.env['RISK_DESIGNS'].split(',').includes(d.name))
  const rows: Row[] = []
  const staticMults: Record<string, Record<number, { allPath: number; minuteWeighted: number }>> = {}
  for (const seed of SEEDS) {
    const runs = pipeline(seed)
    for (const d of designs) {
      const mults = runs.map((r) => r.sigma.map((s) => volMultiplier(s, d.vol)))
      const perPath = mults.map(mean)
      // "same average requirement": the static multiplier is the time-average of the adaptive one,
      // all-path = the mean of the 4 per-path averages (each path equally likely); per-path = that path's own
      const allPath = mean(perPath)
      ;(staticMults[d.name] ??= {})[seed] = { allPath: Number(allPath) / 1e18, minuteWeighted: Number(mean(mults.flat())) / 1e18 }
      for (const { name: population, pop } of POPULATIONS) {
        for (const [k, r] of runs.entries()) {
          const mult = mults[k]!
          const strict = mult.map((m) => [m, allPath, perPath[k]!].reduce((a, b) => (a > b ? a : b)))
          const ts = traders(pop, ACCOUNTS, r.prices.length, seed)
          const base = { prices: r.prices, noLiquidate: r.noLiquidate, noOpen: r.noOpen, strict, market: { marketId: 1, imf: d.imf, mmf: d.mmf }, targetHealth: d.targetHealth, traders: ts }
          const adaptive = await replay({ ...base, mult })
          const staticAll = await replay({ ...base, mult: mult.map(() => allPath) })
          const staticPath = await replay({ ...base, mult: mult.map(() => perPath[k]!) })
          rows.push({ design: d.name, population, seed, path: r.name, calm: r.calm, staticAllPath: +(Number(allPath) / 1e18).toFixed(4), staticPerPath: +(Number(perPath[k]!) / 1e18).toFixed(4), adaptive: short(adaptive), staticAll: short(staticAll), staticPath: short(staticPath) })
        }
      }
    }
  }
  const summary = designs.flatMap((d) =>
    POPULATIONS.flatMap(({ name: population }) =>
      (['staticAll', 'staticPath'] as const).map((variant) => {
        const rs = rows.filter((r) => r.design === d.name && r.population === population)
        const calmPaths = [...new Set(rs.filter((r) => r.calm).map((r) => r.path))]
        const calm = Object.fromEntries(
          calmPaths.map((path) => {
            const c = rs.filter((r) => r.path === path)
            const sum = (f: (r: Row) => number) => c.reduce((s, r) => s + f(r), 0)
            return [path, {
              seedsFewerTxs: c.filter((r) => r.adaptive.txs < r[variant].txs).length,
              seedsFewerAccounts: c.filter((r) => r.adaptive.accounts < r[variant].accounts).length,
              txs: `${sum((r) => r.adaptive.txs)} vs ${sum((r) => r[variant].txs)}`,
              accounts: `${sum((r) => r.adaptive.accounts)} vs ${sum((r) => r[variant].accounts)}`,
              requirementSavedPct: +(100 * (1 - sum((r) => r.adaptive.reqPerNotional) / sum((r) => r[variant].reqPerNotional))).toFixed(2),
            }]
          }),
        )
        const seeds = new Set(rs.map((r) => r.seed)).size
        const badDebtAdaptive = +rs.reduce((s, r) => s + r.adaptive.badDebtUsd, 0).toFixed(2)
        const badDebtStatic = +rs.reduce((s, r) => s + r[variant].badDebtUsd, 0).toFixed(2)
        const fewerTxs = Object.values(calm).every((c) => c.seedsFewerTxs === seeds)
        const fewerAccounts = Object.values(calm).every((c) => c.seedsFewerAccounts === seeds)
        return { design: d.name, population, static: variant === 'staticAll' ? 'all-path average' : 'per-path average', seeds, badDebtAdaptive, badDebtStatic, calm, goalMet: badDebtAdaptive === 0 && fewerTxs && fewerAccounts, fewerTxsEverySeed: fewerTxs, fewerAccountsEverySeed: fewerAccounts }
      }),
    ),
  )
  const notes = [
    'Goal (issue 6) as checked here: no bad debt for the adaptive scheme on any path and seed, and on both calm paths (grind, sideways) fewer liquidation transactions AND fewer liquidated accounts than the static baseline on every seed.',
    'Static baseline: a constant multiplier equal to the time-average of the adaptive multiplier. "all-path": the mean of the four per-path averages of that seed (each path equally likely, one number for every path: a real static scheme). "per-path": the path\'s own average (knows the path in advance). The minute-weighted mean is reported beside them. The baseline is never tuned.',
    'Per-path average: on a calm path the adaptive multiplier sits at its floor, so its average IS the floor and the static baseline equals the adaptive scheme minute for minute: "fewer" is impossible by construction, for any design. Only a scheme that moves requirement from calm to stressed markets can beat a baseline with the same average, and only against the all-path average.',
    'A multiplier floor below 1 is not a protocol change: mmf * clamp(sigma/sigmaRef, f, M) = (mmf * f) * clamp(sigma/(sigmaRef * f), 1, M/f). "normalized" runs floor 0.6 on mmf 5% / imf 10% as mmf 3% / imf 6% with sigmaRef 0.06% and max 5, through unchanged core. The safety rule (partial liquidation must raise health: penaltyRate 2% < the smallest effective mmf) becomes mmf 3% > 2%, which docs/protocol.md section 8 already states.',
    'Close factor 0.5: after a partial liquidation at margin ratio r = mmf * m the ratio is 2r - penaltyRate, so the next one comes after an adverse move of about (r - penaltyRate) / (1 - r): a lower requirement means more partial-liquidation transactions per account on a one-way grind (three times more at r = 3% than at 5%), until the $100 dust rule closes the rest. That is why the grind shows fewer liquidated accounts but more transactions for every design with the 50% close factor.',
    'today+target / normalized+target size a liquidation to restore health 1.5 with the protocol\'s targetHealth liquidation parameter (core, Solidity and the Solana program; docs/protocol.md section 8): fraction = mulDivUp(1.5 mmReq - equity, 1, 1.5 mmReq - penaltyRate * notional) with both products rounded up, capped at 1; full below health 0.5 and at dust as always. Earlier runs emulated it by passing that fraction (products rounded down) as the close factor; the emulation is gone and the results are unchanged (compared run for run).',
    'Populations: "t0" is the original book (1,000 accounts opened at the first minute, 1.5x-9.5x, held to the end): on the sideways path nobody reaches maintenance under any scheme (0 vs 0), so "fewer" cannot be met with it. "arrivals": accounts open through the path at u * the strictest compared scheme\'s maximum leverage (u in 0.15..0.95, the same positions under every scheme), hold ~1 day (exponential), 30% top up once to health 2 when health < 1.2; opens wait while the breaker refuses them.',
  ]
  const out = {
    when: new Date().toISOString(),
    node: process.version,
    seconds: Math.round((Date.now() - started) / 1000),
    accountsPerPath: ACCOUNTS,
    seeds: SEEDS,
    volatility: { halfLife: HALF_LIFE },
    breaker: { maxMoveBps: 1000, window: 300, haltDuration: 600, cooldown: 300 },
    liquidation: { closeFactor: 0.5, penaltyRate: 0.02, fullLiquidationHealth: 0.5, dustNotionalUsd: 100, targetHealth: '1.5 for the +target designs (core targetHealth), 0 otherwise' },
    designs: designs.map((d) => ({ name: d.name, what: d.what })),
    staticMultipliers: staticMults,
    goalMetByAnyDesign: summary.some((x) => x.goalMet),
    conclusion: CONCLUSION,
    notes,
    summary,
    results: rows,
  }
  mkdirSync(new URL('../bench-results/', import.meta.url), { recursive: true })
  writeFileSync(new URL(`../bench-results/${OUT}`, import.meta.url), `${JSON.stringify(out, null, 2)}\n`)
  console.log(`${ACCOUNTS} accounts per path, seeds ${SEEDS.join(',')}; sums over seeds, adaptive vs static (all-path average / per-path average)`)
  console.log('design             population  path         txs adaptive / all / per     accounts adaptive / all / per   badDebt a/s  ')
  for (const d of designs) {
    for (const { name: population } of POPULATIONS) {
      for (const path of [...new Set(rows.map((r) => r.path))]) {
        const rs = rows.filter((r) => r.design === d.name && r.population === population && r.path === path)
        const s = (f: (r: Row) => number) => rs.reduce((a, r) => a + f(r), 0)
        console.log(`${d.name.padEnd(18)} ${population.padEnd(10)} ${path.split('-')[0]!.padEnd(9)} ${String(s((r) => r.adaptive.txs)).padStart(8)} / ${String(s((r) => r.staticAll.txs)).padStart(6)} / ${String(s((r) => r.staticPath.txs)).padStart(6)}   ${String(s((r) => r.adaptive.accounts)).padStart(8)} / ${String(s((r) => r.staticAll.accounts)).padStart(6)} / ${String(s((r) => r.staticPath.accounts)).padStart(6)}   ${s((r) => r.adaptive.badDebtUsd).toFixed(0)}/${s((r) => r.staticAll.badDebtUsd + r.staticPath.badDebtUsd).toFixed(0)}`)
      }
    }
  }
  for (const s of summary) console.log(`goal ${s.goalMet ? 'MET    ' : 'not met'} ${s.design.padEnd(18)} ${s.population.padEnd(9)} vs ${s.static.padEnd(16)} badDebt ${s.badDebtAdaptive}; seeds with fewer txs/accounts: ${Object.entries(s.calm).map(([p, c]) => `${p.split('-')[0]} ${c.seedsFewerTxs}/${c.seedsFewerAccounts} of ${s.seeds}`).join(', ')}`)
  console.log(`wrote bench-results/${OUT} (${out.seconds} s)`)
}

await main()
