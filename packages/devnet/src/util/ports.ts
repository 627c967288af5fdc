import { freePort } from '@bulwark/contracts-evm'

/**
 * Free TCP ports on 127.0.0.1 (below the kernel's ephemeral range, see contracts-evm's freePort),
 * never the same one twice in a process.
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
