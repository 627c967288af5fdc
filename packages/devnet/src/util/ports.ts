import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'

/** Lowest port of the kernel's ephemeral range (outgoing connections take their source ports there). */
function ephemeralLow(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number)
    return low && low > 12_000 ? low : 32_768
  } catch {
    return 32_768
  }
}

/**
 * Free TCP ports on 127.0.0.1, never the same one twice in a process. They are picked below the
 * kernel's ephemeral range: a port from listen(0) lies inside it, and between our probe and the
 * child's bind any outgoing connection (RPC, libp2p dials) may take it as its source port.
 */
export class PortAllocator {
  readonly #given = new Set<number>()

  readonly #high = ephemeralLow()

  async next(): Promise<number> {
    for (let i = 0; i < 200; i++) {
      const p = 10_000 + Math.floor(Math.random() * (this.#high - 10_000))
      if (this.#given.has(p) || !(await canBind(p))) continue
      this.#given.add(p)
      return p
    }
    throw new Error(`no free port found on 127.0.0.1 in 10000..${this.#high} after 200 tries`)
  }
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer()
    s.once('error', () => resolve(false))
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)))
  })
}
