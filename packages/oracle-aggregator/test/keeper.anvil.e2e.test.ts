import { marginEngineAbi } from '@bulwark/contracts-evm'
import { addressOfPrivateKey, WAD, type Hex } from '@bulwark/core'
import { testGuardianKeys } from '@bulwark/core/testing'
import pino from 'pino'
import { pad, parseEventLogs } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EvmKeeperChain } from '../src/chains/evm-keeper-chain.js'
import { LiquidationKeeper, type LiquidationRecord } from '../src/services/keeper/keeper.js'
import type { KeeperConfig } from '../src/services/keeper/types.js'
import { ANVIL_KEY_1, ANVIL_KEY_2, bytes32, EvmStack } from './helpers/evm-stack.js'
import { OracleNetwork } from './helpers/oracle-network.js'
import { creditAndOpen, REMOTE, REMOTE_VAULT, traders as traderSet, USDC } from './helpers/traders.js'

const CHAIN = 10002
const ETH = 1
const USD = 100
const guardians = testGuardianKeys(4, 'oracle-aggregator-guardians')
const network = new OracleNetwork({ chain: CHAIN, address: pad('0x0a', { size: 32 }) }, [
  { marketId: ETH, name: 'ETH-USD', price: '2000' },
  { marketId: USD, name: 'USDC-USD', price: '1.0000' },
])
const keeperConfig: KeeperConfig = {
  assets: [{ originChain: REMOTE, asset: USDC, decimals: 6, weight: WAD, pendingWeight: WAD / 2n, priceMarketId: USD }],
  markets: [{ marketId: ETH, imf: WAD / 10n, mmf: WAD / 20n }],
  maxInFlightPerChain: 4, // one sender key per keeper: the adapter tracks its nonces locally
}
/** Traders: 1,000 USDC each, long ETH at 2,000 with these leverages (x10). */
const LEVERAGE = [20, 50, 80, 90, 95]
const { keys: traderKeys, accounts: traders } = traderSet(LEVERAGE.length)
let stack: EvmStack
let chainNow = 0

const engineRead = <T>(functionName: string, args: unknown[]) => stack.pub.readContract({ address: stack.deployment.contracts.engine, abi: marginEngineAbi, functionName, args } as never) as Promise<T>
const health = (a: Hex) => engineRead<{ health: bigint; mmReq: bigint }>('health', [a])
const liquidatable = async () => {
  const out = new Set<Hex>()
  for (const a of traders) {
    const h = await health(a)
    if (h.mmReq > 0n && h.health < WAD) out.add(a)
  }
  return out
}
async function liquidatedEvents(fromBlock: bigint) {
  if (fromBlock > (await stack.pub.getBlockNumber({ cacheTime: 0 }))) return []
  const logs = await stack.pub.getLogs({ address: stack.deployment.contracts.engine, fromBlock })
  return parseEventLogs({ abi: marginEngineAbi, logs, eventName: 'Liquidated' }).map((l) => ({ account: l.args.account.toLowerCase() as Hex, liquidator: l.args.liquidator }))
}
async function publish(price: string) {
  network.setPrice(ETH, price)
  chainNow = Math.max(chainNow + 1, await stack.now())
  // The report's block carries its publish time. (A report dated ahead of the chain's clock, which
  // PriceOracle accepts within maxFuture, makes priceFor panic (0x11, BreakerLib.tick computes
  // t - lastUpdate) until the clock catches up: a contracts-evm issue, avoided here.)
  await stack.setNextTimestamp(chainNow)
  const r = await network.round(chainNow)
  expect(r.leader && r.vaas.length).toBeTruthy()
}
function keeper(adapter: EvmKeeperChain) {
  return new LiquidationKeeper(keeperConfig, { chains: [adapter], logger: pino({ level: 'silent' }) })
}

