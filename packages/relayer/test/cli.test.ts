import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CONTRACTS } from './support/cluster.js'
import { BIN } from './support/e2e.js'

type Run = { code: number; stdout: string; stderr: string }
const run = (args: string[], env: Record<string, string> = {}): Promise<Run> =>
  new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, timeout: 30_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    )
  })

describe('bulwark-relayer CLI (bin/, through tsx, no build)', () => {
  let dir: string
  let config: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bulwark-cli-'))
    config = join(dir, 'config.json')
    await writeFile(config, JSON.stringify({
      network: 'bulwark-test',
      dataDir: join(dir, 'data'),
      guardianKey: { env: 'BULWARK_GUARDIAN_KEY' },
      guardians: [{ address: '0x' + '11'.repeat(20), peerId: '12D3KooWabc' }],
      chains: [{ chainId: 10002, name: 'a', kind: 'evm', rpcUrl: 'http://127.0.0.1:1', contracts: CONTRACTS, deliver: false }],
      ops: { port: 1 },
    }))
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))

  it('keys init writes an encrypted keystore and a node key, and never prints the secret', async () => {
    const out = join(dir, 'guardian.json')
    const r = await run(['keys', 'init', '--out', out, '--node-key', join(dir, 'node.key')], { BULWARK_KEYSTORE_PASSWORD: 'pw' })
    expect(r.code).toBe(0)
    const printed = JSON.parse(r.stdout) as { address: string; peerId: string }
    expect(printed.address).toMatch(/^0x[0-9a-f]{40}$/)
    expect(printed.peerId).toMatch(/^12D3KooW/)
    const file = JSON.parse(await readFile(out, 'utf8')) as { address: string; ciphertext: string }
    expect(file.address).toBe(printed.address)
    expect(r.stdout).not.toContain(file.ciphertext)
    expect((await run(['keys', 'init', '--out', out])).code).not.toBe(0)
  })

  it('refuses a bad config with an error naming the field and exit code 2', async () => {
    const bad = join(dir, 'bad.json')
    await writeFile(bad, JSON.stringify({ network: 'x', dataDir: dir, guardianKey: { env: 'K' }, guardians: [], chains: [] }))
    const r = await run(['start', '--config', bad])
    expect(r.code).toBe(2)
    expect(JSON.parse(r.stderr)).toMatchObject({ error: 'InvalidConfig', field: 'guardians' })
    await writeFile(bad, '{ not json')
    expect(JSON.parse((await run(['status', '--config', bad])).stderr)).toMatchObject({ error: 'InvalidConfig', field: '(root)' })
  })

  it('start without the guardian key variable names it', async () => {
    const r = await run(['start', '--config', config], { BULWARK_GUARDIAN_KEY: '' })
    expect(r.code).toBe(2)
    expect(JSON.parse(r.stderr)).toMatchObject({ error: 'InvalidConfig', field: 'guardianKey.env' })
  })

  it('status and dlq work from the store while the node is stopped', async () => {
    const s = await run(['status', '--config', config])
    expect(s.code).toBe(0)
    expect(JSON.parse(s.stdout)).toMatchObject({ running: false, deadLetters: 0, cursors: { '10002': null } })
    const l = await run(['dlq', 'list', '--config', config])
    expect(JSON.parse(l.stdout)).toEqual([])
    const retry = await run(['dlq', 'retry', '0x' + 'ab'.repeat(32), '--config', config])
    expect(retry.code).toBe(2)
    expect(JSON.parse(retry.stderr)).toMatchObject({ error: 'NotFound', field: 'digest' })
    expect(JSON.parse((await run(['dlq', 'retry', '0x12', '--config', config])).stderr)).toMatchObject({ field: 'digest' })
  })
})
