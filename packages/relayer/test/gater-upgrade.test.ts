import { buildSignedVaa, encodePayload, parseVaa, toBytes32, type Hex } from '@bulwark/core'
import { rm } from 'node:fs/promises'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Guardians } from '../src/crypto/guardians.js'
import { startRelayer, type Relayer } from '../src/relayer.js'
import { CONTRACTS, nodeConfig, planCluster, type ClusterNode } from './support/cluster.js'
import { MemoryChain } from './support/memory-chain.js'
import { until } from './support/env.js'

const A = 10002
const B = 10003
const OVERLAP_S = 4

/**
 * The connection gater follows guardian set upgrades (5 nodes in one process, real libp2p on
 * loopback). Set 0 = nodes 0..3; set 1 = nodes 0, 1, 2, 4 (3 leaves, 4 joins; node 4's PeerId
 * is known to the others through `guardianPeers`). Before the upgrade node 4 is refused; the
 * upgrade, submitted to node 0 only, reaches every node over gossip; then 4 is admitted and
 * takes part in set-1 VAAs, and once the overlap ends node 3 is disconnected and refused.
 */
describe('connection gater across a guardian set upgrade', () => {
  let nodes: ClusterNode[]
  let root: string
  const running: Relayer[] = []
  const chainA = new MemoryChain(A, { finalizedLag: 0 })
  let chainB: MemoryChain
  const set1 = (): ClusterNode[] => [nodes[0]!, nodes[1]!, nodes[2]!, nodes[4]!]
  const peersOf = (i: number): string[] => running[i]!.node.getPeers().map(String)

  beforeAll(async () => {
    ;({ nodes, root } = await planCluster(5))
    chainB = new MemoryChain(B, { guardians: new Guardians(set1().map((n) => n.key.address as Hex), 1) })
    const chains = [
      { chainId: A, name: 'a', kind: 'evm' as const, rpcUrl: 'http://127.0.0.1:1', contracts: CONTRACTS, deliver: false },
      { chainId: B, name: 'b', kind: 'evm' as const, rpcUrl: 'http://127.0.0.1:1', contracts: CONTRACTS, watch: false },
    ]
    const everyone = (i: number) => nodes.filter((n) => n.index !== i).map((n) => `/ip4/127.0.0.1/tcp/${n.p2pPort}/p2p/${n.peerId}`)
    for (let i = 0; i < 5; i++) {
      const members = i === 4 ? set1() : nodes.slice(0, 4)
      const base = nodeConfig(members, members.indexOf(nodes[i]!), { chains })
      const config = {
        ...base,
        guardianSetIndex: i === 4 ? 1 : 0,
        guardianPeers: i === 4 ? [] : [{ address: nodes[4]!.key.address, peerId: nodes[4]!.peerId }],
        governance: { ...base.governance, guardianSetOverlapSeconds: OVERLAP_S },
        p2p: { ...base.p2p, bootstrap: everyone(i) },
      }
      running[i] = await startRelayer({ config, guardianKey: nodes[i]!.key, adapters: new Map([[A, chainA], [B, chainB]]), logger: pino({ level: 'silent' }), retransmitMs: 500 })
    }
  }, 30_000)

  afterAll(async () => {
    for (const r of running) await r?.stop()
    await rm(root, { recursive: true, force: true })
  })

  it('refuses a future guardian until an upgrade admits it, and a removed one after the overlap', async () => {
    await until(() => [0, 1, 2, 3].every((i) => peersOf(i).length === 3))
    await new Promise((r) => setTimeout(r, 2500)) // node 4 keeps dialling (bootstrap + redial every 2 s)
    expect(peersOf(4)).toEqual([])
    for (const i of [0, 1, 2, 3]) expect(peersOf(i)).not.toContain(nodes[4]!.peerId)

    const payload = encodePayload({ type: 'GuardianSetUpgrade', targetChain: 0, newIndex: 1, keys: set1().map((n) => n.key.address as Hex) })
    const vaa = buildSignedVaa(
      { timestamp: 1_700_000_000, nonce: 0, emitterChain: 1, emitterAddress: `0x${'00'.repeat(31)}04` as Hex, sequence: 1n, consistencyLevel: 1, payload },
      0,
      [0, 1, 2].map((i) => ({ index: i, privateKey: nodes[i]!.key.secret })),
    )
    await running[0]!.applyUpgrade(vaa)
    await until(() => [0, 1, 2, 3].every((i) => running[i]!.index === [0, 1, 2, -1][i]))
    const upgradedAt = Date.now()

    // Admitted: node 4 connects to the set-1 members, and node 3 stays connected during the overlap.
    await until(() => [0, 1, 2].every((i) => peersOf(4).includes(nodes[i]!.peerId)))
    expect(peersOf(0)).toContain(nodes[3]!.peerId)
    expect(((await running[0]!.status()).allowedPeers as string[]).sort()).toEqual(nodes.map((n) => n.peerId).sort())

    // A set-1 VAA with node 4 taking part (it holds the VAA too).
    const held: number[] = []
    running[4]!.events.on('vaa', (_d, v) => held.push(parseVaa(v).guardianSetIndex))
    chainA.mine([{ emitter: toBytes32(CONTRACTS.vault), payload: encodePayload({ type: 'CollateralLocked', destinationChain: B, account: toBytes32('0x01'), asset: toBytes32('0x02'), amount: 9n, depositor: toBytes32('0x03') }) }])
    await until(() => chainB.consumed.size === 1 && held.length === 1)
    expect(held).toEqual([1])

    // After the overlap: node 3 is hung up on and refused from then on.
    await until(() => [0, 1, 2, 4].every((i) => !peersOf(i).includes(nodes[3]!.peerId)), 20_000)
    expect(Date.now() - upgradedAt).toBeGreaterThanOrEqual(OVERLAP_S * 1000 - 1500)
    expect(((await running[0]!.status()).allowedPeers as string[]).sort()).toEqual(set1().map((n) => n.peerId).sort())
    await new Promise((r) => setTimeout(r, 2500)) // node 3 redials every 2 s
    for (const i of [0, 1, 2, 4]) expect(peersOf(i)).not.toContain(nodes[3]!.peerId)
  }, 60_000)
})
