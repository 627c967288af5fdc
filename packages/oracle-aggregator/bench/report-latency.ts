/**
 * Price report -> liquidation transaction, on anvil with the real contracts (deployBulwark, no
 * forge build). Two set-ups:
 *  - synthetic(): 100,000 accounts indexed from a synthetic chain; reports go through the real
 *    PriceOracle (1 s blocks); liquidation txs are real MarginEngine.liquidate transactions sent
 *    to the pool, but those accounts are not on the engine, so they revert when mined.
 *  - engineHeld(): accounts really held by the MarginEngine (credited by guardian-signed VAAs,
 *    positions opened by their own keys), indexed from MarginEngine events through EvmKeeperChain,
 *    falling reports signed by the oracle quorum; every liquidation lands (automine: the latency
 *    includes mining the liquidation).
 */
import { deployBulwark, EvmChainAdapter, marginEngineAbi, priceOracleAbi, startAnvil } from '@bulwark/contracts-evm'
import { addressOfPrivateKey, buildSignedVaa, encodePayload, WAD, type GuardianKey, type Hex } from '@bulwark/core'
import { testGuardianKeys } from '@bulwark/core/testing'
import pino from 'pino'
import { createPublicClient, createWalletClient, http, pad, parseEventLogs, type PublicClient } from 'viem'
import { nonceManager, privateKeyToAccount } from 'viem/accounts'
import { LiquidationKeeper, type LiquidationRecord } from '../src/services/keeper/keeper.js'
import { ANVIL_KEY_1, DEV_KEY, EvmStack } from '../test/helpers/evm-stack.js'
import { creditAndOpen, REMOTE, REMOTE_VAULT, traders, USDC } from '../test/helpers/traders.js'
import { q } from './quantile.js'
import { ASSETS, MARKETS, START, SyntheticChain } from './synthetic-chain.js'

const oracleKeys: GuardianKey[] = testGuardianKeys(4, 'bench-oracle')
const emitter = { chain: 10002, address: pad('0x0d', { size: 32 }) as Hex }
const report = (publishTime: number, prices: { marketId: number; price: bigint }[]) =>
  buildSignedVaa(
    { timestamp: publishTime, nonce: 0, emitterChain: emitter.chain, emitterAddress: emitter.address, sequence: BigInt(publishTime), consistencyLevel: 200, payload: encodePayload({ type: 'PriceReport', publishTime: BigInt(publishTime), prices: prices.map((p) => ({ ...p, conf: 0n, emaPrice: p.price, volMultiplier: WAD })) }) },
    0,
    oracleKeys.slice(0, 3),
  )

function summary(first: number[], all: number[], landing: number[], extra: Record<string, unknown>) {
  return {
    ...extra,
    reportSubmitAndMineMsP50: q(landing, 0.5),
    reportToFirstLiquidationTxMsP50: q(first, 0.5),
    reportToFirstLiquidationTxMsP99: q(first, 0.99),
    reportToEveryLiquidationTxMsP50: q(all, 0.5),
    reportToEveryLiquidationTxMsP99: q(all, 0.99),
  }
}

export async function synthetic(accounts: number, reports: number) {
  const anvil = await startAnvil({ blockTime: 1 })
  try {
    const d = await deployBulwark({ rpcUrl: anvil.url, guardians: oracleKeys.map((k) => addressOfPrivateKey(k.privateKey)), oracleEmitter: emitter, priceMarkets: [1, 2, 3, 100], markets: MARKETS.map((m) => ({ id: m.marketId, imf: m.imf, mmf: m.mmf, feeRate: 0n })) })
    const oracle = new EvmChainAdapter({ deployment: d })
    const pub = createPublicClient({ transport: http(anvil.url), pollingInterval: 50 }) as PublicClient
    const wallet = createWalletClient({ account: privateKeyToAccount(ANVIL_KEY_1, { nonceManager }), chain: { id: d.evmChainId, name: 'anvil', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [anvil.url] } } }, transport: http(anvil.url) })
    const send = async (acct: Hex) => ({ txHash: await wallet.writeContract({ address: d.contracts.engine, abi: marginEngineAbi, functionName: 'liquidate', args: [acct], gas: 500_000n, maxFeePerGas: 2_000_000_000n, maxPriorityFeePerGas: 1n }) })
    const keeper = new LiquidationKeeper({ assets: ASSETS, markets: MARKETS, capacity: accounts, collateralSlots: 2, positionSlots: 3 }, { chains: [new SyntheticChain(accounts, send)], logger: pino({ level: 'silent' }) })
    const t = performance.now()
    await keeper.start(START)
    const indexSeconds = (performance.now() - t) / 1000
    const atStart = (await keeper.sweep()).length
    const first: number[] = []
    const all: number[] = []
    const landing: number[] = []
    let price = 30_000n * WAD
    let last = 0
    for (let r = 0; r < reports; r++) {
      price = (price * 997n) / 1000n // -0.3% per report
      const publishTime = Math.max(Number((await pub.getBlock()).timestamp), last) + 1
      last = publishTime
      await pub.request({ method: 'evm_setNextBlockTimestamp' as never, params: [publishTime] as never }) // the report's block carries its publish time
      const vaa = report(publishTime, [{ marketId: 1, price }, ...[2, 3, 100].map((m) => ({ marketId: m, price: START.get(m)!.price }))])
      const t0 = performance.now()
      const { txHash } = await oracle.submitVaa(vaa)
      const receipt = await pub.getTransactionReceipt({ hash: txHash })
      const tReport = performance.now()
      landing.push(tReport - t0)
      const recs: LiquidationRecord[] = []
      for (const u of parseEventLogs({ abi: priceOracleAbi, logs: receipt.logs, eventName: 'PriceUpdated' })) {
        const a = u.args as unknown as { marketId: number; price: bigint; volMultiplier: bigint }
        recs.push(...(await keeper.onPrice(a.marketId, a.price, a.volMultiplier, tReport)))
      }
      const sent = recs.filter((x) => x.outcome === 'submitted')
      if (sent.length) first.push(Math.min(...sent.map((x) => x.latencyMs)))
      all.push(...sent.map((x) => x.latencyMs))
    }
    return summary(first, all, landing, { accountsIndexed: keeper.stats.accountsTracked, liquidatedAtStartUntimed: atStart, indexBuildSeconds: +indexSeconds.toFixed(2), reports, reportsWithLiquidations: first.length, liquidationTxsSubmitted: all.length, note: 'synthetic accounts (not on the engine: txs revert when mined); latency = report receipt in hand -> liquidation tx hash returned by anvil (submitted, 1 s blocks)' })
  } finally {
    await anvil.stop()
  }
}

