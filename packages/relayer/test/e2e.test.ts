import { collateralVaultAbi, marginEngineAbi, toBytes32 } from '@bulwark/contracts-evm'
import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { createPublicClient, createWalletClient, http, parseEventLogs, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { planCluster, type ClusterNode } from './support/cluster.js'
import { A, B, NodeProcess, anvilKey, startChains, writeNodeConfig, type Chains } from './support/e2e.js'

/**
 * End to end: two real anvil chains with the Bulwark contracts, 4 relayer nodes as separate
 * processes (bin/bulwark-relayer) gossiping over libp2p on 127.0.0.1. A lock on chain A must be
 * credited on chain B exactly once, whatever happens to the nodes.
 */
const account = toBytes32('0x00000000000000000000000000000000000a11ce')
const evilScript = join(import.meta.dirname, 'support', 'evil-node.ts')

async function until(what: string, cond: () => Promise<boolean>, ms = 45_000): Promise<void> {
  const end = Date.now() + ms
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`)
    await new Promise((r) => setTimeout(r, 200))
  }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const metric = (text: string, name: string): number =>
  text.split('\n').filter((l) => l.startsWith(name)).reduce((s, l) => s + Number(l.split(' ').pop()), 0)

describe('relayer network end to end (2 anvil chains, 4 node processes)', () => {
  let chains: Chains
  let nodes: ClusterNode[]
  let root: string
  let procs: NodeProcess[]
  let miner: NodeJS.Timeout | undefined
  let mining = true
  const pubA = () => createPublicClient({ transport: http(chains.anvilA.url) })
  const pubB = () => createPublicClient({ transport: http(chains.anvilB.url) })
  const rpcA = (method: string, params: unknown[] = []) => pubA().request({ method: method as never, params: params as never })

  async function lock(amount: bigint): Promise<bigint> {
    const chain = { id: 31337, name: 'a', nativeCurrency: { name: 'E', symbol: 'E', decimals: 18 }, rpcUrls: { default: { http: [chains.anvilA.url] } } } as const
    const wallet = createWalletClient({ account: privateKeyToAccount(anvilKey(0)), chain, transport: http(chains.anvilA.url) })
    const hash = await wallet.writeContract({ address: chains.depA.contracts.vault, abi: collateralVaultAbi, functionName: 'lockNative', args: [B, account], value: amount })
    const receipt = await pubA().waitForTransactionReceipt({ hash })
    const [ev] = parseEventLogs({ abi: collateralVaultAbi, eventName: 'Locked', logs: receipt.logs })
    return (ev!.args as { sequence: bigint }).sequence
  }
  const consumed = (seq: bigint) =>
    pubB().readContract({ address: chains.depB.contracts.engine, abi: marginEngineAbi, functionName: 'isConsumed', args: [A, toBytes32(chains.depA.contracts.vault), seq] }) as Promise<boolean>
  /** Transactions sent to chain B's engine (a duplicate submission would show up here, even reverted). */
  const engineTxs = async () => {
    const head = await pubB().getBlockNumber()
    let n = 0
    for (let b = 0n; b <= head; b++) {
      const block = await pubB().getBlock({ blockNumber: b, includeTransactions: true })
      n += block.transactions.filter((t) => t.to?.toLowerCase() === chains.depB.contracts.engine.toLowerCase()).length
    }
    return n
  }
  const credits = async () =>
    parseEventLogs({ abi: marginEngineAbi, eventName: 'CollateralCredited', logs: await pubB().getLogs({ address: chains.depB.contracts.engine, fromBlock: 0n }) }).length

  beforeAll(async () => {
    ;({ nodes, root } = await planCluster(4))
    chains = await startChains(nodes.map((n) => n.key.address))
    miner = setInterval(() => void (mining && rpcA('anvil_mine', ['0x1']).catch(() => {})), 250)
    procs = []
    for (let i = 0; i < 4; i++) {
      const { path, env } = await writeNodeConfig(nodes, i, chains)
      procs.push(new NodeProcess(nodes[i]!, path, env))
    }
    await Promise.all(procs.map((p) => p.start()))
  }, 120_000)

  afterAll(async () => {
    clearInterval(miner)
    for (const p of procs ?? []) await p.stop()
    await chains?.anvilA.stop()
    await chains?.anvilB.stop()
    if (root) await rm(root, { recursive: true, force: true })
  }, 60_000)

  let engineSetupTxs = 0

  it('credits a lock on chain B once a quorum signed it', async () => {
    engineSetupTxs = await engineTxs()
    const seq = await lock(10n ** 18n)
    await until('credit', () => consumed(seq))
    expect(await credits()).toBe(1)
  })

  it('one node down: 3 of 4 still reach quorum', async () => {
    expect(await procs[3]!.stop('SIGTERM')).toBe(0) // graceful shutdown exits 0
    const seq = await lock(2n * 10n ** 18n)
    await until('credit with node 3 down', () => consumed(seq))
    expect(await credits()).toBe(2)
  })

  it('two nodes down: no VAA and no credit; delivery resumes when they return', async () => {
    await procs[2]!.stop()
    const before = metric(await procs[0]!.metrics(), 'bulwark_relayer_vaas_assembled_total')
    const seq = await lock(3n * 10n ** 18n)
    await sleep(5000)
    expect(await consumed(seq)).toBe(false)
    expect(metric(await procs[0]!.metrics(), 'bulwark_relayer_vaas_assembled_total')).toBe(before)
    expect(metric(await procs[0]!.metrics(), 'bulwark_relayer_observations_signed_total')).toBeGreaterThanOrEqual(3)
    await Promise.all([procs[2]!.start(), procs[3]!.start()])
    await until('credit after nodes return', () => consumed(seq))
    expect(await credits()).toBe(3)
  })

  it('a node gossiping invalid signatures is rejected and penalized; the others still reach quorum', async () => {
    await procs[3]!.stop()
    const evilDir = join(root, 'evil')
    await mkdir(evilDir, { recursive: true })
    const { env } = await writeNodeConfig(nodes, 3, chains)
    const { writeFile, readFile } = await import('node:fs/promises')
    const cfg = JSON.parse(await readFile(procs[3]!.configPath, 'utf8'))
    const evilConfig = join(evilDir, 'config.json')
    await writeFile(evilConfig, JSON.stringify({ ...cfg, dataDir: evilDir, nodeKeyFile: join(nodes[3]!.dataDir, 'node.key'), nodeName: 'evil' }))
    const evil = new NodeProcess({ ...nodes[3]!, dataDir: evilDir }, evilConfig, env, evilScript)
    await evil.start()
    try {
      const seq = await lock(4n * 10n ** 18n)
      await until('credit with an invalid-signature node', () => consumed(seq))
      // The evil node's signatures may reach node 0 before or after node 0 holds the VAA (under load
      // it is often the last to sign): either way one is checked (at assembly, or audited when held),
      // so the penalty follows its first batch; that batch is bounded like the credit, not by it.
      await until('penalty recorded', async () => {
        const s = (await procs[0]!.status()) as { peerScores: Record<string, { penalties: number; score: number }> }
        return (s.peerScores[nodes[3]!.peerId]?.penalties ?? 0) > 0
      })
      const m = await procs[0]!.metrics()
      expect(metric(m, 'bulwark_relayer_envelopes_rejected_total{reason="InvalidSignature"}')).toBeGreaterThan(0)
      expect(await credits()).toBe(4)
    } finally {
      await evil.stop()
      await procs[3]!.start() // the later cases need all 4 nodes, whatever this one's outcome
    }
  })

  it('a node SIGKILLed mid-flight: nothing lost, nothing delivered twice', async () => {
    const seqs = [await lock(5n), await lock(6n), await lock(7n)]
    await sleep(300)
    expect(await procs[0]!.stop('SIGKILL')).toBe(null)
    await procs[0]!.start()
    await until('all three credited', async () => (await Promise.all(seqs.map(consumed))).every(Boolean))
    await sleep(3000)
    expect(await credits()).toBe(7)
    expect(await engineTxs()).toBe(engineSetupTxs + 7)
  })

  it('a lock reorged out before finality is never signed', async () => {
    mining = false
    const snapshot = await rpcA('evm_snapshot')
    const seq = await lock(8n * 10n ** 18n)
    await sleep(1500)
    expect(await rpcA('evm_revert', [snapshot])).toBe(true)
    mining = true
    await sleep(4000)
    expect(await consumed(seq)).toBe(false)
    // the same sequence, now with another body, is signed and credited: the reorged one never was
    const again = await lock(9n * 10n ** 18n)
    expect(again).toBe(seq)
    await until('credit of the replacement lock', () => consumed(seq))
    const m = await Promise.all(procs.map((p) => p.metrics()))
    expect(m.reduce((s, t) => s + metric(t, 'bulwark_relayer_conflicting_observations_total'), 0)).toBe(0)
    expect(m.reduce((s, t) => s + metric(t, 'bulwark_relayer_reorged_messages_total'), 0)).toBeGreaterThan(0)
    expect(await credits()).toBe(8)
  })
})
