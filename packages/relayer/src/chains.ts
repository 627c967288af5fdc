import type { ChainAdapter, Hex } from '@bulwark/core'
import { EvmChainAdapter } from '@bulwark/contracts-evm'
import type { RelayerConfig } from './config.js'
import { InvalidConfigError } from './errors.js'
import { FeeBumpingSubmitter } from './services/delivery/evm-submitter.js'

export type ChainSecrets = ReadonlyMap<number, string | undefined>

/**
 * Builds the ChainAdapter of every configured chain (EVM: @bulwark/contracts-evm's viem adapter;
 * on delivering chains wrapped in FeeBumpingSubmitter for nonces and stuck transactions).
 * `senderKeys` are the EVM keys that pay for deliveries, resolved by bin/ from the environment;
 * a delivering chain without one is a configuration error.
 */
export function createAdapters(config: RelayerConfig, senderKeys: ChainSecrets): Map<number, ChainAdapter> {
  const out = new Map<number, ChainAdapter>()
  config.chains.forEach((c, i) => {
    const key = senderKeys.get(c.chainId)
    if (c.deliver && !key) throw new InvalidConfigError(`chain ${c.chainId} delivers but has no sender key`, { field: `chains[${i}].senderKeyEnv` })
    if (key !== undefined && !/^0x[0-9a-fA-F]{64}$/.test(key)) throw new InvalidConfigError('sender key is not 0x + 32 bytes hex', { field: `chains[${i}].senderKeyEnv` })
    const adapter = new EvmChainAdapter({
        deployment: { chainId: c.chainId, evmChainId: c.evmChainId, rpcUrl: c.rpcUrl, admin: '0x0000000000000000000000000000000000000000', contracts: c.contracts as { oracle: Hex; engine: Hex; vault: Hex }, startBlock: String(c.startHeight) },
        ...(key ? { privateKey: key as Hex } : {}),
        safeDepth: BigInt(c.safeDepth),
        finalizedDepth: BigInt(c.finalizedDepth),
        name: c.name,
      })
    const contracts = c.contracts as { engine: Hex; vault: Hex }
    out.set(
      c.chainId,
      c.deliver && key
        ? new FeeBumpingSubmitter(adapter, { rpcUrl: c.rpcUrl, evmChainId: c.evmChainId, privateKey: key as Hex, contracts, bumpAfterMs: c.feeBump.afterMs, bumpPercent: c.feeBump.percent, maxBumps: c.feeBump.maxBumps })
        : adapter,
    )
  })
  return out
}
