import { evaluateAccount, isLiquidatable, WAD, type AccountSnapshot, type Hex } from '@bulwark/core'
import pino from 'pino'
import { describe, expect, it } from 'vitest'
import { CoreChain } from '../../../test/helpers/core-chain.js'
import { LiquidationKeeper, ranges } from './keeper.js'
import type { KeeperAsset, KeeperConfig, KeeperMarket } from './types.js'

const logger = pino({ level: 'silent' })
const USDC: Hex = `0x${'00'.repeat(12)}${'a0'.repeat(20)}`
const assets: KeeperAsset[] = [{ originChain: 10002, asset: USDC, decimals: 6, weight: WAD, priceMarketId: 100 }]
const markets: KeeperMarket[] = [
  { marketId: 1, imf: WAD / 10n, mmf: WAD / 20n }, // BTC
  { marketId: 2, imf: WAD / 10n, mmf: WAD / 20n }, // ETH
  { marketId: 3, imf: WAD / 5n, mmf: WAD / 10n }, // SOL, nobody holds it
]
const config: KeeperConfig = { assets, markets, capacity: 16 }
const acct = (chain: number, i: number): Hex => `0x${chain.toString(16).padStart(8, '0')}${i.toString(16).padStart(56, '0')}`

/** Accounts with USDC collateral and a BTC and/or ETH position at leverages spread 1x..19x. */
function populate(chain: CoreChain, n: number, seed: number): void {
  for (let i = 0; i < n; i++) {
    const lev = BigInt(1 + ((i * 7 + seed) % 12))
    const usd = 10_000n
    const long = (i + seed) % 2 === 0
    const positions = [{ marketId: 1, size: ((long ? 1n : -1n) * lev * usd * WAD) / 30_000n, entryPrice: 30_000n * WAD }]
    if (i % 3 === 0) positions.push({ marketId: 2, size: (lev * usd * WAD) / 2_000n / 2n, entryPrice: 2_000n * WAD })
    const s: AccountSnapshot = { account: acct(chain.chainId, i), settlement: 0n, collateral: [{ originChain: 10002, asset: USDC, amount: usd * 10n ** 6n, pending: false }], positions }
    chain.put(s)
  }
}

function setAll(chains: CoreChain[], marketId: number, price: bigint, mult = WAD) {
  for (const c of chains) c.setPrice(marketId, price, mult)
}
function bruteForce(chains: CoreChain[]): Set<string> {
  const out = new Set<string>()
  for (const c of chains) for (const s of c.accounts.values()) if (isLiquidatable(evaluateAccount(c.toAccount(s), c.context()))) out.add(`${c.chainId}:${s.account}`)
  return out
}
async function world(n = 200) {
  const chains = [new CoreChain(10002, assets, markets), new CoreChain(10003, assets, markets)]
  const prices = startPrices(chains)
  populate(chains[0]!, n, 0)
  populate(chains[1]!, n, 5)
  return { chains, prices }
}
/** Sets the starting prices on `chains` and returns them as the keeper's start map. */
function startPrices(chains: CoreChain[]) {
  const prices = new Map([[100, { price: WAD }], [1, { price: 30_000n * WAD, volMultiplier: WAD }], [2, { price: 2_000n * WAD, volMultiplier: WAD }], [3, { price: 150n * WAD, volMultiplier: WAD }]])
  for (const [id, p] of prices) setAll(chains, id, p.price)
  return prices
}

