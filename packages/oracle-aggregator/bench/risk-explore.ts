/**
 * Scratch exploration for issue 6 (not the benchmark of record: bench/risk.ts is). A float model of
 * core's margin and liquidation rules (docs/protocol.md 7-8: health, close factor, full below 0.5,
 * dust, penalty charged up to equity, bad debt) driven by the production MarketAggregator's sigma and
 * breaker over the stress paths, for many designs and seeds at once.
 * Run: pnpm --filter @bulwark/oracle-aggregator exec tsx bench/risk-explore.ts   (env DESIGNS=floor06/arrivals,... SEEDS, RISK_ACCOUNTS)
 * Figures of record come from bench/risk.ts, which runs the real keeper and core.
 */
import type { BreakerParams, VolatilityConfig } from '@bulwark/core'
import { WAD, assertOperationAllowed } from '@bulwark/core'
import { MarketAggregator } from '../src/services/aggregation/market-aggregator.js'
import { normal, stressPaths } from './paths.js'

const BREAKER: BreakerParams = { maxMoveBps: 1000n, window: 300, haltDuration: 600, cooldown: 300, maxOracleGap: 120, liquidationGrace: 120 }
const T0 = 1_700_000_000
const IMF = 0.1
const MMF = 0.05
const Q = 0.02
const DUST = 100
const COLLATERAL = 10_000

type Series = { name: string; calm: boolean; p: Float64Array; sigma: Float64Array; halted: Uint8Array; noOpen: Uint8Array }

function series(seed: number): Series[] {
  const vol: VolatilityConfig = { halfLife: 30, sigmaRef: 10n ** 15n, minMultiplier: WAD, maxMultiplier: 3n * WAD }
  return stressPaths(seed).map((path) => {
    const m = new MarketAggregator({ marketId: 1, volatility: vol, breaker: BREAKER })
    const n = path.prices.length
    const s: Series = { name: path.name, calm: path.calm, p: new Float64Array(n), sigma: new Float64Array(n), halted: new Uint8Array(n), noOpen: new Uint8Array(n) }
    path.prices.forEach((price, i) => {
      const t = T0 + 60 * i
      const u = m.update([0, 1, 2].map((k) => ({ source: `s${k}`, price, publishTime: t })), t)
      s.p[i] = Number(price) / 1e18
      s.sigma[i] = Number(u.sigma) / 1e18
      try {
        assertOperationAllowed(u.breaker, 'liquidate', t)
      } catch {
        s.halted[i] = 1
      }
      try {
        assertOperationAllowed(u.breaker, 'open', t)
      } catch {
        s.noOpen[i] = 1
      }
    })
    return s
  })
}

type Vol = { sigmaRef: number; min: number; max: number }
const mult = (sigma: number, v: Vol) => Math.min(v.max, Math.max(v.min, sigma / v.sigmaRef))

type Sizing = { kind: 'close-factor' } | { kind: 'target'; health: number }
type Population = { kind: 't0' | 'arrivals'; lev: 'absolute' | 'relative'; topUp: number; holdMinutes: number }
type Trader = { open: number; close: number; long: boolean; u: number; absLev: number; topUp: boolean }

function traders(n: number, minutes: number, pop: Population, seed: number): Trader[] {
  const z = normal(1000 + seed)
  const uni = () => {
    const x = z()
    return (((x * 1e4) % 1) + 1) % 1
  }
  const out: Trader[] = []
  for (let i = 0; i < n; i++) {
    const open = pop.kind === 't0' ? 0 : Math.floor(uni() * (minutes - 1))
    const hold = pop.holdMinutes > 0 ? Math.ceil(-Math.log(1 - uni()) * pop.holdMinutes) : Infinity
    out.push({ open, close: open + hold, long: i % 10 < 7, u: 0.15 + 0.8 * uni(), absLev: 1.5 + 8 * uni(), topUp: uni() < pop.topUp })
  }
  return out
}

type Result = { txs: number; accounts: number; badDebt: number; reqPerNotional: number; avgReq: number; opened: number }

