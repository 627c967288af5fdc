import { createServer, type Server } from 'node:http'
import { SIGN_PATH } from './peer-protocol.js'
import type { SigningService } from './signing-service.js'
import { closeHttp, listenHttp } from '../ops/http-listen.js'

const MAX_BODY = 64 * 1024

/** HTTP endpoint where peers ask this node to co-sign (POST /v1/sign). */
export class PeerServer {
  #server: Server | undefined

  constructor(private readonly signing: SigningService) {}

  async start(port: number, host = '127.0.0.1'): Promise<string> {
    this.#server = createServer((req, res) => {
      const reply = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
      if (req.method !== 'POST' || req.url !== SIGN_PATH) return reply(404, { error: 'NotFound', message: `POST ${SIGN_PATH}` })
      const chunks: Buffer[] = []
      let size = 0
      req.on('data', (c: Buffer) => {
        size += c.length
        if (size > MAX_BODY) {
          reply(413, { error: 'InvalidParameter', field: 'body', message: 'request too large' })
          req.destroy()
        } else chunks.push(c)
      })
      req.on('end', () => {
        if (size > MAX_BODY) return
        let parsed: unknown
        try {
          parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'))
        } catch {
          return reply(400, { error: 'InvalidParameter', field: 'body', message: 'not JSON' })
        }
        const out = this.signing.handle(parsed)
        reply(out.status, out.body)
      })
    })
    return listenHttp(this.#server, port, host)
  }

  async stop(): Promise<void> {
    await closeHttp(this.#server)
  }
}