describe('liquidation keeper', () => {
  it('indexes every account on every chain and liquidates exactly the ones core says are liquidatable, on their own chain', async () => {
    const { chains, prices } = await world()
    const keeper = new LiquidationKeeper(config, { chains, logger })
    await keeper.start(prices)
    expect(keeper.stats.accountsTracked).toBe(400)
    expect(bruteForce(chains).size).toBe(0)
    setAll(chains, 1, 28_500n * WAD) // -5%
    const expected = bruteForce(chains)
    expect(expected.size).toBeGreaterThan(10)
    const recs = await keeper.onPrice(1, 28_500n * WAD, WAD)
    expect(new Set(recs.map((r) => `${r.chainId}:${r.account}`))).toEqual(expected)
    expect(recs.every((r) => r.outcome === 'submitted' && r.txHash)).toBe(true)
    for (const c of chains) for (const a of c.liquidations) expect(a.startsWith(`0x${c.chainId.toString(16).padStart(8, '0')}`)).toBe(true)
    expect(keeper.stats.reevaluated).toBeLessThan(400) // only the accounts the move could affect
    expect(bruteForce(chains).size).toBe(0) // nothing left behind
  })

  it('a move on a market nobody holds re-evaluates nobody; a small move re-evaluates only accounts near their threshold', async () => {
    const { chains, prices } = await world()
    const keeper = new LiquidationKeeper(config, { chains, logger })
    await keeper.start(prices)
    setAll(chains, 3, 140n * WAD)
    expect(await keeper.onPrice(3, 140n * WAD, WAD)).toEqual([])
    expect(keeper.stats.reevaluated).toBe(0)
    setAll(chains, 1, 30_030n * WAD) // +0.1%
    expect(await keeper.onPrice(1, 30_030n * WAD, WAD)).toEqual([])
    expect(keeper.stats.reevaluated).toBeLessThan(40) // of 400 accounts, all holding BTC
  })

  it('two keepers racing: each account is liquidated once; the loser counts it as lost, not failed', async () => {
    const { chains, prices } = await world()
    const a = new LiquidationKeeper(config, { chains, logger })
    const b = new LiquidationKeeper(config, { chains, logger })
    await a.start(prices)
    await b.start(prices)
    for (const c of chains) c.latencyMs = 3 // both keepers' transactions are in flight at once
    setAll(chains, 1, 28_500n * WAD)
    const expected = bruteForce(chains)
    const [ra, rb] = await Promise.all([a.onPrice(1, 28_500n * WAD, WAD), b.onPrice(1, 28_500n * WAD, WAD)])
    const all = [...ra, ...rb]
    expect(all.filter((r) => r.outcome === 'submitted').length + all.filter((r) => r.outcome === 'lost').length).toBe(all.length)
    expect(new Set(all.filter((r) => r.outcome === 'submitted').map((r) => `${r.chainId}:${r.account}`))).toEqual(expected)
    expect(all.filter((r) => r.outcome === 'lost').length).toBeGreaterThan(0)
    expect(a.stats.failed + b.stats.failed).toBe(0)
    expect(bruteForce(chains).size).toBe(0)
  })

  it('a rise of the volatility multiplier alone makes over-leveraged accounts liquidatable', async () => {
    const { chains, prices } = await world()
    const keeper = new LiquidationKeeper(config, { chains, logger })
    await keeper.start(prices)
    const rebuildsBefore = keeper.stats.rebuilds
    setAll(chains, 1, 30_000n * WAD, 3n * WAD)
    const expected = bruteForce(chains)
    expect(expected.size).toBeGreaterThan(0)
    const recs = await keeper.onPrice(1, 30_000n * WAD, 3n * WAD)
    expect(new Set(recs.map((r) => `${r.chainId}:${r.account}`))).toEqual(expected)
    expect(keeper.stats.rebuilds - rebuildsBefore).toBe(0) // core's onMultiplier re-arms the market's accounts: no rebuild
  })

  it('a multiplier that falls back releases accounts it had made liquidatable (core onMultiplier), without a rebuild', async () => {
    const { chains, prices } = await world()
    const keeper = new LiquidationKeeper(config, { chains, logger })
    await keeper.start(prices)
    const rebuilds = keeper.stats.rebuilds // the index grew while indexing
    for (const c of chains) c.halted.add(1) // refused: they stay due
    setAll(chains, 1, 30_000n * WAD, 3n * WAD)
    await keeper.onPrice(1, 30_000n * WAD, 3n * WAD)
    expect(keeper.index.liquidatable.size).toBe(bruteForce(chains).size)
    expect(keeper.index.liquidatable.size).toBeGreaterThan(0)
    setAll(chains, 1, 30_000n * WAD, WAD)
    await keeper.onPrice(1, 30_000n * WAD, WAD)
    expect(bruteForce(chains).size).toBe(0)
    expect(keeper.index.liquidatable.size).toBe(0)
    expect(keeper.stats.rebuilds).toBe(rebuilds)
  })

  it('a halted market refuses liquidations (MarketHalted): retried on the next tick once it resumes', async () => {
    const { chains, prices } = await world()
    const keeper = new LiquidationKeeper(config, { chains, logger })
    await keeper.start(prices)
    for (const c of chains) c.halted.add(1)
    setAll(chains, 1, 28_500n * WAD)
    const first = await keeper.onPrice(1, 28_500n * WAD, WAD)
    expect(first.length).toBeGreaterThan(0)
    expect(first.every((r) => r.outcome === 'refused' && r.reason === 'MarketHalted')).toBe(true)
    for (const c of chains) c.halted.clear()
    setAll(chains, 1, 28_499n * WAD)
    const expected = bruteForce(chains)
    const second = await keeper.onPrice(1, 28_499n * WAD, WAD)
    expect(new Set(second.filter((r) => r.outcome === 'submitted').map((r) => `${r.chainId}:${r.account}`))).toEqual(expected)
  })

  it('accounts opened after start arrive through events, grow the index and are watched', async () => {
    const { chains, prices } = await world(10)
    const keeper = new LiquidationKeeper(config, { chains, logger })
    await keeper.start(prices)
    populate(chains[0]!, 0, 0)
    for (let i = 100; i < 130; i++) {
      chains[0]!.put({ account: acct(10002, i), settlement: 0n, collateral: [{ originChain: 10002, asset: USDC, amount: 1_000n * 10n ** 6n, pending: false }], positions: [{ marketId: 2, size: 9n * WAD, entryPrice: 2_000n * WAD }] })
    }
    expect(await keeper.poll()).toBe(30)
    expect(keeper.stats.accountsTracked).toBe(50)
    setAll(chains, 2, 1_900n * WAD)
    const expected = bruteForce(chains)
    const recs = await keeper.onPrice(2, 1_900n * WAD, WAD)
    expect(new Set(recs.map((r) => `${r.chainId}:${r.account}`))).toEqual(expected)
    expect(expected.has(`10002:${acct(10002, 100)}`)).toBe(true)
    expect(bruteForce(chains).size).toBe(0)
  })

  it("indexes only up to the chain's accountChangesFinality: events in later blocks are read on a later poll, none lost", async () => {
    /** A chain whose account events are complete only `lag` blocks behind the head (as Solana's confirmed vs processed). */
    class LaggingChain extends CoreChain {
      readonly accountChangesFinality = 'safe' as const
      lag = 0n
      override async getHeight(f: Parameters<CoreChain['getHeight']>[0]): Promise<bigint> {
        return f === 'safe' ? this.height - this.lag : this.height
      }
    }
    const chain = new LaggingChain(10002, assets, markets)
    const prices = startPrices([chain])
    populate(chain, 10, 0)
    const keeper = new LiquidationKeeper(config, { chains: [chain], logger })
    await keeper.start(prices)
    expect(keeper.stats.accountsTracked).toBe(10)
    chain.lag = 2n
    populate(chain, 14, 0) // accounts 10..13 are new, in the last 4 blocks
    expect(await keeper.poll()).toBe(12) // up to head - 2: the 10 re-put + accounts 10 and 11
    expect(keeper.stats.accountsTracked).toBe(12)
    chain.lag = 0n
    await keeper.poll()
    expect(keeper.stats.accountsTracked).toBe(14)
  })
})

