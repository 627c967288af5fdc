import { EvmChainAdapter, marginEngineAbi, type EvmAdapterOptions } from '@bulwark/contracts-evm'
import { InvalidParameterError, type Hex } from '@bulwark/core'
import { createPublicClient, http, type PublicClient } from 'viem'
import type { KeeperChain } from '../services/keeper/types.js'

/** MarginEngine events whose first indexed argument is the account whose margin state changed. */
const ACCOUNT_EVENTS = new Set(['CollateralCredited', 'CollateralQueued', 'PositionChanged', 'WithdrawalApproved', 'Liquidated', 'QueueReleased'])
const events = marginEngineAbi.filter((x) => x.type === 'event' && ACCOUNT_EVENTS.has(x.name))
/** Blocks per eth_getLogs request. */
const LOG_RANGE = 5_000n

/**
 * The EVM ChainAdapter of @bulwark/contracts-evm plus the keeper's `getAccountChanges`, read from
 * the MarginEngine's account events. When the adapter itself implements getAccountChanges, that
 * one is used.
 */
export class EvmKeeperChain extends EvmChainAdapter implements KeeperChain {
  readonly #pub: PublicClient
  readonly #engine: Hex
  readonly #inherited = (EvmChainAdapter.prototype as Partial<KeeperChain>).getAccountChanges

  constructor(opts: EvmAdapterOptions) {
    super(opts)
    this.#pub = createPublicClient({ transport: http(opts.rpcUrl ?? opts.deployment.rpcUrl) }) as PublicClient
    this.#engine = opts.deployment.contracts.engine
  }

  async getAccountChanges(fromHeight: bigint, toHeight: bigint): Promise<Hex[]> {
    if (this.#inherited) return this.#inherited.call(this, fromHeight, toHeight)
    if (fromHeight > toHeight) throw new InvalidParameterError(`fromHeight ${fromHeight} is after toHeight ${toHeight}`, { field: 'fromHeight' })
    const seen = new Set<Hex>()
    for (let from = fromHeight; from <= toHeight; from += LOG_RANGE) {
      const to = from + LOG_RANGE - 1n < toHeight ? from + LOG_RANGE - 1n : toHeight
      const logs = await this.#pub.getLogs({ address: this.#engine, events, fromBlock: from, toBlock: to })
      for (const l of logs) {
        const a = (l.args as { account?: Hex }).account
        if (a) seen.add(a.toLowerCase() as Hex)
      }
    }
    return [...seen]
  }
}
