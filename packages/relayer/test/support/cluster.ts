import { keccak256 } from '@bulwark/core'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseConfig, type RelayerConfig, type RelayerConfigInput } from '../../src/config.js'
import { loadOrCreateNodeKey, peerIdOfKey } from '../../src/services/network/node-key.js'
import { GuardianKey } from '../../src/services/signer/guardian-key.js'

/** Placeholder contract addresses for configs whose adapters are built in-process. */
export const CONTRACTS = { oracle: '0x00000000000000000000000000000000000000c1', engine: '0x00000000000000000000000000000000000000c2', vault: '0x00000000000000000000000000000000000000c3' }

/** A free TCP port on 127.0.0.1, below the ephemeral range (see contracts-evm's freePort). */
import { freePort } from '@bulwark/contracts-evm'
export { freePort }

/** Deterministic guardian key i (tests only). */
export const testGuardianKey = (i: number): GuardianKey => GuardianKey.fromBytes(keccak256(new TextEncoder().encode(`bulwark-test-guardian-${i}`)))

export type ClusterNode = { index: number; key: GuardianKey; dataDir: string; peerId: string; p2pPort: number; opsPort: number }

/** Keys, data dirs, node identities and ports for an n-node cluster (nothing started). */
export async function planCluster(n: number, root?: string): Promise<{ root: string; nodes: ClusterNode[] }> {
  const dir = root ?? (await mkdtemp(join(tmpdir(), 'bulwark-relayer-')))
  const nodes: ClusterNode[] = []
  for (let i = 0; i < n; i++) {
    const dataDir = join(dir, `node${i}`)
    const { mkdir } = await import('node:fs/promises')
    await mkdir(dataDir, { recursive: true })
    const { key } = await loadOrCreateNodeKey(join(dataDir, 'node.key'))
    nodes.push({ index: i, key: testGuardianKey(i), dataDir, peerId: peerIdOfKey(key), p2pPort: await freePort(), opsPort: await freePort() })
  }
  return { root: dir, nodes }
}

/** The config of node `i` of a planned cluster, with overrides (validated). */
export function nodeConfig(nodes: ClusterNode[], i: number, over: Partial<RelayerConfigInput> & Pick<RelayerConfigInput, 'chains'>): RelayerConfig {
  return parseConfig(nodeConfigInput(nodes, i, over))
}

/** The config file contents of node `i` (what an operator would write). */
export function nodeConfigInput(nodes: ClusterNode[], i: number, over: Partial<RelayerConfigInput> & Pick<RelayerConfigInput, 'chains'>): RelayerConfigInput {
  const me = nodes[i]!
  return {
    nodeName: `node${i}`,
    network: 'bulwark-test',
    dataDir: me.dataDir,
    guardianKey: { env: 'UNUSED_IN_TESTS' },
    guardians: nodes.map((n) => ({ address: n.key.address, peerId: n.peerId })),
    p2p: {
      listen: [`/ip4/127.0.0.1/tcp/${me.p2pPort}`],
      bootstrap: nodes.filter((n) => n.index !== i).map((n) => `/ip4/127.0.0.1/tcp/${n.p2pPort}/p2p/${n.peerId}`),
    },
    watcher: { pollMs: 50 },
    delivery: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 200, staggerMs: 300 },
    ops: { port: me.opsPort },
    log: { level: 'warn' },
    ...over,
  }
}
