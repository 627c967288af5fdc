import type { Finality, Hex, SubmitResult } from '@bulwark/core'
import { SolanaAdapter, type SolanaAdapterOptions } from '@bulwark/solana-adapter'
import type { KeeperChain } from '../services/keeper/types.js'

export type SolanaKeeperChainOptions = SolanaAdapterOptions

/**
 * @bulwark/solana-adapter's SolanaAdapter as a KeeperChain: accounts come from its
 * getAccountChanges (margin accounts the program's transactions wrote), liquidations are the
 * program's `liquidate` instruction, sent once confirmed at `confirmed`. Before the first
 * liquidation it checks that the program is deployed (UnknownAccount naming `programId`) and opens
 * the payer's own margin account, which the program credits the liquidator's reward to.
 * A liquidation another keeper landed first fails preflight with the program's AccountHealthy,
 * which the keeper counts as `lost`.
 */
export class SolanaKeeperChain extends SolanaAdapter implements KeeperChain {
  /** getSignaturesForAddress and getTransaction answer from `confirmed` on: index up to the confirmed slot. */
  readonly accountChangesFinality: Finality = 'safe'
  #ready: Promise<unknown> | undefined

  /** Program check + the liquidator's margin account, once (retried after a failure). */
  ready(): Promise<unknown> {
    this.#ready ??= this.ensureOwnAccount().catch((e: unknown) => {
      this.#ready = undefined
      throw e
    })
    return this.#ready
  }

  override getAccountChanges(fromHeight: bigint, toHeight: bigint): Promise<Hex[]> {
    return super.getAccountChanges(fromHeight, toHeight)
  }

  override async liquidate(account: Hex): Promise<SubmitResult> {
    await this.ready()
    return super.liquidate(account)
  }
}
