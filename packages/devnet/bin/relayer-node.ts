/**
 * SHIM (devnet-local): runs one real relayer node (the @bulwark/relayer library: libp2p gossip,
 * attestation, watcher, delivery) with chain adapters built by the devnet. Needed because the
 * relayer CLI builds EVM adapters with `createEvmAdapter` from @bulwark/contracts-evm, which that
 * package does not export (it exports the EvmChainAdapter class), and because the relayer's config
 * has no Solana chain kind yet. Remove once `bulwark-relayer start --config` can do both.
 *
 *   node --import tsx bin/relayer-node.ts <devnet-relayer.json>
 * The file holds { relayer: <bulwark-relayer config>, deployments: { <chainId>: BulwarkDeployment } }.
 * Keys: BULWARK_KEYSTORE_PASSWORD (guardian keystore), BULWARK_SENDER_KEY (pays for deliveries).
 */
import '../node_modules/@bulwark/relayer/src/polyfill.js'
import { readFile } from 'node:fs/promises'
import { EvmChainAdapter, type BulwarkDeployment } from '@bulwark/contracts-evm'
import type { ChainAdapter } from '@bulwark/core'
import pino from 'pino'
import type { Hex } from 'viem'
import { parseConfig } from '../node_modules/@bulwark/relayer/src/config.js'
import { startRelayer } from '../node_modules/@bulwark/relayer/src/relayer.js'
import { readKeystore } from '../node_modules/@bulwark/relayer/src/services/signer/keystore.js'

async function main(): Promise<void> {
  const path = process.argv[2]
  if (!path) throw new Error('usage: relayer-node.ts <devnet-relayer.json>')
  const file = JSON.parse(await readFile(path, 'utf8')) as { relayer: unknown; deployments: Record<string, BulwarkDeployment> }
  const config = parseConfig(file.relayer)
  const src = config.guardianKey
  if (!('keystore' in src)) throw new Error('relayer-node: the devnet uses keystore guardian keys')
  const password = process.env[src.passwordEnv]
  if (password === undefined) throw new Error(`${src.passwordEnv} is not set`)
  const key = await readKeystore(src.keystore, password)
  const sender = process.env['BULWARK_SENDER_KEY'] as Hex | undefined
  const adapters = new Map<number, ChainAdapter>()
  for (const c of config.chains) {
    const deployment = file.deployments[String(c.chainId)]
    if (!deployment) throw new Error(`no deployment for chain ${c.chainId}`)
    adapters.set(c.chainId, new EvmChainAdapter({ deployment, name: c.name, privateKey: sender, safeDepth: 1n, finalizedDepth: 2n }))
  }
  const logger = pino({ level: config.log.level })
  const relayer = await startRelayer({ config, guardianKey: key, adapters, logger })
  let stopping = false
  const shutdown = (signal: string): void => {
    if (stopping) return
    stopping = true
    logger.info({ signal }, 'shutting down')
    relayer.stop().then(
      () => process.exit(0),
      (e: unknown) => (logger.error({ err: e }, 'shutdown failed'), process.exit(1)),
    )
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGINT', () => shutdown('SIGINT'))
  console.log(JSON.stringify({ ready: true, peerId: relayer.peerId, opsPort: relayer.opsPort, addresses: relayer.addresses }))
}

main().catch((e: unknown) => {
  console.error(`relayer-node: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`)
  process.exit(1)
})
