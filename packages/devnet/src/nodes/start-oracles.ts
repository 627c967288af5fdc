import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { DeployedChain } from '../chains/deploy.js'
import { fund } from '../chains/evm.js'
import { newKey, writeKeyFile, type KeyPair } from '../keys.js'
import type { Supervisor } from '../supervisor/supervisor.js'
import type { PortAllocator } from '../util/ports.js'
import { httpOk } from '../util/wait.js'
import { devnetBin, tsNode } from './bins.js'
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

export type OracleStart = {
  emitter: { chain: number; address: string }
  venuesUrl: string
  roundSeconds: number
  chains: DeployedChain[]
  keeper: KeeperConfigJson
  logDir: string
  healthTimeoutMs: number
}

/**
 * Starts every oracle node as its own process. Each publishes to every chain's PriceOracle and runs a
 * liquidation keeper on the position chain. Healthy = /healthz 200 (it priced a round).
 */
export async function startOracles(plans: OraclePlan[], sup: Supervisor, o: OracleStart): Promise<RunningOracle[]> {
  const position = o.chains.find((c) => c.role === 'position')!
  return Promise.all(
    plans.map(async (p) => {
      const sender = newKey()
      for (const c of o.chains) await fund(c.rpcUrl, sender.address, 10n ** 22n)
      const senderKeyFile = await writeKeyFile(p.dir, 'sender.key', sender.key)
      const file = join(p.dir, 'devnet-oracle.json')
      const oracle = oracleConfig({ node: p, all: plans, emitter: o.emitter, venuesUrl: o.venuesUrl, roundSeconds: o.roundSeconds })
      delete oracle['keyFile']
      await writeFile(
        file,
        JSON.stringify({ oracle, keyFile: p.keyFile, senderKeyFile, publishTo: o.chains.map((c) => c.deployment), keeper: { deployment: position.deployment, config: o.keeper } }, null, 2),
      )
      const name = `oracle-${p.index}`
      const opsUrl = `http://127.0.0.1:${p.opsPort}`
      const proc = await sup.start({
        name,
        ...tsNode(devnetBin('oracle-node.ts'), [file]),
        logFile: join(o.logDir, `${name}.log`),
        healthTimeoutMs: o.healthTimeoutMs,
        health: () => httpOk(`${opsUrl}/healthz`),
      })
      return { ...p, name, opsUrl, pid: proc.pid }
    }),
  )
}
