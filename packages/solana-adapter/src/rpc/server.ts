/** The Solana JSON-RPC (HTTP) + PubSub (WebSocket) server over a LocalChain, bound to 127.0.0.1. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import { LocalChain, type ChainOptions } from './chain.js'
import { RPC_CODE, RpcError, fail, ok, stringify, type JsonRpcRequest } from './json.js'
import { METHODS } from './methods.js'
import { TOKEN_METHODS } from './token-methods.js'

const ALL_METHODS = { ...METHODS, ...TOKEN_METHODS }
import { Subscriptions } from './subscriptions.js'

export type SolanaRpcOptions = ChainOptions & {
  /** TCP port for HTTP and WebSocket; 0 picks a free one. @default 0 */
  port?: number
  /** Also serve WebSocket on this port (web3.js 1.x connects to port + 1 by default). @default none */
  wsPort?: number
  /** @default '127.0.0.1' */
  host?: string
  /** Produce an empty block every this many ms (0: only when transactions land). @default 0 */
  slotIntervalMs?: number
  /** Largest request body accepted, in bytes. @default 10 MiB */
  maxBodyBytes?: number
}

export interface SolanaRpcHandle {
  readonly url: string
  readonly wsUrl: string
  readonly port: number
  readonly chain: LocalChain
  stop(): Promise<void>
}

async function dispatch(chain: LocalChain, req: JsonRpcRequest, ws?: { socket: WebSocket; subs: Subscriptions; after: (() => void)[] }) {
  const id = req?.id ?? null
  try {
    if (typeof req !== 'object' || req === null || req.jsonrpc !== '2.0' || typeof req.method !== 'string') {
      throw new RpcError(RPC_CODE.invalidRequest, 'Invalid request')
    }
    if (req.params !== undefined && !Array.isArray(req.params)) throw new RpcError(RPC_CODE.invalidParams, 'Invalid params: expected an array')
    const params = (req.params ?? []) as unknown[]
    if (ws) {
      const r = ws.subs.handle(ws.socket, req.method, params)
      if (r) {
        if (r.after) ws.after.push(r.after)
        return ok(id, r.result)
      }
    }
    const m = Object.hasOwn(ALL_METHODS, req.method) ? ALL_METHODS[req.method] : undefined
    if (!m) throw new RpcError(RPC_CODE.methodNotFound, 'Method not found')
    return ok(id, await m(chain, params))
  } catch (e) {
    if (e instanceof RpcError) return fail(id, e)
    return fail(id, new RpcError(RPC_CODE.internal, `Internal error: ${(e as Error)?.message ?? String(e)}`))
  }
}

async function answer(chain: LocalChain, text: string, ws?: Parameters<typeof dispatch>[2]): Promise<string> {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return stringify(fail(null, new RpcError(RPC_CODE.parseError, 'Parse error')))
  }
  if (Array.isArray(body)) {
    if (body.length === 0) return stringify(fail(null, new RpcError(RPC_CODE.invalidRequest, 'Invalid request')))
    const out = []
    for (const r of body) out.push(await dispatch(chain, r as JsonRpcRequest, ws))
    return stringify(out)
  }
  return stringify(await dispatch(chain, body as JsonRpcRequest, ws))
}

function onHttp(chain: LocalChain, maxBody: number) {
  return (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'GET' && req.url === '/health') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok')
    if (req.method !== 'POST') return void res.writeHead(405, { allow: 'POST' }).end()
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > maxBody) {
        res.writeHead(413).end()
        req.destroy()
      } else chunks.push(c)
    })
    req.on('end', () => {
      if (res.writableEnded) return
      void answer(chain, Buffer.concat(chunks).toString('utf8')).then((text) => res.writeHead(200, { 'content-type': 'application/json' }).end(text))
    })
  }
}

function attachWs(server: Server, chain: LocalChain, subs: Subscriptions): WebSocketServer {
  const wss = new WebSocketServer({ server })
  wss.on('connection', (socket) => {
    socket.on('message', (data) => {
      const after: (() => void)[] = []
      void answer(chain, data.toString(), { socket, subs, after }).then((text) => {
        if (socket.readyState === socket.OPEN) socket.send(text)
        for (const f of after) f()
      })
    })
    socket.on('close', () => subs.drop(socket))
    socket.on('error', () => subs.drop(socket))
  })
  return wss
}

const listen = (s: Server, port: number, host: string) =>
  new Promise<number>((resolve, reject) => {
    s.once('error', reject)
    s.listen(port, host, () => resolve((s.address() as AddressInfo).port))
  })

/** Starts the server; resolves once it listens. Stop it with the handle's `stop()`. */
export async function startSolanaRpc(options: SolanaRpcOptions = {}): Promise<SolanaRpcHandle> {
  const host = options.host ?? '127.0.0.1'
  const chain = new LocalChain(options)
  const subs = new Subscriptions(chain)
  const servers: Server[] = []
  const wsServers: WebSocketServer[] = []
  const http = createServer(onHttp(chain, options.maxBodyBytes ?? 10 * 1024 * 1024))
  servers.push(http)
  wsServers.push(attachWs(http, chain, subs))
  const port = await listen(http, options.port ?? 0, host)
  if (options.wsPort !== undefined) {
    const wsOnly = createServer((_req, res) => void res.writeHead(426).end())
    servers.push(wsOnly)
    wsServers.push(attachWs(wsOnly, chain, subs))
    await listen(wsOnly, options.wsPort, host)
  }
  const timer = options.slotIntervalMs ? setInterval(() => chain.advance(1), options.slotIntervalMs) : undefined
  timer?.unref()
  let stopped = false
  return {
    url: `http://${host}:${port}`,
    wsUrl: `ws://${host}:${port}`,
    port,
    chain,
    async stop() {
      if (stopped) return
      stopped = true
      if (timer) clearInterval(timer)
      subs.close()
      for (const w of wsServers) {
        for (const c of w.clients) c.terminate()
        await new Promise<void>((r) => w.close(() => r()))
      }
      for (const s of servers) {
        s.closeAllConnections()
        await new Promise<void>((r) => s.close(() => r()))
      }
    },
  }
}
