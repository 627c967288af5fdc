import { readFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { DevnetState } from './state.js'

const STATIC: Record<string, [file: string, type: string]> = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/app.js': ['app.js', 'text/javascript; charset=utf-8'],
  '/style.css': ['style.css', 'text/css; charset=utf-8'],
}

/** The status page: a static HTML+JS page polling GET /api/state. Binds 127.0.0.1 only. */
export class PageServer {
  #server: Server | undefined
  url = ''

  constructor(private readonly state: () => DevnetState) {}

  async start(port = 0): Promise<string> {
    const files = new Map<string, Buffer>()
    for (const [path, [file]] of Object.entries(STATIC)) files.set(path, await readFile(new URL(`./static/${file}`, import.meta.url)))
    this.#server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname
      if (req.method !== 'GET') return void res.writeHead(405).end()
      if (path === '/api/state') {
        const body = JSON.stringify(this.state(), (_k, v) => (typeof v === 'bigint' ? v.toString() : v))
        return void res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(body)
      }
      const s = STATIC[path]
      if (!s) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
      res.writeHead(200, { 'content-type': s[1], 'cache-control': 'no-store' }).end(files.get(path))
    })
    await new Promise<void>((r) => this.#server!.listen(port, '127.0.0.1', r))
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/`
    return this.url
  }

  async stop(): Promise<void> {
    const s = this.#server
    if (!s) return
    s.closeAllConnections()
    await new Promise<void>((r) => s.close(() => r()))
  }
}
