import type { ChainAdapter, Finality, Hex } from '@bulwark/core'

/**
 * What the keeper needs beyond ChainAdapter: which accounts changed in a block range (from the
 * margin engine's events: credits, trades, withdrawals, liquidations). Core's ChainAdapter declares
 * it optional; a KeeperChain must have it (EvmKeeperChain adds it over MarginEngine logs).
 */
export interface AccountEventSource {
  /** Accounts touched by events in blocks/slots [fromHeight, toHeight], each once. */
  getAccountChanges(fromHeight: bigint, toHeight: bigint): Promise<Hex[]>
  /**
   * The finality up to which getAccountChanges has complete data: the keeper indexes up to
   * getHeight(this), so a range it has read never gains events later. Solana: `safe` (confirmed),
   * since getSignaturesForAddress / getTransaction serve no merely processed slots.
   * @default 'instant'
   */
  readonly accountChangesFinality?: Finality
  /**
   * Most blocks/slots one getAccountChanges call may span: RPC providers cap eth_getLogs ranges,
   * and at start-up one call over a long history would hold every account id at once. The keeper
   * splits longer ranges into calls of at most this many. @default unbounded (one call)
   */
  readonly accountChangesRange?: bigint
}

export type KeeperChain = ChainAdapter & AccountEventSource

/** A collateral asset as the keeper prices it. */
export type KeeperAsset = {
  originChain: number
  /** bytes32 token address on its origin chain */
  asset: Hex
  decimals: number
  /** WAD */
  weight: bigint
  /** WAD @default 0n */
  pendingWeight?: bigint
  /** Market id whose PriceReport price values this asset. */
  priceMarketId: number
}

/** A perp market as the keeper sees it. */
export type KeeperMarket = { marketId: number; imf: bigint; mmf: bigint }

export type KeeperConfig = {
  assets: KeeperAsset[]
  markets: KeeperMarket[]
  /** Initial index capacity; grows by doubling. @default 1024 */
  capacity?: number
  /** Ignored: the index follows each published multiplier, whatever its bound. Kept for config compatibility. */
  maxMultiplier?: bigint
  /** Ignored: multiplier changes go through core's LiquidationIndex.onMultiplier (no rebuild). Kept for config compatibility. */
  multiplierHeadroom?: number
  /** Liquidation transactions in flight per chain (a flood delays the first one). @default 4 */
  maxInFlightPerChain?: number
  collateralSlots?: number
  positionSlots?: number
}
