import { HealthBook, InvalidParameterError, UnknownAssetError, UnknownMarketError, type Account, type AccountSnapshot, type BookAsset, type BookMarket } from '@bulwark/core'
import type { KeeperConfig } from './types.js'

/**
 * Maps chain-level ids onto core's HealthBook indices: every PriceReport market id that prices
 * something is a feed; assets and markets are book indices.
 */
export class BookLayout {
  readonly feedOf = new Map<number, number>()
  readonly feedMarketIds: number[] = []
  readonly #assetIndex = new Map<string, number>()
  readonly #marketIndex = new Map<number, number>()

  constructor(readonly config: KeeperConfig) {
    const feed = (marketId: number) => {
      if (!this.feedOf.has(marketId)) {
        this.feedOf.set(marketId, this.feedMarketIds.length)
        this.feedMarketIds.push(marketId)
      }
      return this.feedOf.get(marketId)!
    }
    config.assets.forEach((a, i) => {
      const key = `${a.originChain}:${a.asset.toLowerCase()}`
      if (this.#assetIndex.has(key)) throw new InvalidParameterError(`asset ${key} listed twice`, { field: `assets[${i}]` })
      this.#assetIndex.set(key, i)
      feed(a.priceMarketId)
    })
    config.markets.forEach((m, i) => {
      if (this.#marketIndex.has(m.marketId)) throw new InvalidParameterError(`market ${m.marketId} listed twice`, { field: `markets[${i}]` })
      this.#marketIndex.set(m.marketId, i)
      feed(m.marketId)
    })
  }

  marketIndex(marketId: number): number | undefined {
    return this.#marketIndex.get(marketId)
  }

  /**
   * A new empty book with market k's volatility multiplier `multipliers[k]`. (The third argument
   * is accepted for compatibility and wins when given: the float screen and the exact math now
   * share one multiplier, kept current through core's setMarketMultiplier / onMultiplier.)
   */
  newBook(capacity: number, multipliers: readonly bigint[], actual: readonly bigint[] = multipliers): HealthBook {
    const assets: BookAsset[] = this.config.assets.map((a) => ({ feed: this.feedOf.get(a.priceMarketId)!, decimals: a.decimals, weight: a.weight, pendingWeight: a.pendingWeight ?? 0n }))
    const markets: BookMarket[] = this.config.markets.map((m, k) => ({ feed: this.feedOf.get(m.marketId)!, imf: m.imf, mmf: m.mmf, volMultiplier: actual[k]! }))
    return new HealthBook({ capacity, feeds: this.feedMarketIds.length, assets, markets, collateralSlots: this.config.collateralSlots, positionSlots: this.config.positionSlots })
  }

  /** A chain snapshot in the book's index space. */
  toBookAccount(s: AccountSnapshot): Account {
    return {
      id: s.account,
      settlement: s.settlement,
      collateral: s.collateral
        .filter((c) => c.amount > 0n)
        .map((c, i) => {
          const k = this.#assetIndex.get(`${c.originChain}:${c.asset.toLowerCase()}`)
          if (k === undefined) throw new UnknownAssetError(`asset ${c.originChain}:${c.asset} is not configured`, { field: `collateral[${i}].asset` })
          return { asset: String(k), amount: c.amount, state: c.pending ? ('pending' as const) : ('active' as const) }
        }),
      positions: s.positions
        .filter((p) => p.size !== 0n)
        .map((p, i) => {
          const k = this.#marketIndex.get(p.marketId)
          if (k === undefined) throw new UnknownMarketError(`market ${p.marketId} is not configured`, { field: `positions[${i}].marketId` })
          return { market: String(k), size: p.size, entryPrice: p.entryPrice }
        }),
    }
  }
}
