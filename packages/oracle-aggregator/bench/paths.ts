import { WAD } from '@bulwark/core'

/** Deterministic xorshift PRNG and a standard normal by Box-Muller. */
export function normal(seed: number): () => number {
  let s = seed >>> 0 || 1
  const u = () => {
    s ^= s << 13
    s ^= s >>> 17
    s ^= s << 5
    return ((s >>> 0) + 0.5) / 4294967296
  }
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u())
}

export type PricePath = { name: string; calm: boolean; minutes: number; prices: bigint[] }

const CALM_SIGMA = 0.0004 // 0.04% per minute (~30% annualized)
const toWad = (x: number) => BigInt(Math.round(x * 1e6)) * (WAD / 1_000_000n)

function walk(n: number, seed: number, drift: (i: number) => number, sigma: (i: number) => number, start = 30_000): bigint[] {
  const z = normal(seed)
  const out: bigint[] = []
  let p = start
  for (let i = 0; i < n; i++) {
    p = p * Math.exp(drift(i) + sigma(i) * z())
    out.push(toWad(p))
  }
  return out
}

/**
 * One-minute price paths: a day of calm before each event, so the EWMA starts from a calm market.
 * `seed` 0 is the original set (walk seeds 11..14); seed k uses 11+100k..14+100k.
 */
export function stressPaths(seed = 0): PricePath[] {
  const s = 100 * seed
  const day = 1440
  const hour = 60
  const week = 7 * day
  const crashDrift = Math.log(0.6) / hour
  return [
    {
      name: 'crash-40pct-in-1h',
      calm: false,
      minutes: day + 2 * hour,
      prices: walk(day + 2 * hour, s + 11, (i) => (i >= day && i < day + hour ? crashDrift : 0), (i) => (i >= day && i < day + hour ? 0.004 : CALM_SIGMA)),
    },
    {
      name: 'wick-15pct-1min-reverts',
      calm: false,
      minutes: day + hour,
      prices: walk(day + hour, s + 12, () => 0, () => CALM_SIGMA).map((p, i) => (i === day ? (p * 85n) / 100n : p)),
    },
    { name: 'grind-60pct-over-a-week', calm: true, minutes: week, prices: walk(week, s + 13, () => Math.log(0.4) / week, () => CALM_SIGMA) },
    { name: 'sideways-week', calm: true, minutes: week, prices: walk(week, s + 14, () => 0, () => CALM_SIGMA) },
  ]
}
