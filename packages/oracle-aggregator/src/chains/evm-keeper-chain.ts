import { ANVIL_KEY_0, coreErrorClass, EvmChainAdapter, marginEngineAbi, type EvmAdapterOptions } from '@bulwark/contracts-evm'
import type { Hex, SubmitResult } from '@bulwark/core'
import { BaseError, ContractFunctionRevertedError, createPublicClient, createWalletClient, http, type Account, type Chain, type HttpTransport, type PublicClient, type WalletClient } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { TransactionRevertedError } from '../errors.js'
import type { KeeperChain } from '../services/keeper/types.js'

/**
 * A contract revert as core's typed error of the same name. (contracts-evm's toCoreError checks
 * `instanceof` against its own viem instance, which may not be this package's.)
 */
function typedRevert(e: unknown, what: string): unknown {
  if (!(e instanceof BaseError)) return e
  const reverted = e.walk((x) => x instanceof ContractFunctionRevertedError)
  const name = reverted instanceof ContractFunctionRevertedError ? reverted.data?.errorName : undefined
  const Cls = name ? coreErrorClass(name) : undefined
  return Cls ? new Cls(`${what} reverted with ${name}`, { cause: e }) : e
}

export type EvmKeeperChainOptions = EvmAdapterOptions & {
  /** How often a liquidation's receipt is polled, ms (viem's default is 4,000). @default 100 */
  receiptPollMs?: number
  /** Give up waiting for a liquidation's receipt after this long, ms. @default 60000 */
  receiptTimeoutMs?: number
}

/**
 * The EVM ChainAdapter of @bulwark/contracts-evm as a KeeperChain: its getAccountChanges (read
 * from MarginEngine account events) is required here rather than optional, and liquidations poll
 * for their receipt every `receiptPollMs` instead of viem's 4 s default (a receipt missed on the
 * first look otherwise costs 4 s of liquidation latency).
 */
export class EvmKeeperChain extends EvmChainAdapter implements KeeperChain {
  readonly #pub: PublicClient
  readonly #wallet: WalletClient<HttpTransport, Chain, Account>
  readonly #engine: Hex
  readonly #timeout: number

  constructor(opts: EvmKeeperChainOptions) {
    super(opts)
    const url = opts.rpcUrl ?? opts.deployment.rpcUrl
    const chain = { id: opts.deployment.evmChainId, name: this.name, nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [url] } } } as const
    this.#pub = createPublicClient({ chain, transport: http(url), pollingInterval: opts.receiptPollMs ?? 100 }) as PublicClient
    this.#wallet = createWalletClient({ account: privateKeyToAccount(opts.privateKey ?? ANVIL_KEY_0), chain, transport: http(url) })
    this.#engine = opts.deployment.contracts.engine
    this.#timeout = opts.receiptTimeoutMs ?? 60_000
  }

  override getAccountChanges(fromHeight: bigint, toHeight: bigint): Promise<Hex[]> {
    return super.getAccountChanges(fromHeight, toHeight)
  }

  /** MarginEngine.liquidate(account): simulated first (reverts become core's typed errors), then sent and awaited. */
  override async liquidate(account: Hex): Promise<SubmitResult> {
    let request
    try {
      ;({ request } = await this.#pub.simulateContract({ account: this.#wallet.account, address: this.#engine, abi: marginEngineAbi, functionName: 'liquidate', args: [account] }))
    } catch (e) {
      throw typedRevert(e, 'liquidate')
    }
    const hash = await this.#wallet.writeContract(request)
    const r = await this.#pub.waitForTransactionReceipt({ hash, timeout: this.#timeout })
    if (r.status !== 'success') throw new TransactionRevertedError(this.name, hash, 'liquidate')
    return { txHash: hash, height: r.blockNumber }
  }
}
