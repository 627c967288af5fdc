import { WAD, type AccountSnapshot, type Hex, type SubmitResult } from '@bulwark/core'
import { CoreChain } from '../test/helpers/core-chain.js'
import type { KeeperAsset, KeeperMarket } from '../src/services/keeper/types.js'

export const USDC: Hex = `0x${'00'.repeat(12)}${'a0'.repeat(20)}`
export const ETH: Hex = `0x${'00'.repeat(12)}${'e0'.repeat(20)}`
export const ASSETS: KeeperAsset[] = [
  { originChain: 10002, asset: USDC, decimals: 6, weight: WAD, priceMarketId: 100 },
  { originChain: 10002, asset: ETH, decimals: 18, weight: (WAD * 8n) / 10n, priceMarketId: 2 },
]
export const MARKETS: KeeperMarket[] = [
  { marketId: 1, imf: WAD / 10n, mmf: WAD / 20n },
  { marketId: 2, imf: WAD / 10n, mmf: WAD / 20n },
  { marketId: 3, imf: WAD / 5n, mmf: WAD / 10n },
]
export const START = new Map([[100, { price: WAD }], [1, { price: 30_000n * WAD, volMultiplier: WAD }], [2, { price: 2_000n * WAD, volMultiplier: WAD }], [3, { price: 150n * WAD, volMultiplier: WAD }]])

/** Account i, derived from its index: 1-9x leverage over 1-3 markets, entries within +-5%, USDC (+ some ETH) collateral. */
export function syntheticAccount(i: number): AccountSnapshot {
  const h = (Math.imul(i + 1, 2654435761) >>> 0) / 4294967296
  const h2 = (Math.imul(i + 7, 2246822519) >>> 0) / 4294967296
  const lev = BigInt(100 + Math.floor(h * 800)) // hundredths: 1.00x .. 9.00x
  const usd = 1_000n + BigInt(i % 50_000)
  const prices = [30_000n, 2_000n, 150n]
  const positions = [1, 2, 3].slice(0, 1 + (i % 3)).map((m, k) => {
    const size = (lev * usd * WAD) / 100n / prices[k]! / BigInt(1 + (i % 3))
    const entry = (prices[k]! * WAD * BigInt(9500 + Math.floor(h2 * 1000))) / 10_000n
    return { marketId: m, size: (i + k) % 4 === 3 ? -size : size, entryPrice: entry }
  })
  const collateral = [{ originChain: 10002, asset: USDC, amount: usd * 10n ** 6n, pending: false }]
  if (i % 5 === 0) collateral.push({ originChain: 10002, asset: ETH, amount: WAD / 10n, pending: false })
  return { account: idOf(i), settlement: 0n, collateral, positions }
}
/**
 * The id of account i as a flat string, as an RPC client's JSON decoding would hand it over (a
 * template literal makes a V8 cons string of its pieces: 280 bytes an id instead of 96, which at a
 * million accounts inflated the keeper's start-up peak by ~180 MB that no real chain would cost).
 */
export const idOf = (i: number): Hex => JSON.parse(`"0x${i.toString(16).padStart(64, '0')}"`) as Hex

/**
 * A chain of `n` synthetic accounts computed on demand (nothing stored per account), whose
 * liquidations are sent by `send` (a real transaction on anvil in the benchmark).
 */
export class SyntheticChain extends CoreChain {
  /** Accounts whose liquidation was sent: they read back flat, as the engine would leave them. */
  readonly closed = new Set<Hex>()
  /** As an RPC provider caps eth_getLogs: the keeper reads account changes 1,000 blocks at a time. */
  readonly accountChangesRange = 1_000n
  /** Account i was opened in block 1 + floor(i / PER_BLOCK), so the history spans n / PER_BLOCK blocks. */
  static readonly PER_BLOCK = 100
  constructor(readonly n: number, readonly send: (account: Hex) => Promise<SubmitResult>) {
    super(10002, ASSETS, MARKETS)
    this.height = 1n + BigInt(Math.ceil(n / SyntheticChain.PER_BLOCK))
  }
  override async getAccountChanges(from: bigint, to: bigint): Promise<Hex[]> {
    const first = Math.max(0, Number(from) - 1) * SyntheticChain.PER_BLOCK
    const end = Math.min(this.n, Number(to) * SyntheticChain.PER_BLOCK)
    return Array.from({ length: Math.max(0, end - first) }, (_, k) => idOf(first + k))
  }
  override async readAccount(account: Hex): Promise<AccountSnapshot> {
    const a = syntheticAccount(Number(BigInt(account)))
    return this.closed.has(account) ? { ...a, positions: [] } : a
  }
  override async liquidate(account: Hex): Promise<SubmitResult> {
    const r = await this.send(account)
    this.closed.add(account)
    return r
  }
}
