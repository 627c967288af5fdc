import * as core from '@bulwark/core'
import type { ComplianceHarness } from '@bulwark/core/testing'
import { createPublicClient, createWalletClient, http, pad, toHex, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { collateralVaultAbi } from '../../ts/generated/abi.js'
import { EvmChainAdapter } from '../../ts/adapter.js'
import { ANVIL_KEY_0, NATIVE_TOKEN, deployBulwark, type BulwarkDeployment } from '../../ts/deploy.js'
import { startAnvil, type AnvilHandle } from '../../ts/anvil.js'

export const CHAIN = 10002
export const REMOTE = 10003
export const REMOTE_VAULT: Hex = pad('0xbeef', { size: 32 })
export const REMOTE_USDC: Hex = pad('0xa0b8', { size: 32 })
export const ORACLE_EMITTER: Hex = pad('0x0a', { size: 32 })
export const USD_MARKET = 100

/** Deterministic test guardian keys (index i -> key). */
export function guardianKeys(n: number, seed = 1): core.GuardianKey[] {
  return Array.from({ length: n }, (_, index) => ({ index, privateKey: core.hexToBytes(pad(toHex(seed * 1000 + index + 1), { size: 32 })) }))
}

export type Stack = { anvil: AnvilHandle; deployment: BulwarkDeployment; adapter: EvmChainAdapter; keys: core.GuardianKey[] }

/** Starts anvil on a free port and deploys the full contract set with `n` guardians. */
export async function startStack(n = 5): Promise<Stack> {
  const anvil = await startAnvil()
  try {
    const keys = guardianKeys(n)
    const deployment = await deployBulwark({
      rpcUrl: anvil.url,
      chainId: CHAIN,
      guardians: keys.map((k) => core.addressOfPrivateKey(k.privateKey)),
      oracleEmitter: { chain: CHAIN, address: ORACLE_EMITTER },
      priceMarkets: [1, USD_MARKET],
      markets: [{ id: 1, imf: 10n ** 17n, mmf: 5n * 10n ** 16n, feeRate: 5n * 10n ** 14n }],
      assets: [{ chain: REMOTE, token: REMOTE_USDC, priceMarket: USD_MARKET, weight: 10n ** 18n, pendingWeight: 5n * 10n ** 17n, decimals: 6, govPriceE8: 10n ** 8n }],
      remoteVaults: [{ chain: REMOTE, address: REMOTE_VAULT, limitUsd: 10_000_000n, largeTransferUsd: 1_000_000n }],
      vaultAssets: [{ token: NATIVE_TOKEN, cap: 10n ** 30n }],
    })
    return { anvil, deployment, adapter: new EvmChainAdapter({ deployment }), keys }
  } catch (e) {
    await anvil.stop()
    throw e
  }
}

export async function headTimestamp(url: string): Promise<number> {
  const pub = createPublicClient({ transport: http(url) })
  return Number((await pub.getBlock()).timestamp)
}

/** ComplianceHarness over a started stack. */
export async function complianceHarness(): Promise<ComplianceHarness> {
  const s = await startStack(5)
  const account: Hex = pad('0xa11ce', { size: 32 })
  let seq = 0n
  const signer = privateKeyToAccount(ANVIL_KEY_0)
  const chain = { id: s.deployment.evmChainId, name: 'anvil', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [s.anvil.url] } } } as const
  const wallet = createWalletClient({ account: signer, chain, transport: http(s.anvil.url) })
  const pub = createPublicClient({ chain, transport: http(s.anvil.url) })
  // a USD price so account valuation works
  const now = await headTimestamp(s.anvil.url)
  const report = core.encodePayload({ type: 'PriceReport', publishTime: BigInt(now), prices: [{ marketId: USD_MARKET, price: 10n ** 18n, conf: 0n, emaPrice: 10n ** 18n, volMultiplier: 10n ** 18n }] })
  await s.adapter.submitVaa(core.buildSignedVaa({ timestamp: now, nonce: 0, emitterChain: CHAIN, emitterAddress: ORACLE_EMITTER, sequence: 0n, consistencyLevel: 1, payload: report }, 0, s.keys.slice(0, 4)))
  return {
    adapter: s.adapter,
    account,
    async lock(amount) {
      const hash = await wallet.writeContract({ address: s.deployment.contracts.vault, abi: collateralVaultAbi, functionName: 'lockNative', args: [CHAIN, account], value: amount })
      await pub.waitForTransactionReceipt({ hash })
      return { txHash: hash }
    },
    async advance(blocks) {
      await pub.request({ method: 'anvil_mine' as never, params: [toHex(blocks)] as never })
    },
    async creditVaa(acc, amount) {
      const payload = core.encodePayload({ type: 'CollateralLocked', destinationChain: CHAIN, account: acc, asset: REMOTE_USDC, amount, depositor: acc })
      return core.buildSignedVaa({ timestamp: now, nonce: 0, emitterChain: REMOTE, emitterAddress: REMOTE_VAULT, sequence: seq++, consistencyLevel: 1, payload }, 0, s.keys.slice(0, 4))
    },
    async teardown() {
      await s.anvil.stop()
    },
  }
}
