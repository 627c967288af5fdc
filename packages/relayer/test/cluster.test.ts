import { buildSignedVaa, bytesToHex, encodePayload, parseVaa, quorum, toBytes32, type Hex } from '@bulwark/core'
import { rm } from 'node:fs/promises'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Guardians } from '../src/crypto/guardians.js'
import { startRelayer, type Relayer } from '../src/relayer.js'
import { CONTRACTS, nodeConfig, planCluster, type ClusterNode } from './support/cluster.js'
import { MemoryChain } from './support/memory-chain.js'
import { until as untilHolds } from './support/env.js'

const A = 10002
const B = 10003
const vault = toBytes32(CONTRACTS.vault)
const lock = (amount: bigint) =>
  encodePayload({ type: 'CollateralLocked', destinationChain: B, account: toBytes32('0x01'), asset: toBytes32('0x02'), amount, depositor: toBytes32('0x03') })

const until = (cond: () => boolean | Promise<boolean>) => untilHolds(cond, 15_000, 25)

describe('4 relayer nodes (one process, real libp2p on loopback, real LevelDB)', () => {
  let nodes: ClusterNode[]
  let root: string
  let chainA: MemoryChain
  let chainB: MemoryChain
  const running: (Relayer | undefined)[] = []

  const start = async (i: number) => {
    const cfg = nodeConfig(nodes, i, {
      chains: [
        { chainId: A, name: 'a', kind: 'evm', rpcUrl: 'http://127.0.0.1:1', contracts: CONTRACTS, deliver: false },
        { chainId: B, name: 'b', kind: 'evm', rpcUrl: 'http://127.0.0.1:1', contracts: CONTRACTS, watch: false },
      ],
    })
    running[i] = await startRelayer({
      config: cfg,
      guardianKey: nodes[i]!.key,
      adapters: new Map([[A, chainA], [B, chainB]]),
      logger: pino({ level: 'silent' }),
      retransmitMs: 500,
    })
  }

  beforeAll(async () => {
    ;({ nodes, root } = await planCluster(4))
    chainA = new MemoryChain(A, { finalizedLag: 2 })
    chainB = new MemoryChain(B, { guardians: new Guardians(nodes.map((n) => n.key.address as Hex)) })
    for (let i = 0; i < 4; i++) await start(i)
  }, 30_000)

  afterAll(async () => {
    for (const r of running) await r?.stop()
    await rm(root, { recursive: true, force: true })
  })

  it('signs a finalized lock, reaches quorum and credits the destination exactly once', async () => {
    chainA.mine([{ emitter: vault, payload: lock(5n) }])
    chainA.mine()
    chainA.mine()
    await until(() => chainB.consumed.size === 1)
    await new Promise((r) => setTimeout(r, 1500))
    expect(chainB.consumed.size).toBe(1)
    expect(new Set(chainB.submissions).size).toBe(1)
    expect(quorum(4)).toBe(3)
  })

  it('dead-letters a VAA the destination keeps refusing; an operator lists and retries it over HTTP', async () => {
    chainB.failSubmits = 1000
    chainB.submitError = () => new Error('execution reverted: out of gas')
    chainA.mine([{ emitter: vault, payload: lock(6n) }])
    chainA.mine()
    chainA.mine()
    const ops = `http://127.0.0.1:${running[0]!.opsPort}`
    type Dead = { digest: string; status: string; attempts: number; lastError: string }
    let dead: Dead[] = []
    await until(async () => (dead = (await (await fetch(`${ops}/dlq`)).json()) as Dead[]).length === 1)
    expect(dead[0]).toMatchObject({ status: 'dead', attempts: 3, lastError: 'Error: execution reverted: out of gas' })
    expect(chainB.consumed.size).toBe(1)
    chainB.failSubmits = 0
    const retried = await fetch(`${ops}/dlq/${dead[0]!.digest}/retry`, { method: 'POST' })
    expect(retried.status).toBe(200)
    await until(() => chainB.consumed.size === 2)
    expect(await (await fetch(`${ops}/dlq`)).json()).toEqual([])
    expect((await fetch(`${ops}/dlq/0x${'00'.repeat(32)}/retry`, { method: 'POST' })).status).toBe(404)
    const metrics = await (await fetch(`${ops}/metrics`)).text()
    expect(metrics).toMatch(/bulwark_relayer_deliveries_total\{chain="10003",result="dead_letter"\} 1/)
    expect((await fetch(`${ops}/healthz`)).status).toBe(200)
  })

  it('follows a guardian set upgrade submitted to one node (gossiped to all): new indices sign, VAAs carry the new set, bad governance is refused', async () => {
    const reversed = [...nodes].reverse().map((n) => n.key.address as Hex)
    const upgrade = (o: { emitter?: Hex; newIndex?: number } = {}) => {
      const payload = encodePayload({ type: 'GuardianSetUpgrade', targetChain: 0, newIndex: o.newIndex ?? 1, keys: reversed })
      const body = { timestamp: 1_700_000_000, nonce: 0, emitterChain: 1, emitterAddress: o.emitter ?? (`0x${'00'.repeat(31)}04` as Hex), sequence: 1n, consistencyLevel: 1, payload }
      return bytesToHex(buildSignedVaa(body, 0, nodes.slice(0, 3).map((n) => ({ index: n.index, privateKey: n.key.secret }))))
    }
    const post = (i: number, vaa: Hex) => fetch(`http://127.0.0.1:${running[i]!.opsPort}/governance`, { method: 'POST', body: JSON.stringify({ vaa }) })
    const refused = await post(0, upgrade({ emitter: `0x${'00'.repeat(31)}05` }))
    expect(refused.status).toBe(400)
    expect(await refused.json()).toMatchObject({ error: 'InvalidGovernance' })
    // Submitted to one node only: it gossips the VAA on <network>/control and every node applies it.
    expect((await post(0, upgrade())).status).toBe(200)
    await until(() => running.every((r) => r!.index === 3 - nodes.findIndex((n) => n.peerId === r!.peerId)))
    expect(running.map((r) => r!.index)).toEqual([3, 2, 1, 0])
    const again = await post(2, upgrade()) // already applied through gossip: its index is not current + 1
    expect(again.status).toBe(400)
    expect((await running[0]!.status()).guardianSets).toEqual([{ index: 1, size: 4, expiresAt: null }, { index: 0, size: 4, expiresAt: expect.any(Number) }])
    chainB.opts.guardians = new Guardians(reversed, 1) // the destination applied the same upgrade
    const assembled: number[] = []
    running[0]!.events.on('vaa', (_d, vaa) => assembled.push(parseVaa(vaa).guardianSetIndex))
    chainA.mine([{ emitter: vault, payload: lock(7n) }])
    chainA.mine()
    chainA.mine()
    await until(() => chainB.consumed.size === 3)
    expect(assembled).toEqual([1])
  })
})
