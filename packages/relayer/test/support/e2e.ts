import { NATIVE_TOKEN, deployBulwark, startAnvil, toBytes32, type AnvilHandle, type BulwarkDeployment } from '@bulwark/contracts-evm'
import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { mnemonicToAccount } from 'viem/accounts'
import type { Hex } from 'viem'
import { bytesToHex } from '@bulwark/core'
import { nodeConfigInput, type ClusterNode } from './cluster.js'

const here = dirname(fileURLToPath(import.meta.url))
/** The CLI the e2e tests spawn: bin/bulwark-relayer, or the bundle of `pnpm build` with RELAYER_E2E_CLI=dist/bulwark-relayer.mjs. */
export const BIN = process.env['RELAYER_E2E_CLI'] ? join(here, '..', '..', process.env['RELAYER_E2E_CLI']) : join(here, '..', '..', 'bin', 'bulwark-relayer')
export const A = 10002
export const B = 10003

/** Anvil's default dev account i (well-known test mnemonic; never a real key). */
export function anvilKey(i: number): Hex {
  return bytesToHex(mnemonicToAccount('test test test test test test test test test test test junk', { addressIndex: i }).getHdKey().privateKey!)
}

export type Chains = { anvilA: AnvilHandle; anvilB: AnvilHandle; depA: BulwarkDeployment; depB: BulwarkDeployment }

/** Two real anvil chains with the Bulwark contracts; B's engine credits locks from A's vault. */
export async function startChains(guardians: Hex[]): Promise<Chains> {
  const anvilA = await startAnvil({ chainId: 31337 })
  const anvilB = await startAnvil({ chainId: 31338 })
  try {
    const depA = await deployBulwark({ rpcUrl: anvilA.url, chainId: A, guardians, vaultAssets: [{ token: NATIVE_TOKEN, cap: 10n ** 30n }] })
    const depB = await deployBulwark({
      rpcUrl: anvilB.url,
      chainId: B,
      guardians,
      priceMarkets: [1],
      assets: [{ chain: A, token: toBytes32(NATIVE_TOKEN), priceMarket: 1, weight: 9n * 10n ** 17n, pendingWeight: 0n, decimals: 18, govPriceE8: 2000n * 10n ** 8n }],
      remoteVaults: [{ chain: A, address: toBytes32(depA.contracts.vault), limitUsd: 10_000_000n, largeTransferUsd: 1_000_000n }],
    })
    return { anvilA, anvilB, depA, depB }
  } catch (e) {
    await anvilA.stop()
    await anvilB.stop()
    throw e
  }
}

/** A relayer started as its own process through bin/bulwark-relayer (or a fixture script). */
export class NodeProcess {
  child: ChildProcess | undefined
  constructor(readonly node: ClusterNode, readonly configPath: string, readonly env: Record<string, string>, readonly script = BIN) {}

  async start(): Promise<void> {
    const log = createWriteStream(join(this.node.dataDir, 'node.log'), { flags: 'a' })
    const args = this.script === BIN || this.script.endsWith('.mjs') ? [this.script, 'start', '--config', this.configPath] : ['--import', 'tsx', this.script, this.configPath]
    this.child = spawn(process.execPath, args, { env: { ...process.env, ...this.env }, stdio: ['ignore', 'pipe', 'pipe'] })
    this.child.stdout!.pipe(log)
    this.child.stderr!.pipe(log)
    const deadline = Date.now() + 30_000
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`node ${this.node.index} exited with ${this.child.exitCode}; see ${join(this.node.dataDir, 'node.log')}`)
      let answered: unknown
      try {
        if ((await fetch(`http://127.0.0.1:${this.node.opsPort}/healthz`, { signal: AbortSignal.timeout(500) })).ok) {
          // healthy, but is it this process? Another session's node may hold a port freePort handed out
          answered = ((await (await fetch(`http://127.0.0.1:${this.node.opsPort}/status`, { signal: AbortSignal.timeout(2000) })).json()) as { peerId?: unknown }).peerId
        }
      } catch {}
      if (answered === this.node.peerId) return
      if (answered !== undefined) throw new Error(`node ${this.node.index}: ops port ${this.node.opsPort} answers as ${String(answered)}, not ${this.node.peerId} (the port is another process's)`)
      await new Promise((r) => setTimeout(r, 100))
    }
    throw new Error(`node ${this.node.index} did not become healthy`)
  }

  /** SIGTERM (graceful) or SIGKILL, by this process's handle; waits for the exit. */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<number | null> {
    const c = this.child
    if (!c || c.exitCode !== null || c.signalCode !== null) return c?.exitCode ?? null
    const exited = new Promise<number | null>((r) => c.once('exit', (code) => r(code)))
    c.kill(signal)
    const timer = setTimeout(() => c.kill('SIGKILL'), 10_000)
    const code = await exited
    clearTimeout(timer)
    return code
  }

  async status(): Promise<Record<string, unknown>> {
    return (await (await fetch(`http://127.0.0.1:${this.node.opsPort}/status`)).json()) as Record<string, unknown>
  }

  async metrics(): Promise<string> {
    return (await fetch(`http://127.0.0.1:${this.node.opsPort}/metrics`)).text()
  }
}

/** Writes node i's config file for the two chains and returns it with the env its process needs. */
export async function writeNodeConfig(nodes: ClusterNode[], i: number, c: Chains) {
  const cfg = nodeConfigInput(nodes, i, {
    guardianKey: { env: 'BULWARK_GUARDIAN_KEY' },
    chains: [
      { chainId: A, name: 'anvil-a', kind: 'evm', rpcUrl: c.anvilA.url, evmChainId: 31337, contracts: c.depA.contracts, startHeight: Number(c.depA.startBlock), deliver: false, finalizedDepth: 3 },
      { chainId: B, name: 'anvil-b', kind: 'evm', rpcUrl: c.anvilB.url, evmChainId: 31338, contracts: c.depB.contracts, startHeight: Number(c.depB.startBlock), watch: false, senderKeyEnv: 'BULWARK_SENDER_KEY_B' },
    ],
    watcher: { pollMs: 100, maxRange: 1000 },
    delivery: { maxAttempts: 5, baseDelayMs: 200, maxDelayMs: 2000, staggerMs: 1500 },
    log: { level: 'info' },
  })
  const path = join(nodes[i]!.dataDir, 'config.json')
  await writeFile(path, JSON.stringify(cfg, null, 2))
  return { path, env: { BULWARK_GUARDIAN_KEY: bytesToHex(nodes[i]!.key.secret), BULWARK_SENDER_KEY_B: anvilKey(i + 1) } }
}