export async function engineHeld(n: number, reports: number, inFlight = 4) {
  const guardians = testGuardianKeys(4, 'bench-guardians')
  const stack = await EvmStack.start({
    guardians: guardians.map((g) => addressOfPrivateKey(g.privateKey)),
    oracleSigners: oracleKeys.map((k) => addressOfPrivateKey(k.privateKey)),
    oracleEmitter: emitter,
    priceMarkets: [1, 100],
    markets: [{ id: 1, imf: WAD / 10n, mmf: WAD / 20n, feeRate: WAD / 2000n }],
    assets: [{ chain: REMOTE, token: USDC, priceMarket: 100, weight: WAD, pendingWeight: WAD / 2n, decimals: 6, govPriceE8: 10n ** 8n }],
    remoteVaults: [{ chain: REMOTE, address: REMOTE_VAULT, limitUsd: 10n ** 12n, largeTransferUsd: 10n ** 11n }],
  })
  try {
    const evm = stack.adapter(DEV_KEY)
    let t = await stack.now()
    // reports a minute apart in chain time: a 1% step per report stays inside the breaker's 15% per 5 minutes
    const publish = async (price: bigint) => {
      t = Math.max(t + 60, await stack.now())
      await stack.mineAt(t - 1) // the report's simulation (eth_call at latest) sees the chain a second before it
      await stack.setNextTimestamp(t)
      return evm.submitVaa(report(t, [{ marketId: 1, price }, { marketId: 100, price: WAD }]))
    }
    const set = traders(n, 0x20000)
    const setup = performance.now()
    for (let i = 0; i < n; i += 40) {
      await publish(2_000n * WAD) // a heartbeat between batches: the breaker halts after maxOracleGap (120 s) without a report
      const keys = set.keys.slice(i, i + 40)
      await creditAndOpen(stack, { guardians, keys, leverageX10: keys.map((_, k) => 20 + (((i + k) * 37) % 76)), usdc: 1_000n, market: 1, price: 2_000n }) // 2x..9.5x
    }
    const setupSeconds = (performance.now() - setup) / 1000
    const keeper = new LiquidationKeeper({ assets: [{ originChain: REMOTE, asset: USDC, decimals: 6, weight: WAD, pendingWeight: WAD / 2n, priceMarketId: 100 }], markets: [{ marketId: 1, imf: WAD / 10n, mmf: WAD / 20n }], maxInFlightPerChain: inFlight }, { chains: [stack.adapter(ANVIL_KEY_1)], logger: pino({ level: process.env['BENCH_LOG'] ?? 'silent' }) })
    await keeper.followChains()
    const first: number[] = []
    const all: number[] = []
    const landing: number[] = []
    const failures = new Map<string, number>()
    let price = 2_000n * WAD
    for (let r = 0; r < reports; r++) {
      price = (price * 990n) / 1000n // -1% per report
      const t0 = performance.now()
      await publish(price)
      const tReport = performance.now()
      landing.push(tReport - t0)
      const recs = await keeper.followChains(tReport)
      for (const x of recs) if (x.outcome !== 'submitted') failures.set(`${x.outcome}: ${(x.reason ?? '').split('\n').slice(0, 2).join(' ').slice(0, 200)}`, (failures.get(`${x.outcome}: ${(x.reason ?? '').split('\n').slice(0, 2).join(' ').slice(0, 200)}`) ?? 0) + 1)
      const sent = recs.filter((x) => x.outcome === 'submitted')
      if (sent.length) first.push(Math.min(...sent.map((x) => x.latencyMs)))
      all.push(...sent.map((x) => x.latencyMs))
    }
    return summary(first, all, landing, { maxInFlightPerChain: inFlight, engineAccounts: keeper.stats.accountsTracked, setupSeconds: +setupSeconds.toFixed(1), reports, reportsWithLiquidations: first.length, liquidationsLanded: all.length, lost: keeper.stats.lost, failed: keeper.stats.failed, notSubmitted: Object.fromEntries(failures), note: 'accounts held by the real MarginEngine; latency = report receipt in hand -> liquidation tx mined (automine; EvmKeeperChain waits for the receipt, polled every 100 ms), up to maxInFlightPerChain in flight per keeper key (nonces tracked locally by EvmChainAdapter); reports 60 s apart in chain time' })
  } finally {
    await stack.stop()
  }
}
