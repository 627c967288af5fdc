import { EvmChainAdapter, marginEngineAbi, type BulwarkDeployment } from '@bulwark/contracts-evm'
import type { Hex } from '@bulwark/core'
import { createPublicClient, http, type PublicClient } from 'viem'

const ACCOUNT_EVENTS = ['CollateralCredited', 'CollateralQueued', 'PositionChanged', 'WithdrawalApproved', 'Liquidated'] as const

/**
 * SHIM (devnet-local): the EVM ChainAdapter plus `getAccountChanges`, which the oracle's liquidation
 * keeper needs (KeeperChain) and @bulwark/contracts-evm's adapter does not implement yet. Reads the
 * MarginEngine events that carry an indexed account.
 */
export class EvmKeeperChain extends EvmChainAdapter {
  readonly #pub: PublicClient
  readonly #engine: Hex

  constructor(opts: ConstructorParameters<typeof EvmChainAdapter>[0]) {
    super(opts)
    this.#pub = createPublicClient({ transport: http(opts.rpcUrl ?? opts.deployment.rpcUrl) }) as PublicClient
    this.#engine = (opts.deployment as BulwarkDeployment).contracts.engine
  }

  async getAccountChanges(fromHeight: bigint, toHeight: bigint): Promise<Hex[]> {
    if (fromHeight > toHeight) return []
    const events = marginEngineAbi.filter((x) => x.type === 'event' && (ACCOUNT_EVENTS as readonly string[]).includes(x.name))
    const logs = await this.#pub.getLogs({ address: this.#engine, events: events as never, fromBlock: fromHeight, toBlock: toHeight })
    const seen = new Set<Hex>()
    for (const l of logs) {
      const a = (l as unknown as { args: { account?: Hex } }).args.account
      if (a) seen.add(a.toLowerCase() as Hex)
    }
    return [...seen]
  }
}
