/**
 * Performance benchmark (numbers, not assertions). Writes bench-results/perf.json.
 *  1. aggregation of 31 sources (core aggregatePrices, and the full MarketAggregator.update)
 *  2. price report -> liquidation transaction submitted, on anvil, with 100,000 indexed accounts:
 *     a quorum-signed PriceReport is submitted to the real PriceOracle (contracts-evm artifact);
 *     from its mined receipt the keeper reads PriceUpdated, ticks core's LiquidationIndex and
 *     sends MarginEngine.liquidate(account) transactions (real txs on anvil; the synthetic accounts
 *     are not on the engine, so those txs revert when mined — the latency is to submission).
 *  3. memory of the keeper's index with 1,000,000 accounts (child process, --expose-gc).
 */
import { aggregatePrices, buildSignedVaa, encodePayload, addressOfPrivateKey, WAD, type Hex, type SourceReport } from '@bulwark/core'
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import pino from 'pino'
import { createWalletClient, decodeEventLog, http, type Abi, type Address } from 'viem'
import { privateKeyToAccount, nonceManager } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { MarketAggregator } from '../src/services/aggregation/market-aggregator.js'
import { LiquidationKeeper } from '../src/services/keeper/keeper.js'
import { startAnvil } from '../test/helpers/anvil.js'
import { DEV_KEY, EvmPriceOracleTarget, havePriceOracle, PRICE_ORACLE_ARTIFACT } from '../test/helpers/evm-price-oracle.js'
import { ASSETS, MARKETS, START, SyntheticChain } from './synthetic-chain.js'

const q = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return +s[Math.min(s.length - 1, Math.floor(p * s.length))]!.toFixed(3)
}

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

async function reportToLiquidation(accounts: number, reports: number) {
  if (!havePriceOracle) return { skipped: `no ${PRICE_ORACLE_ARTIFACT} (build packages/contracts-evm first)` }
  const engineArtifact = PRICE_ORACLE_ARTIFACT.replace('PriceOracle.sol/PriceOracle.json', 'MarginEngine.sol/MarginEngine.json')
  // interval mining (1 s blocks) like a live chain: a transaction is "submitted" when the node accepts it into its pool
  const anvil = await startAnvil(['--block-time', '1'])
  try {
    const keys = [1, 2, 3, 4].map((i) => new Uint8Array(32).fill(i + 60))
    const signers = keys.map(addressOfPrivateKey)
    const emitter = { chain: 10002, address: `0x${'00'.repeat(31)}0d` as Hex }
    const oracle = await EvmPriceOracleTarget.deploy(anvil.rpcUrl, 10002, signers, emitter, [1, 2, 3, 100])
    const account = privateKeyToAccount(DEV_KEY, { nonceManager })
    const wallet = createWalletClient({ account, chain: foundry, transport: http(anvil.rpcUrl) })
    const eng = JSON.parse(readFileSync(engineArtifact, 'utf8')) as { abi: Abi; bytecode: { object: Hex } }
    const vc = { chainId: 10002, governanceChain: 1, governanceEmitter: `0x${'00'.repeat(31)}04`, guardianSetOverlap: 0, guardians: signers }
    const engineHash = await wallet.deployContract({ abi: eng.abi, bytecode: eng.bytecode.object, args: [vc, oracle.address, account.address, 0] })
    const engine = (await oracle.client.waitForTransactionReceipt({ hash: engineHash })).contractAddress as Address
    const gasPrice = 2_000_000_000n
    const send = async (acct: Hex) => ({ txHash: await wallet.writeContract({ address: engine, abi: eng.abi, functionName: 'liquidate', args: [acct], gas: 500_000n, maxFeePerGas: gasPrice, maxPriorityFeePerGas: 1n }) })
    const chain = new SyntheticChain(accounts, send)
    const keeper = new LiquidationKeeper({ assets: ASSETS, markets: MARKETS, capacity: accounts, collateralSlots: 2, positionSlots: 3 }, { chains: [chain], logger: pino({ level: 'silent' }) })
    const t = performance.now()
    await keeper.start(START)
    const indexSeconds = (performance.now() - t) / 1000
    const atStart = (await keeper.sweep()).length // accounts already below 1 at the start price (not timed)
    const first: number[] = []
    const all: number[] = []
    const landing: number[] = []
    let liquidations = 0
    let price = 30_000n * WAD
    let lastPublish = 0
    for (let r = 0; r < reports; r++) {
      price = (price * 997n) / 1000n // -0.3% per report
      const publishTime = Math.max(Number((await oracle.client.getBlock()).timestamp), lastPublish) + 1
      lastPublish = publishTime
      // anvil control (outside the measured interval): the report's block carries its publish time
      await oracle.client.request({ method: 'evm_setNextBlockTimestamp' as never, params: [publishTime] as never })
      const prices = [{ marketId: 1, price, conf: 10n ** 18n, emaPrice: price, volMultiplier: WAD }, ...[2, 3, 100].map((m) => ({ marketId: m, price: START.get(m)!.price, conf: 0n, emaPrice: START.get(m)!.price, volMultiplier: WAD }))]
      const payload = encodePayload({ type: 'PriceReport', publishTime: BigInt(publishTime), prices })
      const vaa = buildSignedVaa({ timestamp: publishTime, nonce: 0, emitterChain: emitter.chain, emitterAddress: emitter.address, sequence: BigInt(publishTime), consistencyLevel: 200, payload }, 0, keys.slice(0, 3).map((privateKey, index) => ({ index, privateKey })))
      const t0 = performance.now()
      const { txHash } = await oracle.submitVaa(vaa)
      const receipt = await oracle.client.getTransactionReceipt({ hash: txHash })
      const tReport = performance.now()
      landing.push(tReport - t0)
      // the keeper learns the new price from the PriceUpdated event of the mined report
      const updates = receipt.logs.map((l) => { try { return decodeEventLog({ abi: oracle.abi, data: l.data, topics: l.topics }) } catch { return null } }).filter((e) => e?.eventName === 'PriceUpdated')
      const recs = []
      for (const u of updates) {
        const a = u!.args as unknown as { marketId: number; price: bigint; volMultiplier: bigint }
        recs.push(...(await keeper.onPrice(a.marketId, a.price, a.volMultiplier, tReport)))
      }
      const sent = recs.filter((x) => x.outcome === 'submitted')
      liquidations += sent.length
      if (sent.length) {
        first.push(Math.min(...sent.map((x) => x.latencyMs)))
        all.push(...sent.map((x) => x.latencyMs))
      }
    }
    return {
      accountsIndexed: keeper.stats.accountsTracked,
      liquidatedAtStartUntimed: atStart,
      indexBuildSeconds: +indexSeconds.toFixed(2),
      reports,
      reportsWithLiquidations: first.length,
      liquidationTxsSubmitted: liquidations,
      reportSubmitAndMineMsP50: q(landing, 0.5),
      reportToFirstLiquidationTxMsP50: first.length ? q(first, 0.5) : null,
      reportToFirstLiquidationTxMsP99: first.length ? q(first, 0.99) : null,
      reportToEveryLiquidationTxMsP50: all.length ? q(all, 0.5) : null,
      reportToEveryLiquidationTxMsP99: all.length ? q(all, 0.99) : null,
      note: 'latency = PriceReport receipt in hand -> liquidation tx hash returned by anvil; includes decoding the PriceUpdated log, the index tick and eth_sendRawTransaction',
    }
  } finally {
    await anvil.stop()
  }
}

