import { createServer, type Server } from 'node:http'
import type { Registry } from 'prom-client'
import { closeHttp, listenHttp } from './http-listen.js'

export type OpsComponents = { registry: Registry; healthy: () => { ok: boolean; reason?: string }; status: () => unknown }

const json = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x))

/** GET /metrics (Prometheus text), /healthz (200 or 503 with the reason), /status (JSON). */
export class OpsServer {
  #server: Server | undefined

  constructor(private readonly c: OpsComponents) {}

  async start(port: number, host = '127.0.0.1'): Promise<string> {
    this.#server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0]
      if (req.method !== 'GET') return void res.writeHead(405).end()
      if (path === '/metrics') {
        this.c.registry.metrics().then(
          (text) => res.writeHead(200, { 'content-type': this.c.registry.contentType }).end(text),
          (e: Error) => res.writeHead(500).end(e.message),
        )
        return
      }
      if (path === '/healthz') {
        const h = this.c.healthy()
        return void res.writeHead(h.ok ? 200 : 503, { 'content-type': 'application/json' }).end(json(h))
      }
      if (path === '/status') return void res.writeHead(200, { 'content-type': 'application/json' }).end(json(this.c.status()))
      res.writeHead(404).end()
    })
    return listenHttp(this.#server, port, host)
  }

  async stop(): Promise<void> {
    await closeHttp(this.#server)
  }
}
