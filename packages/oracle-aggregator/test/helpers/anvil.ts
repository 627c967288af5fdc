import { spawn, type ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { createServer } from 'node:net'

/** Path of the anvil binary shipped by @foundry-rs/anvil's platform package (spawned directly, so the pid is anvil's). */
export function anvilBinary(): string {
  const req = createRequire(import.meta.url)
  const wrapper = createRequire(req.resolve('@foundry-rs/anvil/package.json'))
  return join(dirname(wrapper.resolve('@foundry-rs/anvil-linux-amd64/package.json')), 'bin', 'anvil')
}

async function freePort(): Promise<number> {
  const s = createServer()
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  const port = (s.address() as { port: number }).port
  await new Promise((r) => s.close(r))
  return port
}

export type Anvil = { rpcUrl: string; process: ChildProcess; stop(): Promise<void> }

/** Starts anvil on 127.0.0.1 (a free port) and waits until it answers; stop() kills it by handle. */
export async function startAnvil(args: string[] = []): Promise<Anvil> {
  const port = await freePort()
  const child = spawn(anvilBinary(), ['--host', '127.0.0.1', '--port', String(port), '--silent', ...args], { stdio: 'ignore' })
  const rpcUrl = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 15_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`anvil exited with ${child.exitCode}`)
    try {
      const r = await fetch(rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' })
      if (r.ok) break
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error('anvil did not start within 15 s')
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  return {
    rpcUrl,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}
