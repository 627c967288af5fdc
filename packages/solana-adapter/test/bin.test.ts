import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { createSolanaRpc } from '@solana/kit'
import { PROGRAM, SO } from './fixture.js'

const BIN = fileURLToPath(new URL('../bin/bulwark-solana-rpc', import.meta.url))
let child: ChildProcess | undefined

afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL')
})

describe('bin/bulwark-solana-rpc', () => {
  it('runs standalone: prints its URLs, serves the program, advances slots on a timer, stops on SIGTERM', async () => {
    child = spawn(process.execPath, [BIN, '--port', '0', '--program', `${PROGRAM}=${SO}`, '--slot-ms', '50', '--finalized-depth', '2'], { stdio: ['ignore', 'pipe', 'inherit'] })
    const first = await Promise.race([
      new Promise<string>((resolve) => createInterface({ input: child!.stdout! }).once('line', resolve)),
      new Promise<never>((_, rej) => setTimeout(() => rej(new Error('no ready line within 30 s')), 30_000).unref()),
    ])
    const ready = JSON.parse(first) as { url: string; wsUrl: string; port: number }
    expect(ready.url).toBe(`http://127.0.0.1:${ready.port}`)
    const rpc = createSolanaRpc(ready.url)
    expect(await rpc.getHealth().send()).toBe('ok')
    const info = await rpc.getAccountInfo(PROGRAM, { encoding: 'base64' }).send()
    expect(info.value?.executable).toBe(true)
    const a = await rpc.getSlot({ commitment: 'processed' }).send()
    await new Promise((r) => setTimeout(r, 400))
    const b = await rpc.getSlot({ commitment: 'processed' }).send()
    expect(b).toBeGreaterThan(a)
    const fin = await rpc.getSlot({ commitment: 'finalized' }).send()
    expect(fin).toBeLessThanOrEqual((await rpc.getSlot({ commitment: 'processed' }).send()) - 2n)
    const exited = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)))
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
  })

  it('refuses a bad --program argument with exit code 2', async () => {
    const p = spawn(process.execPath, [BIN, '--program', 'nonsense'], { stdio: ['ignore', 'ignore', 'pipe'] })
    let err = ''
    p.stderr!.on('data', (d: Buffer) => (err += d.toString()))
    expect(await new Promise((r) => p.once('exit', r))).toBe(2)
    expect(err).toContain('--program: expected <id>=<path.so>')
  })
})
