/**
 * SHIM (devnet-local): runs one real oracle node (@bulwark/oracle-aggregator's OracleNode: sources,
 * aggregation, quorum signing over HTTP, publisher, liquidation keeper) with the chains it publishes
 * to and the keeper wired in. Needed because `bulwark-oracle start --config` has no chain or keeper
 * settings yet (it starts OracleNode without `chains` or `keeper`). Remove once the CLI has them.
 *
 *   node --import tsx bin/oracle-node.ts <devnet-oracle.json>
 * The file holds { oracle: <bulwark-oracle config>, keyFile, senderKeyFile, publishTo: BulwarkDeployment[],
 * keeper?: { deployment, config: KeeperConfig as JSON strings } }.
 */
import { readFileSync } from 'node:fs'
import { EvmChainAdapter, type BulwarkDeployment } from '@bulwark/contracts-evm'
import { hexToBytes, type ChainAdapter } from '@bulwark/core'
import { EvmKeeperChain, LiquidationKeeper, OracleNode, parseConfig, type KeeperConfig } from '@bulwark/oracle-aggregator'
import pino from 'pino'
import type { Hex } from 'viem'
import { keeperConfigFromJson, type KeeperConfigJson } from '../src/nodes/keeper-config.js'

type File = { oracle: unknown; keyFile: string; senderKeyFile: string; publishTo: BulwarkDeployment[]; keeper?: { deployment: BulwarkDeployment; config: KeeperConfigJson } }

async function main(): Promise<void> {
  const path = process.argv[2]
  if (!path) throw new Error('usage: oracle-node.ts <devnet-oracle.json>')
  const file = JSON.parse(readFileSync(path, 'utf8')) as File
  const config = parseConfig(file.oracle)
  const key = readFileSync(file.keyFile, 'utf8').trim()
  const sender = readFileSync(file.senderKeyFile, 'utf8').trim() as Hex
  const logger = pino({ level: config.logLevel, base: { service: 'bulwark-oracle', node: config.guardianIndex } })
  const chains: ChainAdapter[] = file.publishTo.map((d) => new EvmChainAdapter({ deployment: d, privateKey: sender, name: `evm-${d.chainId}` }))
  let keeper: LiquidationKeeper | undefined
  if (file.keeper) {
    const kc: KeeperConfig = keeperConfigFromJson(file.keeper.config)
    const chain = new EvmKeeperChain({ deployment: file.keeper.deployment, privateKey: sender, name: 'keeper' })
    keeper = new LiquidationKeeper(kc, { chains: [chain], logger: logger.child({ module: 'keeper' }) })
  }
  const node = new OracleNode(config, { logger, privateKey: hexToBytes(key as Hex, 'keyFile'), chains, keeper })
  await node.start()
  let stopping = false
  const shutdown = (signal: string): void => {
    if (stopping) return
    stopping = true
    logger.info({ signal }, 'shutting down')
    node.stop().then(
      () => process.exit(0),
      (e: unknown) => (logger.error({ err: e }, 'shutdown failed'), process.exit(1)),
    )
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGINT', () => shutdown('SIGINT'))
  console.log(JSON.stringify({ ready: true, peer: node.peerUrl, ops: node.opsUrl }))
}

main().catch((e: unknown) => {
  console.error(`oracle-node: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`)
  process.exit(1)
})
