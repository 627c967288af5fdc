import { spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { addressOfPrivateKey, bytesToHex } from '@bulwark/core'
import { createServer } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ExchangeServer } from './helpers/exchange-server.js'

const here = dirname(fileURLToPath(import.meta.url))
const bin = join(here, '../bin/bulwark-oracle.ts')
const tsx = join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/cli.mjs')
const key = new Uint8Array(32).fill(7)
const exchanges = new ExchangeServer('30000')
let dir: string

async function freePort(): Promise<number> {
  const s = createServer()
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  const p = (s.address() as { port: number }).port
  await new Promise((r) => s.close(r))
  return p
}
function run(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [tsx, bin, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  child.stdout.on('data', (d) => (out += d))
  child.stderr.on('data', (d) => (out += d))
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
  return { child, exit, output: () => out }
}

beforeAll(async () => {
  const base = await exchanges.start()
  dir = mkdtempSync(join(tmpdir(), 'bulwark-oracle-'))
  const cfg = {
    guardianIndex: 0,
    oracleSet: { keys: [addressOfPrivateKey(key)] },
    emitter: { chain: 10002, address: `0x${'00'.repeat(31)}0c` },
    ops: { port: await freePort() },
    logLevel: 'info',
    markets: [{ marketId: 1, name: 'BTC-USD', minSources: 2, sources: [{ type: 'kraken', baseUrl: base, pair: 'XBTUSD' }, { type: 'binance', baseUrl: base, symbol: 'BTCUSDT' }] }],
  }
  writeFileSync(join(dir, 'node.json'), JSON.stringify(cfg))
  writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...cfg, emitter: { chain: 10002, address: '0x12' } }))
})
afterAll(() => exchanges.stop())

describe('bulwark-oracle CLI (tsx, no build)', () => {
  it('starts, answers status with a healthy priced market, and exits 0 on SIGTERM', async () => {
    const cfgPath = join(dir, 'node.json')
    const ops = (JSON.parse((await import('node:fs')).readFileSync(cfgPath, 'utf8')) as { ops: { port: number } }).ops.port
    const p = run(['start', '--config', cfgPath], { BULWARK_ORACLE_KEY: bytesToHex(key) })
    let healthy = false
    for (let i = 0; i < 100 && !healthy; i++) {
      await new Promise((r) => setTimeout(r, 200))
      healthy = await fetch(`http://127.0.0.1:${ops}/healthz`).then((r) => r.status === 200, () => false)
    }
    expect(healthy).toBe(true)
    const st = run(['status', '--url', `http://127.0.0.1:${ops}`])
    expect(await st.exit).toBe(0)
    expect(JSON.parse(st.output())).toMatchObject({ healthy: true, status: { markets: [{ marketId: 1, sources: 2 }] } })
    p.child.kill('SIGTERM')
    expect(await p.exit).toBe(0)
    expect(p.output()).toMatch(/oracle node stopped/)
  })

  it('a bad config exits 1 naming the field', async () => {
    const p = run(['start', '--config', join(dir, 'bad.json')], { BULWARK_ORACLE_KEY: bytesToHex(key) })
    expect(await p.exit).toBe(1)
    expect(p.output()).toMatch(/ConfigError: invalid config at emitter\.address/)
  })

  it('no key exits 1 and says where to put it', async () => {
    const env = { ...process.env }
    delete env['BULWARK_ORACLE_KEY']
    const child = spawn(process.execPath, [tsx, bin, 'start', '--config', join(dir, 'node.json')], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stderr.on('data', (d) => (out += d))
    expect(await new Promise((r) => child.on('exit', r))).toBe(1)
    expect(out).toMatch(/BULWARK_ORACLE_KEY/)
  })
})
