import * as core from '@bulwark/core'
import type { AccountSnapshot, ChainAdapter, Hex, ObservedMessage, PriceSnapshot, SubmitResult } from '@bulwark/core'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { BaseError, ContractFunctionRevertedError, createPublicClient, createWalletClient, http, type Abi, type Address, type PublicClient } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'

/** Forge's artifact of packages/contracts-evm's PriceOracle (built by that package's `forge build`). */
export const PRICE_ORACLE_ARTIFACT = join(dirname(fileURLToPath(import.meta.url)), '../../../contracts-evm/out/PriceOracle.sol/PriceOracle.json')
export const havePriceOracle = existsSync(PRICE_ORACLE_ARTIFACT)
export const DEV_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80'

/** A revert of a Bulwark contract as core's typed error of the same name. */
export function toCoreError(e: unknown): unknown {
  if (!(e instanceof BaseError)) return e
  const rev = e.walk((x) => x instanceof ContractFunctionRevertedError) as ContractFunctionRevertedError | null
  const name = rev?.data?.errorName
  const Cls = name ? ((core as Record<string, unknown>)[`${name}Error`] as (new (m: string, p: object) => Error) | undefined) : undefined
  return Cls ? new Cls(`contract reverted ${name}`, { cause: e }) : e
}

/**
 * The price-publishing part of a ChainAdapter over the real PriceOracle contract on anvil, for
 * this package's tests until @bulwark/contracts-evm ships its full adapter.
 */
export class EvmPriceOracleTarget implements ChainAdapter {
  readonly name = 'anvil-price-oracle'
  readonly client: PublicClient
  constructor(readonly chainId: number, readonly rpcUrl: string, readonly address: Address, readonly abi: Abi) {
    this.client = createPublicClient({ chain: foundry, transport: http(rpcUrl) }) as PublicClient
  }

  static async deploy(rpcUrl: string, chainId: number, guardians: Hex[], emitter: { chain: number; address: Hex }, markets: number[]): Promise<EvmPriceOracleTarget> {
    const art = JSON.parse(readFileSync(PRICE_ORACLE_ARTIFACT, 'utf8')) as { abi: Abi; bytecode: { object: Hex } }
    const account = privateKeyToAccount(DEV_KEY)
    const wallet = createWalletClient({ account, chain: foundry, transport: http(rpcUrl) })
    const pub = createPublicClient({ chain: foundry, transport: http(rpcUrl) })
    const hash = await wallet.deployContract({
      abi: art.abi,
      bytecode: art.bytecode.object,
      args: [
        { chainId, governanceChain: 1, governanceEmitter: `0x${'00'.repeat(31)}04`, guardianSetOverlap: 0, guardians },
        { emitterChain: emitter.chain, emitterAddress: emitter.address, maxAge: 60, maxFuture: 5, admin: account.address },
        { maxMoveBps: 1500n, window: 300, haltDuration: 600, cooldown: 300, maxOracleGap: 120, liquidationGrace: 120 },
      ],
    })
    const address = (await pub.waitForTransactionReceipt({ hash })).contractAddress!
    const t = new EvmPriceOracleTarget(chainId, rpcUrl, address, art.abi)
    for (const m of markets) await t.#write('listMarket', [m])
    return t
  }

  async #write(functionName: string, args: unknown[]): Promise<SubmitResult> {
    const wallet = createWalletClient({ account: privateKeyToAccount(DEV_KEY), chain: foundry, transport: http(this.rpcUrl) })
    try {
      const { request } = await this.client.simulateContract({ account: wallet.account, address: this.address, abi: this.abi, functionName, args })
      const txHash = await wallet.writeContract(request)
      const r = await this.client.waitForTransactionReceipt({ hash: txHash })
      return { txHash, height: r.blockNumber }
    } catch (e) {
      throw toCoreError(e)
    }
  }

  submitVaa(vaa: Uint8Array): Promise<SubmitResult> {
    return this.#write('submitPriceReport', [core.bytesToHex(vaa)])
  }
  async readPrice(marketId: number): Promise<PriceSnapshot | null> {
    const p = (await this.client.readContract({ address: this.address, abi: this.abi, functionName: 'getPrice', args: [marketId] })) as { price: bigint; conf: bigint; emaPrice: bigint; volMultiplier: bigint; publishTime: bigint }
    return p.publishTime === 0n ? null : { marketId, ...p }
  }
  async breakerStatus(marketId: number): Promise<number> {
    const s = (await this.client.readContract({ address: this.address, abi: this.abi, functionName: 'breakerState', args: [marketId] })) as { status: number }
    return s.status
  }
  async getHeight(): Promise<bigint> {
    return this.client.getBlockNumber()
  }
  async getMessages(): Promise<ObservedMessage[]> {
    return []
  }
  async getBlockHash(): Promise<Hex | null> {
    return null
  }
  async isVaaConsumed(): Promise<boolean> {
    return false
  }
  async readAccount(_a: Hex): Promise<AccountSnapshot> {
    throw new core.UnknownAccountError('the price oracle holds no accounts', { field: 'account' })
  }
  async liquidate(_a: Hex): Promise<SubmitResult> {
    throw new core.UnknownAccountError('the price oracle holds no accounts', { field: 'account' })
  }
  async close(): Promise<void> {}
}
