import { ANVIL_KEY_0, deployBulwark, priceOracleAbi, startAnvil, type AnvilHandle, type BulwarkDeployment, type DeployBulwarkOptions } from '@bulwark/contracts-evm'
import { createPublicClient, createWalletClient, http, pad, type Chain, type Hex, type HttpTransport, type PrivateKeyAccount, type PublicClient, type WalletClient } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { EvmKeeperChain } from '../../src/chains/evm-keeper-chain.js'

export const DEV_KEY: Hex = ANVIL_KEY_0
/** anvil's default accounts 1 and 2 (well-known test keys). */
export const ANVIL_KEY_1: Hex = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d'
export const ANVIL_KEY_2: Hex = '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3d71a3a0c5e2a0c3'

/**
 * A real anvil with the Bulwark contracts deployed by @bulwark/contracts-evm's deployBulwark (its
 * committed ABIs and bytecode: no forge build needed), plus test-side reads and anvil controls.
 */
export class EvmStack {
  readonly pub: PublicClient
  private constructor(readonly anvil: AnvilHandle, readonly deployment: BulwarkDeployment) {
    this.pub = createPublicClient({ transport: http(anvil.url), pollingInterval: 50 }) as PublicClient
  }

  static async start(opts: Omit<DeployBulwarkOptions, 'rpcUrl'>, anvilOpts: { blockTime?: number } = {}): Promise<EvmStack> {
    const anvil = await startAnvil(anvilOpts)
    try {
      return new EvmStack(anvil, await deployBulwark({ ...opts, rpcUrl: anvil.url }))
    } catch (e) {
      await anvil.stop()
      throw e
    }
  }

  /** A keeper-capable adapter paying with `key`. */
  adapter(key: Hex = DEV_KEY, name?: string): EvmKeeperChain {
    return new EvmKeeperChain({ deployment: this.deployment, privateKey: key, ...(name ? { name } : {}) })
  }

  wallet(key: Hex): WalletClient<HttpTransport, Chain, PrivateKeyAccount> {
    const chain = { id: this.deployment.evmChainId, name: 'anvil', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [this.anvil.url] } } } as const
    return createWalletClient({ account: privateKeyToAccount(key), chain, transport: http(this.anvil.url) })
  }

  async breakerStatus(marketId: number): Promise<number> {
    return (await this.pub.readContract({ address: this.deployment.contracts.oracle, abi: priceOracleAbi, functionName: 'breakerState', args: [marketId] })).status
  }

  async now(): Promise<number> {
    return Number((await this.pub.getBlock()).timestamp)
  }

  /** anvil control: the next block's timestamp. */
  async setNextTimestamp(t: number): Promise<void> {
    await this.pub.request({ method: 'evm_setNextBlockTimestamp' as never, params: [t] as never })
  }

  /** anvil control: mines an empty block with timestamp `t` (so eth_call sees that time). */
  async mineAt(t: number): Promise<void> {
    await this.pub.request({ method: 'evm_mine' as never, params: [t] as never })
  }

  async setBalance(address: Hex, wei: bigint): Promise<void> {
    await this.pub.request({ method: 'anvil_setBalance' as never, params: [address, `0x${wei.toString(16)}`] as never })
  }

  stop(): Promise<void> {
    return this.anvil.stop()
  }
}

export const bytes32 = (a: Hex): Hex => pad(a, { size: 32 }).toLowerCase() as Hex
