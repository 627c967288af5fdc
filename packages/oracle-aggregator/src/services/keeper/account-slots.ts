import { bytesToHex, hexToBytes, type Hex } from '@bulwark/core'

/**
 * Dense slot numbers for (chain, account) pairs, compactly: the bytes32 ids live in one byte array
 * and the lookup map is keyed by a latin1 string of the 34 raw bytes (chain + account).
 */
export class AccountSlots {
  #chains = new Uint16Array(1024)
  #ids = new Uint8Array(1024 * 32)
  readonly #bySlot = new Map<string, number>()
  size = 0

  static key(chainId: number, account: Hex): string {
    const b = hexToBytes(account, 'account')
    return String.fromCharCode(chainId >> 8, chainId & 255, ...b)
  }

  /** The slot of (chain, account), assigning the next one on first sight. */
  slot(chainId: number, account: Hex): { slot: number; fresh: boolean } {
    const k = AccountSlots.key(chainId, account)
    const have = this.#bySlot.get(k)
    if (have !== undefined) return { slot: have, fresh: false }
    const s = this.size++
    if (s >= this.#chains.length) this.#grow()
    this.#chains[s] = chainId
    this.#ids.set(hexToBytes(account, 'account'), s * 32)
    this.#bySlot.set(k, s)
    return { slot: s, fresh: true }
  }

  chainOf(slot: number): number {
    return this.#chains[slot]!
  }
  accountOf(slot: number): Hex {
    return bytesToHex(this.#ids.subarray(slot * 32, slot * 32 + 32))
  }

  #grow(): void {
    const c = new Uint16Array(this.#chains.length * 2)
    c.set(this.#chains)
    const i = new Uint8Array(this.#ids.length * 2)
    i.set(this.#ids)
    this.#chains = c
    this.#ids = i
  }
}
