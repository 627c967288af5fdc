import { readFileSync } from 'node:fs'
import { spawn, type ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'

const require = createRequire(import.meta.url)
const { foundryBin } = require('../scripts/foundry-bin.cjs') as { foundryBin: (tool: string) => string }

export type StartAnvilOptions = {
  /** TCP port on 127.0.0.1. @default a free port chosen by the OS */
  port?: number
  /** Seconds between blocks; omitted = a block per transaction (automine). */
  blockTime?: number
  /** EVM chain id. @default 31337 */
  chainId?: number
  /** Milliseconds to wait for the RPC to answer. @default 15000 */
  readyTimeoutMs?: number
}

export type AnvilHandle = {
  url: string
  port: number
  pid: number
  /** Stops this anvil (by its process handle) and waits for it to exit. */
  stop(): Promise<void>
}

/** Lowest port of the kernel's ephemeral range (outgoing connections take their source ports there). */
function ephemeralLow(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number)
    return low && low > 12_000 ? low : 32_768
  } catch {
    return 32_768
  }
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer()
    srv.once('error', () => resolve(false))
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)))
  })
}

/**
 * A free TCP port on 127.0.0.1 for a process that binds it later. Picked below the kernel's
 * ephemeral range: a port from listen(0) lies inside it, and before the process binds, any outgoing
 * connection on the machine may take it as its source port.
 */
export async function freePort(): Promise<number> {
  const high = ephemeralLow()
  for (let i = 0; i < 200; i++) {
    const port = 10_000 + Math.floor(Math.random() * (high - 10_000))
    if (await canBind(port)) return port
  }
  throw new Error(`no free port on 127.0.0.1 in 10000..${high} after 200 tries`)
}

async function rpcReady(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
      signal: AbortSignal.timeout(1000),
    })
    return res.ok
  } catch {
    return false
  }
}

/**
 * Starts a real anvil (from the @foundry-rs/anvil platform package) bound to 127.0.0.1 and
 * resolves once its JSON-RPC answers. Stop it with the returned handle's `stop()`.
 */
export async function startAnvil(opts: StartAnvilOptions = {}): Promise<AnvilHandle> {
  const port = opts.port ?? (await freePort())
  const args = ['--host', '127.0.0.1', '--port', String(port), '--chain-id', String(opts.chainId ?? 31337), '--silent']
  if (opts.blockTime !== undefined) args.push('--block-time', String(opts.blockTime))
  const child: ChildProcess = spawn(foundryBin('anvil'), args, { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr?.on('data', (d) => (stderr += String(d)))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 15_000)
  while (!(await rpcReady(url))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`anvil did not start on ${url}: ${stderr.trim() || 'timeout'}`)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  return {
    url,
    port,
    pid: child.pid!,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000)
      await exited
      clearTimeout(timer)
    },
  }
}
