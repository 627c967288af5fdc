import { encodePayload, quorum, toBytes32, type Hex } from '@bulwark/core'
import { rm } from 'node:fs/promises'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Guardians } from '../src/crypto/guardians.js'
import { startRelayer, type Relayer } from '../src/relayer.js'
import { CONTRACTS, nodeConfig, planCluster, type ClusterNode } from './support/cluster.js'
import { MemoryChain } from './support/memory-chain.js'

const A = 10002
const B = 10003
const vault = toBytes32(CONTRACTS.vault)
const lock = (amount: bigint) =>
  encodePayload({ type: 'CollateralLocked', destinationChain: B, account: toBytes32('0x01'), asset: toBytes32('0x02'), amount, depositor: toBytes32('0x03') })

async function until(cond: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not reached in time')
    await new Promise((r) => setTimeout(r, 25))
  }
}

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
})
