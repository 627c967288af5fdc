import { bytesToHex, hexToBytes, type Hex } from '@bulwark/core'

/**
 * Dense slot numbers for (chain, account) pairs in ~42 bytes per account: the bytes32 ids live in
 * one byte array, the chains in a Uint16Array, and lookups go through an open-addressing hash
 * table of slot numbers (Int32Array, load <= 1/2). No per-account JS objects or strings.
 */
export class AccountSlots {
  #chains = new Uint16Array(1024)
  #ids = new Uint8Array(1024 * 32)
  #table = new Int32Array(2048).fill(-1)
  size = 0

  static #hash(chainId: number, id: Uint8Array): number {
    let h = 0x811c9dc5 ^ chainId
    for (let i = 0; i < 32; i++) h = Math.imul(h ^ id[i]!, 0x01000193)
    return h >>> 0
  }

  #equal(slot: number, chainId: number, id: Uint8Array): boolean {
    if (this.#chains[slot] !== chainId) return false
    const o = slot * 32
    for (let i = 31; i >= 0; i--) if (this.#ids[o + i] !== id[i]) return false
    return true
  }

  #find(chainId: number, id: Uint8Array): { pos: number; slot: number } {
    const mask = this.#table.length - 1
    let pos = AccountSlots.#hash(chainId, id) & mask
    for (;;) {
      const s = this.#table[pos]!
      if (s < 0 || this.#equal(s, chainId, id)) return { pos, slot: s }
      pos = (pos + 1) & mask
    }
  }

  /** The slot of (chain, account), assigning the next one on first sight. */
  slot(chainId: number, account: Hex): { slot: number; fresh: boolean } {
    const id = hexToBytes(account, 'account')
    const f = this.#find(chainId, id)
    if (f.slot >= 0) return { slot: f.slot, fresh: false }
    const s = this.size++
    if (s >= this.#chains.length) this.#growStore()
    this.#chains[s] = chainId
    this.#ids.set(id, s * 32)
    this.#table[f.pos] = s
    if (this.size * 2 > this.#table.length) this.#rehash()
    return { slot: s, fresh: true }
  }

  /** The slot of (chain, account), or undefined. */
  get(chainId: number, account: Hex): number | undefined {
    const s = this.#find(chainId, hexToBytes(account, 'account')).slot
    return s >= 0 ? s : undefined
  }

  chainOf(slot: number): number {
    return this.#chains[slot]!
  }
  accountOf(slot: number): Hex {
    return bytesToHex(this.#ids.subarray(slot * 32, slot * 32 + 32))
  }

  #growStore(): void {
    const c = new Uint16Array(this.#chains.length * 2)
    c.set(this.#chains)
    const i = new Uint8Array(this.#ids.length * 2)
    i.set(this.#ids)
    this.#chains = c
    this.#ids = i
  }

  #rehash(): void {
    this.#table = new Int32Array(this.#table.length * 2).fill(-1)
    const mask = this.#table.length - 1
    for (let s = 0; s < this.size; s++) {
      let pos = AccountSlots.#hash(this.#chains[s]!, this.#ids.subarray(s * 32, s * 32 + 32)) & mask
      while (this.#table[pos]! >= 0) pos = (pos + 1) & mask
      this.#table[pos] = s
    }
  }
}