function memory(n: number) {
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', new URL('./memory.ts', import.meta.url).pathname, String(n)], { encoding: 'utf8', maxBuffer: 1 << 20 })
  return JSON.parse(out.trim().split('\n').pop()!) as Record<string, number>
}

const quick = process.argv.includes('--quick')
const result = {
  when: new Date().toISOString(),
  node: process.version,
  aggregation: aggregation(),
  reportToLiquidation: await reportToLiquidation(quick ? 10_000 : Number(process.env['PERF_ACCOUNTS'] ?? 100_000), quick ? 10 : Number(process.env['PERF_REPORTS'] ?? 30)),
  memory: memory(quick ? 100_000 : 1_000_000),
  targets: { aggregationMicros: 1000, reportToLiquidationMsP50: 100, memoryMBAt1M: 300 },
}
mkdirSync(new URL('../bench-results/', import.meta.url), { recursive: true })
writeFileSync(new URL(`../bench-results/perf${quick ? '-quick' : ''}.json`, import.meta.url), `${JSON.stringify(result, null, 2)}\n`)
const r = result.reportToLiquidation as Record<string, unknown>
console.log(`aggregation of 31 sources: aggregatePrices ${result.aggregation.aggregatePricesMicrosMedian} us, full market update ${result.aggregation.marketAggregatorUpdateMicrosMedian} us (target < 1000 us)`)
console.log(r['skipped'] ? `report -> liquidation: skipped (${r['skipped']})` : `report -> liquidation tx on anvil, ${r['accountsIndexed']} accounts: first tx p50 ${r['reportToFirstLiquidationTxMsP50']} ms, p99 ${r['reportToFirstLiquidationTxMsP99']} ms; every tx p50 ${r['reportToEveryLiquidationTxMsP50']} ms, p99 ${r['reportToEveryLiquidationTxMsP99']} ms; ${r['liquidationTxsSubmitted']} txs over ${r['reports']} reports (target p50 < 100 ms)`)
console.log(`memory, ${result.memory['accounts']} accounts indexed: heap+external ${result.memory['indexMB']} MB (rss ${result.memory['rssMB']} MB) (target < 300 MB)`)
console.log(`wrote bench-results/perf${quick ? '-quick' : ''}.json`)
