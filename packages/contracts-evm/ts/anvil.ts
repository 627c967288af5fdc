import { readFileSync } from 'node:fs'
import { readdir, readFile, readlink } from 'node:fs/promises'
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
 * Whether process `pid` holds the listening socket of 127.0.0.1:`port` (Linux /proc); undefined
 * where /proc cannot tell.
 */
async function listensOn(pid: number, port: number): Promise<boolean | undefined> {
  let table: string
  try {
    table = await readFile('/proc/net/tcp', 'utf8')
  } catch {
    return undefined
  }
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`
  const inodes = new Set(
    table
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .filter((f) => f[1] === local && f[3] === '0A') // 0A: LISTEN
      .map((f) => `socket:[${f[9]}]`),
  )
  if (inodes.size === 0) return false
  try {
    for (const fd of await readdir(`/proc/${pid}/fd`)) if (inodes.has(await readlink(`/proc/${pid}/fd/${fd}`).catch(() => ''))) return true
  } catch {
    return false // the process is gone
  }
  return false
}

/**
 * Starts a real anvil (from the @foundry-rs/anvil platform package) bound to 127.0.0.1 and
 * resolves once its JSON-RPC answers. Stop it with the returned handle's `stop()`.
 *
 * Ready means that this anvil answers: a port picked by freePort can be taken by another process
 * before anvil binds it (anvil then exits), and that process's RPC must not pass for this one
 * (tests would run on another test's chain). Such a port is replaced by a new one (3 tries); a
 * port given in `opts.port` that another process holds is an error.
 */
export async function startAnvil(opts: StartAnvilOptions = {}): Promise<AnvilHandle> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await spawnAnvil(opts.port ?? (await freePort()), opts)
    } catch (e) {
      if (opts.port !== undefined || !(e instanceof PortTakenError) || attempt >= 3) throw e
    }
  }
}

class PortTakenError extends Error {}

async function spawnAnvil(port: number, opts: StartAnvilOptions): Promise<AnvilHandle> {
  const args = ['--host', '127.0.0.1', '--port', String(port), '--chain-id', String(opts.chainId ?? 31337), '--silent']
  if (opts.blockTime !== undefined) args.push('--block-time', String(opts.blockTime))
  const child: ChildProcess = spawn(foundryBin('anvil'), args, { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr?.on('data', (d) => (stderr += String(d)))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 15_000)
  for (;;) {
    const answers = await rpcReady(url)
    const mine = answers ? await listensOn(child.pid!, port) : false
    if (answers && mine !== false && child.exitCode === null) break
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL')
      await exited
      const why = `anvil did not start on ${url}: ${stderr.trim() || 'timeout'}`
      if (answers && !mine) throw new PortTakenError(`${why} (another process answers on that port)`)
      throw new Error(why)
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