describe('account-change ranges', () => {
  it('splits a range into calls of at most accountChangesRange heights, or one call when unbounded', () => {
    expect([...ranges({ accountChangesRange: 10n }, 0n, 25n)]).toEqual([[0n, 9n], [10n, 19n], [20n, 25n]])
    expect([...ranges({ accountChangesRange: 10n }, 5n, 5n)]).toEqual([[5n, 5n]])
    expect([...ranges({}, 3n, 1_000_000n)]).toEqual([[3n, 1_000_000n]])
    expect(() => [...ranges({ accountChangesRange: 0n }, 0n, 1n)]).toThrow(/accountChangesRange/)
  })

  it('starts and polls through bounded calls, reading each account once at start and every changed one after', async () => {
    class Capped extends CoreChain {
      readonly accountChangesRange = 7n
      readonly calls: [bigint, bigint][] = []
      reads = 0
      override async getAccountChanges(from: bigint, to: bigint): Promise<Hex[]> {
        this.calls.push([from, to])
        return super.getAccountChanges(from, to)
      }
      override async readAccount(account: Hex): Promise<AccountSnapshot> {
        this.reads++
        return super.readAccount(account)
      }
    }
    const chain = new Capped(10002, assets, markets)
    const prices = startPrices([chain])
    populate(chain, 40, 0)
    const first = chain.accounts.values().next().value!
    chain.put({ ...first }) // a second event for account 0, in a later range
    const keeper = new LiquidationKeeper(config, { chains: [chain], logger })
    await keeper.start(prices)
    expect(keeper.stats.accountsTracked).toBe(40)
    expect(chain.reads).toBe(40)
    expect(chain.calls.length).toBeGreaterThan(5)
    for (const [a, b] of chain.calls) expect(b - a).toBeLessThan(7n)
    expect(chain.calls.map(([a]) => a)).toEqual(chain.calls.map((_, i) => 7n * BigInt(i)))
    populate(chain, 60, 0) // 20 new accounts and 40 changed ones, in about 60 heights
    chain.calls.length = 0
    expect(await keeper.poll()).toBe(60)
    expect(keeper.stats.accountsTracked).toBe(60)
    for (const [a, b] of chain.calls) expect(b - a).toBeLessThan(7n)
  })
})
