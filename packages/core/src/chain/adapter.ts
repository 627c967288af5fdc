import type { Hex } from '../format/bytes.js'

/**
 * How final a block must be before a message in it is signed. On the wire (a message's
 * consistency level byte): 200 instant, 201 safe, 1 finalized, 2..199 that many confirmations.
 */
export type Finality = 'instant' | 'safe' | 'finalized' | { confirmations: number }

export const CONSISTENCY = { instant: 200, safe: 201, finalized: 1 } as const

/** Finality named by a message's consistency level byte. */
export function finalityOfConsistency(level: number): Finality {
  if (level === CONSISTENCY.instant) return 'instant'
  if (level === CONSISTENCY.safe) return 'safe'
  if (level === CONSISTENCY.finalized || level === 0) return 'finalized'
  if (level >= 2 && level < 200) return { confirmations: level }
  return 'finalized'
}

/** A message a vault (or engine) emitted, as a watcher sees it on its chain. */
export type ObservedMessage = {
  emitterChain: number
  /** bytes32 */
  emitterAddress: Hex
  sequence: bigint
  nonce: number
  consistencyLevel: number
  /** unix seconds of the block */
  timestamp: number
  payload: Uint8Array
  /** Block number (EVM) or slot (Solana). */
  height: bigint
  /** Hash of the block holding it: a reorg changes it. */
  blockHash: Hex
  txHash: Hex
}

export type SubmitResult = { txHash: Hex; height?: bigint }

export type PriceSnapshot = { marketId: number; price: bigint; conf: bigint; emaPrice: bigint; volMultiplier: bigint; publishTime: bigint }

export type AccountSnapshot = {
  /** bytes32 account id on this chain */
  account: Hex
  collateral: { originChain: number; asset: Hex; amount: bigint; pending: boolean }[]
  positions: { marketId: number; size: bigint; entryPrice: bigint }[]
  settlement: bigint
}

/**
 * Everything the relayer, the oracle and the keeper need from a chain, and nothing chain-specific.
 * Implementations map chain errors onto core's typed errors (e.g. a consumed VAA is
 * VaaAlreadyConsumedError). Every adapter must pass core's compliance suite
 * (`@bulwark/core/testing`, defineAdapterCompliance).
 */
export interface ChainAdapter {
  /** Wormhole-style chain id. */
  readonly chainId: number
  readonly name: string
  /** Highest block/slot that has reached `finality`. */
  getHeight(finality: Finality): Promise<bigint>
  /** Messages emitted by the watched emitters in blocks [fromHeight, toHeight], in order. */
  getMessages(fromHeight: bigint, toHeight: bigint): Promise<ObservedMessage[]>
  /** Hash of the block at `height` now (to detect that a message's block was reorged out). */
  getBlockHash(height: bigint): Promise<Hex | null>
  /** Whether the destination contract/program already consumed this VAA. */
  isVaaConsumed(vaa: Uint8Array): Promise<boolean>
  /** Submits a VAA (credit, release, price report, guardian upgrade) and waits for inclusion. */
  submitVaa(vaa: Uint8Array): Promise<SubmitResult>
  /** Last accepted price of a market, or null if none. */
  readPrice(marketId: number): Promise<PriceSnapshot | null>
  /** An account's collateral and positions. */
  readAccount(account: Hex): Promise<AccountSnapshot>
  /**
   * Accounts whose margin state changed (credit, trade, liquidation, withdrawal) in blocks/slots
   * [fromHeight, toHeight], each once: what a liquidation keeper indexes. Optional for adapters of
   * chains that hold no margin engine.
   */
  getAccountChanges?(fromHeight: bigint, toHeight: bigint): Promise<Hex[]>
  /** Liquidates an account (anyone may); throws AccountHealthyError when it is not liquidatable. */
  liquidate(account: Hex): Promise<SubmitResult>
  /** Releases resources (sockets, watchers). */
  close(): Promise<void>
}
