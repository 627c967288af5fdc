import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { isBulwarkError } from '@bulwark/core'
import type { Registry } from 'prom-client'

export type OpsHandlers = {
  registry: Registry
  healthy: () => boolean
  status: () => Promise<unknown>
  deadLetters: () => Promise<unknown>
  retry: (digest: string) => Promise<unknown>
  /** Applies a governance VAA given as 0x hex. */
  governance: (vaaHex: string) => Promise<unknown>
}

/** A request body of at most `max` bytes. */
async function readBody(req: AsyncIterable<Buffer>, max = 65_536): Promise<string> {
  let size = 0
  const parts: Buffer[] = []
  for await (const chunk of req) {
    size += chunk.length
    if (size > max) throw Object.assign(new Error(`body over ${max} bytes`), { name: 'BadRequest' })
    parts.push(chunk)
  }
  return Buffer.concat(parts).toString('utf8')
}

const json = (v: unknown): string => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x))

/**
 * Operator HTTP endpoint: GET /metrics (Prometheus), /healthz, /status, /dlq and
 * POST /dlq/<digest>/retry. Binds the configured host (127.0.0.1 by default).
 */
export async function startOpsServer(host: string, port: number, h: OpsHandlers): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    const send = (code: number, body: string, type = 'application/json'): void => {
      res.writeHead(code, { 'content-type': type })
      res.end(body)
    }
    const url = new URL(req.url ?? '/', 'http://x')
    const run = async (): Promise<void> => {
      if (req.method === 'GET' && url.pathname === '/metrics') return send(200, await h.registry.metrics(), h.registry.contentType)
      if (req.method === 'GET' && url.pathname === '/healthz') return h.healthy() ? send(200, '{"ok":true}') : send(503, '{"ok":false}')
      if (req.method === 'GET' && url.pathname === '/status') return send(200, json(await h.status()))
      if (req.method === 'GET' && url.pathname === '/dlq') return send(200, json(await h.deadLetters()))
      const m = /^\/dlq\/(0x[0-9a-f]{64})\/retry$/.exec(url.pathname)
      if (req.method === 'POST' && m) return send(200, json(await h.retry(m[1]!)))
      if (req.method === 'POST' && url.pathname === '/governance') {
        const { vaa } = JSON.parse(await readBody(req)) as { vaa?: unknown }
        if (typeof vaa !== 'string' || !/^0x([0-9a-fA-F]{2})+$/.test(vaa)) throw Object.assign(new Error('expected {"vaa":"0x..."}'), { name: 'BadRequest' })
        return send(200, json(await h.governance(vaa)))
      }
      send(404, '{"error":"not found"}')
    }
    run().catch((e: Error) => send(e.name === 'NotFound' ? 404 : e.name === 'BadRequest' || e instanceof SyntaxError || isBulwarkError(e) ? 400 : 500, json({ error: e.name, message: e.message })))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve())
  })
  return { server, port: (server.address() as AddressInfo).port }
}
