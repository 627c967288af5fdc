#!/usr/bin/env tsx
/**
 * bulwark-oracle — the oracle node CLI. The only place that reads the environment and files.
 *
 *   bulwark-oracle start --config node.json     key: BULWARK_ORACLE_KEY (hex) or config "keyFile"
 *   bulwark-oracle status [--url http://127.0.0.1:9464]
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { hexToBytes } from '@bulwark/core'
import pino from 'pino'
import { buildChains, keeperConfigOf, type ChainFiles } from '../src/chains/build-chains.js'
import { ConfigError, parseConfig, type OracleConfig } from '../src/config.js'
import { LiquidationKeeper } from '../src/services/keeper/keeper.js'
import { OracleNode } from '../src/services/node/oracle-node.js'

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1] : undefined
}

/** A key file: hex (0x optional) or a JSON array of bytes (solana-keygen). */
function readKey(file: string, field: string): Uint8Array {
  const text = readFileSync(file, 'utf8').trim()
  if (text.startsWith('[')) return Uint8Array.from(JSON.parse(text) as number[])
  return hexToBytes((text.startsWith('0x') ? text : `0x${text}`) as `0x${string}`, field)
}

/** Reads the files each chain entry names, relative to the config's directory. */
function chainFiles(config: OracleConfig, dir: string): ChainFiles[] {
  return config.chains.map((c, i) => {
    const at = (p: string) => resolve(dir, p)
    try {
      if (c.type === 'evm') return { deployment: JSON.parse(readFileSync(at(c.deployment), 'utf8')), key: readKey(at(c.senderKeyFile), `chains.${i}.senderKeyFile`) }
      return { key: readKey(at(c.payerKeyFile), `chains.${i}.payerKeyFile`) }
    } catch (e) {
      if (e instanceof ConfigError) throw e
      throw new ConfigError(`chains.${i}`, [(e as Error).message])
    }
  })
}

async function start(): Promise<void> {
  const path = arg('config')
  if (!path) throw new ConfigError('--config', ['start needs --config <file.json>'])
  const raw = JSON.parse(readFileSync(resolve(path), 'utf8')) as Record<string, unknown>
  const keyFile = typeof raw['keyFile'] === 'string' ? resolve(resolve(path, '..'), raw['keyFile']) : undefined
  delete raw['keyFile']
  const config = parseConfig(raw)
  const keyHex = process.env['BULWARK_ORACLE_KEY'] ?? (keyFile ? readFileSync(keyFile, 'utf8').trim() : undefined)
  if (!keyHex) throw new ConfigError('keyFile', ['set BULWARK_ORACLE_KEY or "keyFile" in the config'])
  const logger = pino({ level: config.logLevel, base: { service: 'bulwark-oracle' } })
  const { chains, keeperChains } = await buildChains(config.chains, chainFiles(config, resolve(path, '..')), config.keeper, {
    onEvmSend: (chain, tx) => {
      if (tx.bump > 0) logger.warn({ chain, call: tx.functionName, nonce: tx.nonce, bump: tx.bump, hash: tx.hash, maxFeePerGas: tx.maxFeePerGas.toString() }, 'transaction not mined in time: replaced with higher fees')
    },
  })
  const keeper = config.keeper ? new LiquidationKeeper(keeperConfigOf(config.keeper), { chains: keeperChains, logger: logger.child({ module: 'keeper' }) }) : undefined
  const node = new OracleNode(config, { logger, privateKey: hexToBytes(keyHex, 'BULWARK_ORACLE_KEY'), chains, ...(keeper ? { keeper } : {}) })
  await node.start()
  let stopping = false
  const shutdown = (signal: string) => {
    if (stopping) return
    stopping = true
    logger.info({ signal }, 'shutting down')
    node.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        logger.error({ err: e }, 'shutdown failed')
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGINT', () => shutdown('SIGINT'))
}

async function status(): Promise<void> {
  const url = arg('url') ?? `http://127.0.0.1:${process.env['BULWARK_ORACLE_OPS_PORT'] ?? 9464}`
  const [h, s] = await Promise.all([fetch(`${url}/healthz`), fetch(`${url}/status`)])
  process.stdout.write(`${JSON.stringify({ healthy: h.status === 200, health: await h.json(), status: await s.json() }, null, 2)}\n`)
  process.exitCode = h.status === 200 ? 0 : 1
}

const cmd = process.argv[2]
const run = cmd === 'start' ? start : cmd === 'status' ? status : undefined
if (!run) {
  process.stderr.write('usage: bulwark-oracle start --config <file.json> | status [--url <ops url>]\n')
  process.exit(2)
}
run().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}\n`)
  process.exit(1)
})
