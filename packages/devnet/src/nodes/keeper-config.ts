import type { KeeperConfig } from '@bulwark/oracle-aggregator'
import type { Hex } from 'viem'

/** The keeper section of a bulwark-oracle config (bigints as decimal strings), without its chain list. */
export type KeeperConfigJson = {
  assets: { originChain: number; asset: Hex; decimals: number; weight: string; priceMarketId: number }[]
  markets: { marketId: number; imf: string; mmf: string }[]
}

export const keeperConfigToJson = (c: KeeperConfig): KeeperConfigJson => ({
  assets: c.assets.map((a) => ({ originChain: a.originChain, asset: a.asset, decimals: a.decimals, weight: a.weight.toString(), priceMarketId: a.priceMarketId })),
  markets: c.markets.map((m) => ({ marketId: m.marketId, imf: m.imf.toString(), mmf: m.mmf.toString() })),
})
