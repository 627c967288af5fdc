/**
 * Price report -> liquidation transaction confirmed, on Solana: the real Bulwark program in litesvm
 * behind @bulwark/solana-adapter's RPC server (one block per landed transaction, 400 ms slot ticks).
 * Accounts really held by the program (credited by guardian-signed VAAs through the adapter,
 * positions opened by their own keys), indexed by SolanaKeeperChain.getAccountChanges; falling
 * PriceReports signed by the oracle set land through SolanaAdapter.submitVaa (confirmed); then the
 * keeper follows the chain's prices and liquidates (SolanaKeeperChain.liquidate waits for
 * `confirmed`). Writes bench-results/solana-latency.json (numbers, not assertions).
 *
 *   pnpm --filter @bulwark/oracle-aggregator bench:solana        # 200 accounts, 12 reports
 *   SOLANA_BENCH_ACCOUNTS=400 SOLANA_BENCH_REPORTS=12 SOLANA_BENCH_IN_FLIGHT=8 ...
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { buildSignedVaa, encodePayload, WAD, type Hex } from '@bulwark/core'
import { testGuardianKeys } from '@bulwark/core/testing'
import { addressOfPrivateKey } from '@bulwark/core'
import { generateKeyPairSigner } from '@solana/kit'
import pino from 'pino'
import { SolanaKeeperChain } from '../src/chains/solana-keeper-chain.js'
import { LiquidationKeeper } from '../src/services/keeper/keeper.js'
import { q as quantile } from './quantile.js'
import { PROGRAM, SolanaProgram } from '../test/helpers/solana-program.js'
import { openTraders, registerRemoteUsdc, REMOTE, USDC } from '../test/helpers/solana-traders.js'

/** Quantiles to 0.1 ms. */
const q = (xs: number[], p: number) => quantile(xs, p, 1)
const SOLANA = 1
const ETH = 1
const USD = 100
const oracleKeys = testGuardianKeys(4, 'bench-solana-oracle')
const emitter = { chain: SOLANA, address: `0x${'0d'.repeat(32)}` as Hex }
let sequence = 0n
const report = (publishTime: number, prices: { marketId: number; price: bigint }[]) =>
  buildSignedVaa(
    { timestamp: publishTime, nonce: 0, emitterChain: emitter.chain, emitterAddress: emitter.address, sequence: sequence++, consistencyLevel: 1, payload: encodePayload({ type: 'PriceReport', publishTime: BigInt(publishTime), prices: prices.map((p) => ({ ...p, conf: 0n, emaPrice: p.price, volMultiplier: WAD })) }) },
    0,
    oracleKeys.slice(0, 3),
  )
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export async function solanaHeld(n: number, reports: number, inFlight: number) {
  const load = { before: loadavg().map((x) => +x.toFixed(2)) }
  const program = await SolanaProgram.start({ chainId: SOLANA, oracleSigners: oracleKeys.map((k) => addressOfPrivateKey(k.privateKey)), oracleEmitter: emitter, markets: [ETH, USD] })
  const chains: SolanaKeeperChain[] = []
  const chain = async (name: string) => {
    const payer = await generateKeyPairSigner()
    await program.fund(payer.address)
    const c = new SolanaKeeperChain({ chainId: SOLANA, rpcUrl: program.server.url, wsUrl: program.server.wsUrl, programId: PROGRAM, payer, name, confirmTimeoutMs: 30_000 })
    chains.push(c)
    return c
  }
  try {
    await registerRemoteUsdc(program, USD)
    const oracle = await chain('oracle')
    // publish times strictly increase and stay within the program's 5 s future window: one per wall-clock second
    let last = 0
    const nextSecond = async () => {
      while (Math.floor(Date.now() / 1000) <= last) await sleep(20)
      last = Math.floor(Date.now() / 1000)
    }
    const publish = async (price: bigint) => {
      await nextSecond()
      return oracle.submitVaa(report(last, [{ marketId: ETH, price }, { marketId: USD, price: WAD }]))
    }
    await publish(2_000n * WAD)
    const setup = performance.now()
    const relayer = await chain('relayer')
    // 6.5x..9.9x: a -1% step per report liquidates from the 6th report (9.9x) to the 12th (6.5x)
    await openTraders(program, relayer, { chainId: SOLANA, guardians: oracleKeys.map((k) => k.privateKey), leverageX10: Array.from({ length: n }, (_, i) => 65 + ((i * 37) % 35)), usdc: 1_000n, market: ETH, usdMarket: USD, price: 2_000n })
    const setupSeconds = (performance.now() - setup) / 1000
    const keeperChain = await chain('keeper')
    await keeperChain.ready() // the liquidator's margin account, opened before timing
    const keeper = new LiquidationKeeper(
      { assets: [{ originChain: REMOTE, asset: USDC, decimals: 6, weight: WAD, pendingWeight: WAD / 2n, priceMarketId: USD }], markets: [{ marketId: ETH, imf: WAD / 10n, mmf: WAD / 20n }], maxInFlightPerChain: inFlight },
      { chains: [keeperChain], logger: pino({ level: process.env['BENCH_LOG'] ?? 'silent' }) },
    )
    await keeper.followChains()
    const first: number[] = []
    const all: number[] = []
    const fromSubmit: number[] = []
    const landing: number[] = []
    const outcomes = new Map<string, number>()
    let price = 2_000n * WAD
    for (let r = 0; r < reports; r++) {
      price = (price * 990n) / 1000n // -1% per report (the breaker allows 15% per 5 minutes)
      await nextSecond()
      const t0 = performance.now()
      await oracle.submitVaa(report(last, [{ marketId: ETH, price }, { marketId: USD, price: WAD }]))
      const tReport = performance.now()
      landing.push(tReport - t0)
      const recs = await keeper.followChains(tReport)
      for (const x of recs) outcomes.set(x.outcome, (outcomes.get(x.outcome) ?? 0) + 1)
      const sent = recs.filter((x) => x.outcome === 'submitted')
      if (sent.length) {
        first.push(Math.min(...sent.map((x) => x.latencyMs)))
        fromSubmit.push(Math.min(...sent.map((x) => x.latencyMs)) + (tReport - t0))
      }
      all.push(...sent.map((x) => x.latencyMs))
    }
    return {
      accountsTracked: keeper.stats.accountsTracked,
      setupSeconds: +setupSeconds.toFixed(1),
      reports,
      maxInFlightPerChain: inFlight,
      reportsWithLiquidations: first.length,
      liquidationsConfirmed: all.length,
      outcomes: Object.fromEntries(outcomes),
      reportSubmitToConfirmedMsP50: q(landing, 0.5),
      reportToFirstLiquidationConfirmedMsP50: q(first, 0.5),
      reportToFirstLiquidationConfirmedMsP99: q(first, 0.99),
      reportSubmitToFirstLiquidationConfirmedMsP50: q(fromSubmit, 0.5),
      reportToEveryLiquidationConfirmedMsP50: q(all, 0.5),
      reportToEveryLiquidationConfirmedMsP99: q(all, 0.99),
      load: { ...load, after: loadavg().map((x) => +x.toFixed(2)) },
      note: 'real program in litesvm behind the local RPC; latency = price report confirmed (submitVaa returned) -> liquidation tx confirmed (sendAndConfirm at confirmed); keeper follows the on-chain price (reads both markets), then liquidates deepest first',
    }
  } finally {
    for (const c of chains) await c.close()
    await program.stop()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = {
    when: new Date().toISOString(),
    node: process.version,
    cpus: (await import('node:os')).cpus().length,
    solana: await solanaHeld(Number(process.env['SOLANA_BENCH_ACCOUNTS'] ?? 200), Number(process.env['SOLANA_BENCH_REPORTS'] ?? 12), Number(process.env['SOLANA_BENCH_IN_FLIGHT'] ?? 4)),
  }
  mkdirSync(new URL('../bench-results/', import.meta.url), { recursive: true })
  writeFileSync(new URL('../bench-results/solana-latency.json', import.meta.url), `${JSON.stringify(result, null, 2)}\n`)
  const s = result.solana
  console.log(`Solana (program in litesvm via RPC), ${s.accountsTracked} accounts, ${s.reports} reports of -1%, ${s.maxInFlightPerChain} in flight: report confirmed -> first liquidation confirmed p50 ${s.reportToFirstLiquidationConfirmedMsP50} ms / p99 ${s.reportToFirstLiquidationConfirmedMsP99} ms; every liquidation p50 ${s.reportToEveryLiquidationConfirmedMsP50} ms / p99 ${s.reportToEveryLiquidationConfirmedMsP99} ms; ${s.liquidationsConfirmed} confirmed ${JSON.stringify(s.outcomes)}; report submit -> confirmed p50 ${s.reportSubmitToConfirmedMsP50} ms; load ${s.load.before.join('/')} -> ${s.load.after.join('/')}`)
  console.log('wrote bench-results/solana-latency.json')
}
