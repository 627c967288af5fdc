import { generateKeyPairSync } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { createKeyPairSignerFromBytes } from '@solana/kit'
import { join } from 'node:path'
import type { Hex } from 'viem'
import type { DeployedChain } from '../chains/deploy.js'
import { fund } from '../chains/evm.js'
import type { Supervisor } from '../supervisor/supervisor.js'
import type { PortAllocator } from '../util/ports.js'
import { httpOk, waitFor } from '../util/wait.js'
import { packageDir, tsNode } from './bins.js'
import { newKey } from '../keys.js'
import { relayerConfig, SENDER_KEY_ENV, SOLANA_PAYER_ENV, type RelayerPlan, type RelayerSolana } from './relayer-config.js'
import { relayerKeysInit } from './relayer-keys.js'

export const KEYSTORE_PASSWORD = 'bulwark-devnet'

/** Guardian identities for n relayers (generated in parallel by the relayer CLI). */
export async function planRelayers(n: number, root: string, ports: PortAllocator): Promise<RelayerPlan[]> {
  return Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const dir = join(root, `relayer-${i}`)
      await mkdir(dir, { recursive: true, mode: 0o700 })
      const p2pPort = await ports.next()
      const opsPort = await ports.next()
      return { index: i, name: `relayer-${i}`, dir, p2pPort, opsPort, id: await relayerKeysInit(dir, KEYSTORE_PASSWORD) }
    }),
  )
}

export type RunningRelayer = RelayerPlan & { opsUrl: string; pid: number }

/** @bulwark/relayer's own CLI entry (bin/cli.ts; bin/bulwark-relayer is its sh wrapper). */
const RELAYER_CLI = () => join(packageDir('@bulwark/relayer'), 'bin', 'cli.ts')

/** Starts every relayer as its own `bulwark-relayer start --config` process; healthy = /healthz answers 200. Then waits for the full mesh. */
export async function startRelayers(plans: RelayerPlan[], chains: DeployedChain[], sup: Supervisor, o: { logDir: string; healthTimeoutMs: number; solana?: RelayerSolana & { fund(address: string): Promise<void> } }): Promise<RunningRelayer[]> {
  const out: RunningRelayer[] = []
  await Promise.all(
    plans.map(async (p) => {
      const sender = newKey()
      for (const c of chains) await fund(c.rpcUrl, sender.address, 10n ** 22n)
      const file = join(p.dir, 'relayer.json')
      const sol = o.solana ? await solanaPayer() : undefined
      if (sol) await o.solana!.fund(sol.address)
      const { fund: _, ...solana } = o.solana ?? { fund: undefined }
      await writeFile(file, JSON.stringify(relayerConfig(p, plans, chains, o.solana ? (solana as RelayerSolana) : undefined), null, 2))
      const opsUrl = `http://127.0.0.1:${p.opsPort}`
      const proc = await sup.start({
        name: p.name,
        ...tsNode(RELAYER_CLI(), ['start', '--config', file]),
        env: { BULWARK_KEYSTORE_PASSWORD: KEYSTORE_PASSWORD, [SENDER_KEY_ENV]: sender.key as Hex, ...(sol ? { [SOLANA_PAYER_ENV]: sol.secret } : {}) },
        logFile: join(o.logDir, `${p.name}.log`),
        healthTimeoutMs: o.healthTimeoutMs,
        health: () => httpOk(`${opsUrl}/healthz`),
      })
      out.push({ ...p, opsUrl, pid: proc.pid })
    }),
  )
  out.sort((a, b) => a.index - b.index)
  if (plans.length > 1) {
    await waitFor(
      async () => {
        for (const r of out) {
          const s = (await (await fetch(`${r.opsUrl}/status`, { signal: AbortSignal.timeout(1000) })).json()) as { peers: string[] }
          if (s.peers.length < plans.length - 1) return false
        }
        return true
      },
      { what: 'every relayer to be connected to every other', timeoutMs: o.healthTimeoutMs, intervalMs: 300 },
    )
  }
  return out
}

/** A fresh Solana keypair as the 64-byte JSON array (solana-keygen format) the relayer reads. */
async function solanaPayer(): Promise<{ secret: string; address: string }> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  const bytes = Uint8Array.from([...privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(-32), ...publicKey.export({ format: 'der', type: 'spki' }).subarray(-32)])
  return { secret: JSON.stringify([...bytes]), address: (await createKeyPairSignerFromBytes(bytes)).address }
}
