import type { DeployedChain } from '../chains/deploy.js'
import type { RelayerIdentity } from './relayer-keys.js'

/** The environment variable holding the key that pays for a relayer's deliveries (set per process). */
export const SENDER_KEY_ENV = 'BULWARK_SENDER_KEY'
/** The environment variable holding a relayer's Solana fee payer (64-byte keypair as a JSON array). */
export const SOLANA_PAYER_ENV = 'BULWARK_SOLANA_PAYER'

/** The Solana cluster a relayer watches and delivers to. */
export type RelayerSolana = { chainId: number; rpcUrl: string; wsUrl: string; programId: string }

export type RelayerPlan = { index: number; name: string; dir: string; p2pPort: number; opsPort: number; id: RelayerIdentity }

/** One node's bulwark-relayer config (the relayer's own schema). */
export function relayerConfig(node: RelayerPlan, all: readonly RelayerPlan[], chains: readonly DeployedChain[], solana?: RelayerSolana): Record<string, unknown> {
  return {
    nodeName: node.name,
    network: 'bulwark-devnet',
    dataDir: node.dir,
    nodeKeyFile: node.id.nodeKeyFile,
    guardianKey: { keystore: node.id.keystore, passwordEnv: 'BULWARK_KEYSTORE_PASSWORD' },
    guardianSetIndex: 0,
    guardians: all.map((n) => ({ address: n.id.address, peerId: n.id.peerId })),
    p2p: {
      listen: [`/ip4/127.0.0.1/tcp/${node.p2pPort}`],
      bootstrap: all.filter((n) => n !== node).map((n) => `/ip4/127.0.0.1/tcp/${n.p2pPort}/p2p/${n.id.peerId}`),
    },
    chains: chains.map((c) => ({
      chainId: c.chainId,
      name: c.name,
      kind: 'evm',
      evmChainId: c.evmChainId,
      rpcUrl: c.rpcUrl,
      safeDepth: 1,
      finalizedDepth: 2,
      senderKeyEnv: SENDER_KEY_ENV,
      contracts: c.deployment.contracts,
      watch: true,
      deliver: true,
      startHeight: Number(c.deployment.startBlock),
    })).concat(solana ? [{ ...solana, name: 'solana', kind: 'solana', payerKeyEnv: SOLANA_PAYER_ENV, watch: true, deliver: true, startHeight: 0 } as never] : []),
    watcher: { pollMs: 300, maxRange: 1000 },
    delivery: { maxAttempts: 5, baseDelayMs: 300, maxDelayMs: 5000, staggerMs: 400 },
    ops: { host: '127.0.0.1', port: node.opsPort },
    log: { level: 'info' },
  }
}
