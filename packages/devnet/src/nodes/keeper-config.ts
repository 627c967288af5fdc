import type { KeeperConfig } from '@bulwark/oracle-aggregator'
import type { Hex } from 'viem'

/** KeeperConfig with bigints as decimal strings (it travels in a JSON file). */
export type KeeperConfigJson = {
  assets: { originChain: number; asset: Hex; decimals: number; weight: string; priceMarketId: number }[]
  markets: { marketId: number; imf: string; mmf: string }[]
}

export const keeperConfigToJson = (c: KeeperConfig): KeeperConfigJson => ({
  assets: c.assets.map((a) => ({ originChain: a.originChain, asset: a.asset, decimals: a.decimals, weight: a.weight.toString(), priceMarketId: a.priceMarketId })),
  markets: c.markets.map((m) => ({ marketId: m.marketId, imf: m.imf.toString(), mmf: m.mmf.toString() })),
})

export const keeperConfigFromJson = (j: KeeperConfigJson): KeeperConfig => ({
  assets: j.assets.map((a) => ({ ...a, asset: a.asset, weight: BigInt(a.weight) })),
  markets: j.markets.map((m) => ({ marketId: m.marketId, imf: BigInt(m.imf), mmf: BigInt(m.mmf) })),
})
