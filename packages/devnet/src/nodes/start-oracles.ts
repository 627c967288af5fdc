import { randomBytes } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { DeployedChain } from '../chains/deploy.js'
import { fund } from '../chains/evm.js'
import { newKey, writeKeyFile, type KeyPair } from '../keys.js'
import type { Supervisor } from '../supervisor/supervisor.js'
import type { PortAllocator } from '../util/ports.js'
import { httpOk } from '../util/wait.js'
import { packageDir, tsNode } from './bins.js'
import type { KeeperConfigJson } from './keeper-config.js'
import { oracleConfig, type OracleNodePlan } from './oracle-config.js'

export type OraclePlan = OracleNodePlan & { dir: string; signer: KeyPair }

export async function planOracles(n: number, root: string, ports: PortAllocator): Promise<OraclePlan[]> {
  const out: OraclePlan[] = []
  for (let i = 0; i < n; i++) {
    const dir = join(root, `oracle-${i}`)
    await mkdir(dir, { recursive: true, mode: 0o700 })
    const signer = newKey()
    const keyFile = await writeKeyFile(dir, 'signer.key', signer.key)
    out.push({ index: i, dir, signer, keyFile, address: signer.address, peerPort: await ports.next(), opsPort: await ports.next() })
  }
  return out
}

export type RunningOracle = OraclePlan & { name: string; opsUrl: string; pid: number }

/** A Solana cluster the oracle nodes also publish to (the local RPC with Bulwark's program). */
export type OracleSolanaTarget = { chainId: number; rpcUrl: string; wsUrl: string; programId: string; fundPayer(seed: Uint8Array): Promise<void> }

export type OracleStart = {
  emitter: { chain: number; address: string }
  venuesUrl: string
  roundSeconds: number
  chains: DeployedChain[]
  solana?: OracleSolanaTarget
  keeper: KeeperConfigJson
  logDir: string
  healthTimeoutMs: number
}

/** @bulwark/oracle-aggregator's own CLI entry. */
const ORACLE_CLI = () => join(packageDir('@bulwark/oracle-aggregator'), 'bin', 'bulwark-oracle.ts')

/**
 * Starts every oracle node as its own `bulwark-oracle start --config` process. Each publishes to every
 * chain's PriceOracle (and the Solana program when given) and runs a liquidation keeper on the position
 * chain, all from its config file. Healthy = /healthz 200 (it priced a round).
 */
export async function startOracles(plans: OraclePlan[], sup: Supervisor, o: OracleStart): Promise<RunningOracle[]> {
  const position = o.chains.find((c) => c.role === 'position')!
  return Promise.all(
    plans.map(async (p) => {
      const sender = newKey()
      for (const c of o.chains) await fund(c.rpcUrl, sender.address, 10n ** 22n)
      await writeKeyFile(p.dir, 'sender.key', sender.key)
      const chains: Record<string, unknown>[] = []
      for (const c of o.chains) {
        await writeFile(join(p.dir, `deployment-${c.chainId}.json`), JSON.stringify(c.deployment, null, 2))
        chains.push({ type: 'evm', name: c.name, deployment: `deployment-${c.chainId}.json`, senderKeyFile: 'sender.key' })
      }
      if (o.solana) {
        const seed = randomBytes(32)
        await o.solana.fundPayer(seed)
        await writeKeyFile(p.dir, 'solana-payer.key', `0x${seed.toString('hex')}` as const)
        const { chainId, rpcUrl, wsUrl, programId } = o.solana
        chains.push({ type: 'solana', name: 'solana', chainId, rpcUrl, wsUrl, programId, payerKeyFile: 'solana-payer.key' })
      }
      const file = join(p.dir, 'oracle.json')
      const config = oracleConfig({ node: p, all: plans, emitter: o.emitter, venuesUrl: o.venuesUrl, roundSeconds: o.roundSeconds })
      await writeFile(file, JSON.stringify({ ...config, chains, keeper: { chains: [position.chainId], ...o.keeper } }, null, 2))
      const name = `oracle-${p.index}`
      const opsUrl = `http://127.0.0.1:${p.opsPort}`
      const proc = await sup.start({
        name,
        ...tsNode(ORACLE_CLI(), ['start', '--config', file]),
        logFile: join(o.logDir, `${name}.log`),
        healthTimeoutMs: o.healthTimeoutMs,
        health: () => httpOk(`${opsUrl}/healthz`),
      })
      return { ...p, name, opsUrl, pid: proc.pid }
    }),
  )
}
