import { createServer } from 'node:net'

/**
 * Free TCP ports on 127.0.0.1, never the same one twice in a process (the OS could hand a port
 * back before the process it was meant for binds it).
 */
export class PortAllocator {
  readonly #given = new Set<number>()

  async next(): Promise<number> {
    for (let i = 0; i < 50; i++) {
      const p = await freePort()
      if (!this.#given.has(p)) {
        this.#given.add(p)
        return p
      }
    }
    throw new Error('no free port found on 127.0.0.1 after 50 tries')
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const a = s.address()
      const port = typeof a === 'object' && a ? a.port : 0
      s.close(() => resolve(port))
    })
  })
}
