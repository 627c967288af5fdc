import { EvmChainAdapter, type EvmAdapterOptions } from '@bulwark/contracts-evm'
import type { Hex, SubmitResult } from '@bulwark/core'
import type { KeeperChain } from '../services/keeper/types.js'

export type EvmKeeperChainOptions = EvmAdapterOptions & {
  /** How often a liquidation's receipt is polled, ms (the adapter's pollingInterval when that is not given). @default 100 */
  receiptPollMs?: number
  /** Most blocks one eth_getLogs call of getAccountChanges spans (providers cap the range). @default 10_000n */
  logRange?: bigint
}

/**
 * The EVM ChainAdapter of @bulwark/contracts-evm as a KeeperChain: its getAccountChanges (read
 * from MarginEngine account events) is required here rather than optional, and receipts are polled
 * every `receiptPollMs` (a receipt missed on the first look otherwise costs a whole polling
 * interval of liquidation latency). Liquidations go through the adapter: simulated first (reverts
 * become core's typed errors), then sent with its locally tracked nonce, so several liquidations
 * from one key can be in flight at once (the keeper's maxInFlightPerChain).
 */
export class EvmKeeperChain extends EvmChainAdapter implements KeeperChain {
  readonly accountChangesRange: bigint

  constructor(opts: EvmKeeperChainOptions) {
    super({ ...opts, pollingInterval: opts.pollingInterval ?? opts.receiptPollMs ?? 100 })
    this.accountChangesRange = opts.logRange ?? 10_000n
  }

  override getAccountChanges(fromHeight: bigint, toHeight: bigint): Promise<Hex[]> {
    return super.getAccountChanges(fromHeight, toHeight)
  }

  /** MarginEngine.liquidate(account), awaited until mined. */
  override liquidate(account: Hex): Promise<SubmitResult> {
    return super.liquidate(account)
  }
}
