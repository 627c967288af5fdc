import { MARKETS } from '../markets.js'
import { SYMBOL } from '../prices/venues.js'

/** The oracle source entries (bulwark-oracle config format) for one base asset on the local venues. */
export function oracleSources(venuesUrl: string, base: string): Record<string, unknown>[] {
  const policy = { timeoutMs: 800, retries: 1, backoffMs: 50, maxAgeSeconds: 30 }
  return [
    { type: 'coinbase', baseUrl: venuesUrl, product: SYMBOL.coinbase(base), policy },
    { type: 'kraken', baseUrl: venuesUrl, pair: SYMBOL.kraken(base), policy },
    { type: 'binance', baseUrl: venuesUrl, symbol: SYMBOL.binance(base), policy },
    { type: 'okx', baseUrl: venuesUrl, instId: SYMBOL.okx(base), policy },
  ]
}

export type OracleNodePlan = { index: number; peerPort: number; opsPort: number; keyFile: string; address: string }

export type OracleConfigInput = {
  node: OracleNodePlan
  all: readonly OracleNodePlan[]
  emitter: { chain: number; address: string }
  venuesUrl: string
  roundSeconds: number
}

/** One node's bulwark-oracle config (JSON), as its CLI reads it. */
export function oracleConfig(i: OracleConfigInput): Record<string, unknown> {
  return {
    guardianIndex: i.node.index,
    oracleSet: { index: 0, keys: i.all.map((n) => n.address) },
    emitter: i.emitter,
    peers: i.all.filter((n) => n.index !== i.node.index).map((n) => `http://127.0.0.1:${n.peerPort}`),
    peerListen: { host: '127.0.0.1', port: i.node.peerPort },
    ops: { host: '127.0.0.1', port: i.node.opsPort },
    roundSeconds: i.roundSeconds,
    // publish every meaningful move at once, so the crash reaches the chains step by step
    publish: { deviationBps: 10, multiplierDeviationBps: 100, heartbeatSeconds: 30 },
    markets: MARKETS.map((m) => ({
      marketId: m.id,
      name: m.name,
      sources: oracleSources(i.venuesUrl, m.base),
      minSources: 3,
      maxDeviationBps: 200,
      // the demo compresses a crash into a few minutes of scripted steps: a 10-round half-life and a 1%
      // per-round reference make the multiplier react within the story's minutes (a 30 min half-life would not).
      // A node without these three gets core's RISK_PROFILE in time units (30 min, 0.06% a minute, max 5).
      halfLife: 10,
      sigmaRef: String(10n ** 16n),
      maxMultiplier: String(3n * 10n ** 18n),
    })),
    keyFile: i.node.keyFile,
    logLevel: 'info',
  }
}