/** One scheme over one path: multiplier series m[i]; leverage is set from the strictest scheme mStrict[i]. */
function replay(s: Series, m: Float64Array, mStrict: Float64Array, ts: Trader[], pop: Population, sizing: Sizing): Result {
  const n = ts.length
  const size = new Float64Array(n) // signed units
  const entry = new Float64Array(n)
  const cash = new Float64Array(n) // collateral + settlement
  const liquidated = new Uint8Array(n)
  const toppedUp = new Uint8Array(n)
  let txs = 0
  let badDebt = 0
  let reqSum = 0
  let notionalSum = 0
  let opened = 0
  const byOpen = new Map<number, number[]>()
  ts.forEach((t, k) => {
    let at = t.open // an open refused by the breaker (halt, cooldown) is placed at the first minute it is allowed
    while (at < s.p.length - 1 && s.noOpen[at]) at++
    ;(byOpen.get(at) ?? byOpen.set(at, []).get(at)!).push(k)
  })
  for (let i = 0; i < s.p.length; i++) {
    const p = s.p[i]!
    const mm = MMF * m[i]!
    for (const k of byOpen.get(i) ?? []) {
      const t = ts[k]!
      const maxLev = 1 / (IMF * mStrict[i]!)
      const lev = pop.lev === 'relative' ? t.u * maxLev : Math.min(t.absLev, 0.999 * maxLev)
      const units = (lev * COLLATERAL) / p
      size[k] = t.long ? units : -units
      entry[k] = p
      cash[k] = COLLATERAL
      opened++
    }
    let notional = 0
    for (let k = 0; k < n; k++) {
      if (size[k] === 0) continue
      if (i >= ts[k]!.close) {
        // trader closes: realize pnl, position gone
        cash[k]! += size[k]! * (p - entry[k]!)
        size[k] = 0
        continue
      }
      let N = Math.abs(size[k]!) * p
      let E = cash[k]! + size[k]! * (p - entry[k]!)
      if (ts[k]!.topUp && !toppedUp[k] && E < 1.2 * mm * N) {
        // adds collateral back to health 2 once (the same traders in both schemes; the amount follows that scheme's margin)
        cash[k]! += 2 * mm * N - E
        toppedUp[k] = 1
        E = 2 * mm * N
      }
      if (!s.halted[i]) {
        for (let round = 0; round < 8 && size[k] !== 0 && E < mm * N; round++) {
          const h = E / (mm * N)
          let f: number
          if (h < 0.5 || N <= DUST) f = 1
          else if (sizing.kind === 'close-factor') f = 0.5
          else {
            const H = sizing.health
            f = Math.min(1, Math.max(0.5 * 0, (H * mm * N - E) / (H * mm * N - Q * N)))
            if (!(f > 0)) f = 1
          }
          const closeUnits = size[k]! * f
          cash[k]! += closeUnits * (p - entry[k]!)
          size[k]! -= closeUnits
          const closedN = Math.abs(closeUnits) * p
          const eq = cash[k]! + size[k]! * (p - entry[k]!)
          cash[k]! -= Math.min(closedN * Q, Math.max(eq, 0))
          txs++
          liquidated[k] = 1
          if (Math.abs(size[k]!) * p < 1e-9) size[k] = 0
          N = Math.abs(size[k]!) * p
          E = cash[k]! + size[k]! * (p - entry[k]!)
          if (size[k] === 0 && E < 0) {
            badDebt += -E
            cash[k] = 0
          }
        }
      }
      notional += Math.abs(size[k]!) * p
    }
    reqSum += notional * mm
    notionalSum += notional
  }
  for (let k = 0; k < n; k++) {
    const E = cash[k]! + size[k]! * (s.p[s.p.length - 1]! - entry[k]!)
    if (size[k] !== 0 && E < 0) badDebt += -E
  }
  let accounts = 0
  for (let k = 0; k < n; k++) accounts += liquidated[k]!
  return { txs, accounts, badDebt: Math.round(badDebt), reqPerNotional: +(reqSum / notionalSum).toFixed(5), avgReq: Math.round(reqSum / s.p.length), opened }
}

const mean = (xs: ArrayLike<number>) => Array.from(xs).reduce((a, b) => a + b, 0) / xs.length

export type Design = { name: string; vol: Vol; pop: Population; sizing: Sizing }

