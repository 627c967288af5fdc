import type { ChainAdapter } from '@bulwark/core'
import type { RelayerConfig } from './config.js'
import { InvalidConfigError } from './errors.js'

/** A variable specifier: the EVM package is resolved at run time, only when an EVM chain is configured. */
const EVM_PACKAGE = '@bulwark/contracts-evm'

export type ChainSecrets = ReadonlyMap<number, string | undefined>

/**
 * Builds the ChainAdapter of every configured chain. EVM chains use @bulwark/contracts-evm's viem
 * adapter (loaded lazily so the relayer's unit tests do not need it). `senderKeys` are the EVM
 * keys that pay for deliveries, resolved by bin/ from the environment.
 */
export async function createAdapters(config: RelayerConfig, senderKeys: ChainSecrets): Promise<Map<number, ChainAdapter>> {
  const out = new Map<number, ChainAdapter>()
  for (const [i, c] of config.chains.entries()) {
    if (c.kind !== 'evm') throw new InvalidConfigError(`chain kind ${String(c.kind)} is not supported`, { field: `chains[${i}].kind` })
    const evm = (await import(EVM_PACKAGE)) as {
      createEvmAdapter?: (opts: Record<string, unknown>) => ChainAdapter | Promise<ChainAdapter>
    }
    if (typeof evm.createEvmAdapter !== 'function') {
      throw new InvalidConfigError('@bulwark/contracts-evm does not export createEvmAdapter', { field: `chains[${i}].kind` })
    }
    out.set(c.chainId, await evm.createEvmAdapter({ chainId: c.chainId, name: c.name, rpcUrl: c.rpcUrl, contracts: c.contracts, privateKey: senderKeys.get(c.chainId) }))
  }
  return out
}