beforeAll(async () => {
  stack = await EvmStack.start({
    chainId: CHAIN,
    guardians: guardians.map((g) => addressOfPrivateKey(g.privateKey)),
    oracleSigners: network.signers,
    oracleEmitter: network.emitter,
    priceMarkets: [ETH, USD],
    markets: [{ id: ETH, imf: WAD / 10n, mmf: WAD / 20n, feeRate: WAD / 2000n }],
    assets: [{ chain: REMOTE, token: USDC, priceMarket: USD, weight: WAD, pendingWeight: WAD / 2n, decimals: 6, govPriceE8: 10n ** 8n }],
    remoteVaults: [{ chain: REMOTE, address: REMOTE_VAULT, limitUsd: 10n ** 9n, largeTransferUsd: 10n ** 8n }],
  })
  await network.start(() => [stack.adapter()])
  await publish('2000')
  await creditAndOpen(stack, { guardians, keys: traderKeys, leverageX10: LEVERAGE, usdc: 1_000n, market: ETH, price: 2_000n })
}, 120_000)
afterAll(async () => {
  await network.stop()
  await stack?.stop()
})

describe('keeper on anvil: real MarginEngine, accounts credited by VAAs, prices by the oracle quorum', () => {
  let keeperA: LiquidationKeeper
  let keeperB: LiquidationKeeper

  it('indexes the engine-held accounts from MarginEngine events, starting from the on-chain prices', async () => {
    keeperA = keeper(stack.adapter(ANVIL_KEY_1, 'keeper-a'))
    keeperB = keeper(stack.adapter(ANVIL_KEY_2, 'keeper-b'))
    expect(await keeperA.followChains()).toEqual([]) // starts; nobody is liquidatable at 2,000
    expect(await keeperB.followChains()).toEqual([])
    expect(keeperA.stats.accountsTracked).toBe(traders.length)
    expect((await liquidatable()).size).toBe(0)
  })

  it('a falling price published by the quorum: the keeper liquidates exactly the accounts the engine holds liquidatable, and is rewarded', async () => {
    await publish('1860') // -7%
    const due = await liquidatable()
    expect(due.size).toBeGreaterThan(0)
    const from = await stack.pub.getBlockNumber({ cacheTime: 0 })
    const t = performance.now()
    const recs = await keeperA.followChains(t)
    expect(new Set(recs.filter((r) => r.outcome === 'submitted').map((r) => r.account))).toEqual(due)
    expect(keeperA.stats.failed).toBe(0)
    const events = await liquidatedEvents(from + 1n)
    expect(new Set(events.map((e) => e.account))).toEqual(due)
    expect(events.every((e) => e.liquidator.toLowerCase() === privateKeyToAccount(ANVIL_KEY_1).address.toLowerCase())).toBe(true)
    expect(await engineRead<bigint>('settlement', [bytes32(privateKeyToAccount(ANVIL_KEY_1).address)])).toBeGreaterThan(0n)
    expect((await liquidatable()).size).toBe(0)
    const ms = recs.map((r) => r.latencyMs.toFixed(1)).join(', ')
    console.log(`on-chain report -> liquidation tx mined (automine, ${recs.length} txs): ${ms} ms`)
  })

  it('two keepers racing: each liquidation lands once; the loser counts a lost race, not an error', async () => {
    await keeperA.poll()
    await keeperB.poll()
    await publish('1790')
    const due = await liquidatable()
    expect(due.size).toBeGreaterThan(0)
    const from = await stack.pub.getBlockNumber({ cacheTime: 0 })
    const [ra, rb] = await Promise.all([keeperA.followChains(), keeperB.followChains()])
    const all: LiquidationRecord[] = [...ra, ...rb]
    const events = await liquidatedEvents(from + 1n)
    // every submission is one Liquidated event on the engine, and nothing else landed
    expect(all.filter((r) => r.outcome === 'submitted').length).toBe(events.length)
    expect(new Set(events.map((e) => e.account))).toEqual(due)
    expect(all.filter((r) => r.outcome === 'lost').length).toBeGreaterThan(0)
    expect(keeperA.stats.failed + keeperB.stats.failed).toBe(0)
    expect((await liquidatable()).size).toBe(0)
  })
})