export function run(design: Design, seeds: number[], accounts = 1000) {
  const rows: Record<string, unknown>[] = []
  for (const seed of seeds) {
    const ss = series(seed)
    const ms = ss.map((s) => Float64Array.from(s.sigma, (x) => mult(x, design.vol)))
    const pathAvg = ms.map(mean)
    const allPath = mean(pathAvg)
    ss.forEach((s, k) => {
      const ad = ms[k]!
      for (const [variant, st] of [['all-path', allPath], ['per-path', pathAvg[k]!]] as const) {
        const stat = new Float64Array(ad.length).fill(st)
        const strict = Float64Array.from(ad, (x) => Math.max(x, st))
        const ts = traders(accounts, s.p.length, design.pop, seed)
        const a = replay(s, ad, strict, ts, design.pop, design.sizing)
        const b = replay(s, stat, strict, ts, design.pop, design.sizing)
        rows.push({ design: design.name, seed, path: s.name.split('-')[0], variant, staticM: +st.toFixed(3), adTx: a.txs, stTx: b.txs, adAcc: a.accounts, stAcc: b.accounts, adBad: a.badDebt, stBad: b.badDebt, adReq: a.reqPerNotional, stReq: b.reqPerNotional })
      }
    })
  }
  return rows
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // the design sweep: multiplier floor x population x liquidation sizing; 5 seeds; all-path and per-path static
  const seeds = (process.env['SEEDS'] ?? '0,1,2,3,4').split(',').map(Number)
  const accounts = Number(process.env['RISK_ACCOUNTS'] ?? 5000)
  const want = process.env['DESIGNS']?.split(',')
  const vols: Record<string, Vol> = { floor1: { sigmaRef: 0.001, min: 1, max: 3 }, floor06: { sigmaRef: 0.001, min: 0.6, max: 3 }, floor05: { sigmaRef: 0.001, min: 0.5, max: 3 } }
  const pops: Record<string, Population> = {
    t0: { kind: 't0', lev: 'absolute', topUp: 0, holdMinutes: 0 },
    arrivals: { kind: 'arrivals', lev: 'relative', topUp: 0.3, holdMinutes: 1440 },
    noTopUp: { kind: 'arrivals', lev: 'relative', topUp: 0, holdMinutes: 1440 },
    hold3d: { kind: 'arrivals', lev: 'relative', topUp: 0.3, holdMinutes: 4320 },
    absLev: { kind: 'arrivals', lev: 'absolute', topUp: 0.3, holdMinutes: 1440 },
  }
  const sizings: Record<string, Sizing> = { cf: { kind: 'close-factor' }, h15: { kind: 'target', health: 1.5 }, h2: { kind: 'target', health: 2 } }
  for (const [vn, vol] of Object.entries(vols))
    for (const [pn, pop] of Object.entries(pops))
      for (const [sn, sizing] of Object.entries(sizings)) {
        const name = `${vn}/${pn}/${sn}`
        if (want && !want.some((w) => name.includes(w))) continue
        const rows = run({ name, vol, pop, sizing }, seeds, accounts) as { variant: string; path: string; adTx: number; stTx: number; adAcc: number; stAcc: number; adBad: number }[]
        for (const variant of ['all-path', 'per-path']) {
          const r = rows.filter((x) => x.variant === variant)
          const pass = (path: string) => r.filter((x) => x.path === path && x.adTx < x.stTx && x.adAcc < x.stAcc).length
          const sums = (path: string) => {
            const c = r.filter((x) => x.path === path)
            const s = (f: (x: (typeof c)[number]) => number) => c.reduce((a, x) => a + f(x), 0)
            return `tx ${s((x) => x.adTx)}/${s((x) => x.stTx)} acc ${s((x) => x.adAcc)}/${s((x) => x.stAcc)}`
          }
          console.log(`${name.padEnd(24)} ${variant.padEnd(8)} badDebt ${r.reduce((a, x) => a + x.adBad, 0)} | seeds fewer (tx and accounts): grind ${pass('grind')}/${seeds.length} sideways ${pass('sideways')}/${seeds.length} | grind ${sums('grind')} | sideways ${sums('sideways')}`)
        }
      }
}
