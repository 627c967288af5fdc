import { buildSignedVaa, encodePayload, type Hex } from '@bulwark/core'
import { rm } from 'node:fs/promises'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRelayer, type Relayer } from '../src/relayer.js'
import { CONTRACTS, nodeConfig, planCluster, type ClusterNode } from './support/cluster.js'
import { MemoryChain } from './support/memory-chain.js'
import { until } from './support/env.js'

const A = 10002

/**
 * A node that was down while a guardian set upgrade was gossiped gets it when it comes back: a
 * peer sees its heartbeat under the earlier set and sends it the upgrade, signed under that set.
 * 4 nodes in one process, real libp2p on loopback, real LevelDB.
 */
describe('guardian set upgrade catch-up', () => {
  let nodes: ClusterNode[]
  let root: string
  const running: (Relayer | undefined)[] = []
  const chain = new MemoryChain(A)
  const start = async (i: number) => {
    const config = nodeConfig(nodes, i, { chains: [{ chainId: A, name: 'a', kind: 'evm', rpcUrl: 'http://127.0.0.1:1', contracts: CONTRACTS, deliver: false }] })
    running[i] = await startRelayer({ config, guardianKey: nodes[i]!.key, adapters: new Map([[A, chain]]), logger: pino({ level: 'silent' }), heartbeatMs: 300 })
  }

  beforeAll(async () => {
    ;({ nodes, root } = await planCluster(4))
    for (let i = 0; i < 4; i++) await start(i)
  }, 30_000)

  afterAll(async () => {
    for (const r of running) await r?.stop()
    await rm(root, { recursive: true, force: true })
  })

  it('sends the upgrade to a node that missed it, which applies it', async () => {
    await until(() => running.every((r) => r!.node.getPeers().length === 3))
    await running[3]!.stop()
    const reversed = [...nodes].reverse().map((n) => n.key.address as Hex)
    const payload = encodePayload({ type: 'GuardianSetUpgrade', targetChain: 0, newIndex: 1, keys: reversed })
    const vaa = buildSignedVaa(
      { timestamp: 1_700_000_000, nonce: 0, emitterChain: 1, emitterAddress: `0x${'00'.repeat(31)}04` as Hex, sequence: 1n, consistencyLevel: 1, payload },
      0,
      [0, 1, 2].map((i) => ({ index: i, privateKey: nodes[i]!.key.secret })),
    )
    await running[0]!.applyUpgrade(vaa)
    await until(() => [0, 1, 2].every((i) => running[i]!.index === 3 - i))
    await start(3) // restarts on set 0: it missed the gossip
    expect(running[3]!.index).toBe(3)
    await until(() => running[3]!.index === 0)
    expect((await running[3]!.status()).guardianSets).toEqual([{ index: 1, size: 4, expiresAt: null }, { index: 0, size: 4, expiresAt: expect.any(Number) }])
    // Nobody was penalized: the catch-up is signed under set 0, which every node still accepts.
    for (const i of [0, 1, 2, 3]) {
      const scores = (await running[i]!.status()).peerScores as Record<string, { penalties: number }>
      expect(Object.values(scores).every((s) => s.penalties === 0)).toBe(true)
    }
  }, 60_000)
})
