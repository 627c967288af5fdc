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
import { ConfigError, parseConfig } from '../src/config.js'
import { OracleNode } from '../src/services/node/oracle-node.js'

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1] : undefined
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
  const node = new OracleNode(config, { logger, privateKey: hexToBytes(keyHex, 'BULWARK_ORACLE_KEY') })
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
