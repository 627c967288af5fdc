import { feeBumpOptions, type BulwarkDeployment, type SentTransaction } from '@bulwark/contracts-evm'
import type { ChainAdapter, Hex } from '@bulwark/core'
import { address, createKeyPairSignerFromBytes, createKeyPairSignerFromPrivateKeyBytes } from '@solana/kit'
import { ConfigError, type ChainConfig, type KeeperSectionConfig } from '../config.js'
import type { KeeperChain, KeeperConfig } from '../services/keeper/types.js'
import { EvmKeeperChain } from './evm-keeper-chain.js'
import { SolanaKeeperChain } from './solana-keeper-chain.js'

/** What bin/ read from the files a chain entry names (the library never touches files). */
export type ChainFiles = { deployment?: BulwarkDeployment; key: Uint8Array }

export type BuiltChains = {
  /** Every chain, in config order: the publisher's targets. */
  chains: ChainAdapter[]
  /** The keeper's chains (keeper.chains), which report account events. */
  keeperChains: KeeperChain[]
}

const hex = (b: Uint8Array): Hex => `0x${Buffer.from(b).toString('hex')}`

/** Hooks into what the chains do. */
export type ChainHooks = {
  /** Every EVM transaction version a node accepted (`bump` 0 = first send, then each fee-bumped replacement), with the chain's name. */
  onEvmSend?: (chain: string, tx: SentTransaction) => void
}

/** Builds the chain adapters of `chains` (EVM: deployment + rpc url; Solana: rpc url + program id), each a KeeperChain. */
export async function buildChains(chains: readonly ChainConfig[], files: readonly ChainFiles[], keeper?: KeeperSectionConfig, hooks: ChainHooks = {}): Promise<BuiltChains> {
  const out: ChainAdapter[] = []
  for (const [i, c] of chains.entries()) {
    const f = files[i]!
    if (c.type === 'evm') {
      if (!f.deployment) throw new ConfigError(`chains.${i}.deployment`, ['no deployment read'])
      if (f.key.length !== 32) throw new ConfigError(`chains.${i}.senderKeyFile`, [`expected a 32-byte key, got ${f.key.length} bytes`])
      const name = c.name ?? `evm-${f.deployment.chainId}`
      const onEvmSend = hooks.onEvmSend
      out.push(
        new EvmKeeperChain({
          deployment: f.deployment,
          privateKey: hex(f.key),
          name,
          ...(c.rpcUrl ? { rpcUrl: c.rpcUrl } : {}),
          ...feeBumpOptions(c.feeBump),
          ...(onEvmSend ? { onSend: (tx: SentTransaction) => onEvmSend(name, tx) } : {}),
        }),
      )
    } else {
      if (f.key.length !== 32 && f.key.length !== 64) throw new ConfigError(`chains.${i}.payerKeyFile`, [`expected a 32-byte seed or 64-byte keypair, got ${f.key.length} bytes`])
      const payer = await (f.key.length === 32 ? createKeyPairSignerFromPrivateKeyBytes(f.key) : createKeyPairSignerFromBytes(f.key)).catch((e: unknown) => {
        throw new ConfigError(`chains.${i}.payerKeyFile`, [`not a usable ed25519 key: ${(e as Error).message}`])
      })
      const wsUrl = c.wsUrl ?? c.rpcUrl.replace(/^http/, 'ws')
      // Foreign collateral credited here is priced by its origin chain: the keeper's asset list names it.
      const assetChains: Record<Hex, number> = {}
      for (const a of keeper?.assets ?? []) if (a.originChain !== c.chainId) assetChains[a.asset.toLowerCase() as Hex] = a.originChain
      out.push(new SolanaKeeperChain({ chainId: c.chainId, rpcUrl: c.rpcUrl, wsUrl, programId: address(c.programId), payer, assetChains, ...(c.name ? { name: c.name } : {}) }))
    }
  }
  const keeperChains = (keeper?.chains ?? []).map((id, i) => {
    const ch = out.find((a) => a.chainId === id)
    if (!ch) throw new ConfigError(`keeper.chains.${i}`, [`chain ${id} is not in "chains"`])
    if (typeof ch.getAccountChanges !== 'function') throw new ConfigError(`keeper.chains.${i}`, [`chain ${id} (${ch.name}) reports no account events (getAccountChanges)`])
    return ch as KeeperChain
  })
  return { chains: out, keeperChains }
}

/** The keeper section as the keeper's config. */
export function keeperConfigOf(k: KeeperSectionConfig): KeeperConfig {
  return { assets: k.assets.map((a) => ({ ...a, asset: a.asset as Hex })), markets: k.markets, maxInFlightPerChain: k.maxInFlightPerChain }
}
