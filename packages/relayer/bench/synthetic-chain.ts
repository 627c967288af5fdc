import { bytesToHex, encodePayload, keccak256, toBytes32, uintToBytes, type AccountSnapshot, type ChainAdapter, type Hex, type ObservedMessage } from '@bulwark/core'

/** `ratePerSec` 0 = every message is available at t0 (saturation). */
export type SyntheticInit = { chainId: number; t0: number; total: number; ratePerSec: number; blockMs: number; destinationChain: number }

/**
 * A deterministic source chain for the benchmark: message i (one vault, sequence i) is emitted at
 * t0 + i / rate in block floor(emitTime / blockMs). Every node process computes the same blocks,
 * so 4 separate processes watch "the same chain" without an RPC server in the measurement.
 * Messages use consistency level 200 (instant). Records when each message was first fetched.
 */
export class SyntheticChain implements ChainAdapter {
  readonly name = 'synthetic'
  readonly chainId: number
  readonly fetchedAt = new Map<bigint, number>()
  /** The vault address of the bench configs (test/support/cluster.ts CONTRACTS.vault). */
  readonly #emitter = toBytes32('0x00000000000000000000000000000000000000c3')

  #started = false

  constructor(readonly init: SyntheticInit) {
    this.chainId = init.chainId
  }

  /** Starts emitting: message 0 appears at t0. Until then the chain has no blocks. */
  begin(t0: number): void {
    this.init.t0 = t0
    this.#started = true
  }

  emitTime(i: number): number {
    return this.init.ratePerSec === 0 ? this.init.t0 : this.init.t0 + (i * 1000) / this.init.ratePerSec
  }

  #blockOf(i: number): bigint {
    return BigInt(Math.floor((this.emitTime(i) - this.init.t0) / this.init.blockMs))
  }

  async getHeight(): Promise<bigint> {
    const now = Date.now()
    if (!this.#started || now < this.init.t0) return -1n
    return BigInt(Math.floor((now - this.init.t0) / this.init.blockMs))
  }

  async getMessages(from: bigint, to: bigint): Promise<ObservedMessage[]> {
    const out: ObservedMessage[] = []
    const now = performance.timeOrigin + performance.now()
    for (let i = this.#first(from); i < this.init.total && this.#blockOf(i) <= to; i++) {
      const height = this.#blockOf(i)
      const seq = BigInt(i)
      if (!this.fetchedAt.has(seq)) this.fetchedAt.set(seq, now)
      out.push({
        emitterChain: this.chainId,
        emitterAddress: this.#emitter,
        sequence: seq,
        nonce: 0,
        consistencyLevel: 200,
        timestamp: Math.floor(this.init.t0 / 1000),
        payload: encodePayload({ type: 'CollateralLocked', destinationChain: this.init.destinationChain, account: toBytes32(bytesToHex(uintToBytes(i + 1, 8))), asset: toBytes32('0x02'), amount: BigInt(i + 1), depositor: toBytes32('0x03') }),
        height,
        blockHash: await this.getBlockHash(height),
        txHash: toBytes32(bytesToHex(uintToBytes(i + 1, 8))),
      })
    }
    return out
  }

  #first(block: bigint): number {
    if (this.init.ratePerSec === 0) return block === 0n ? 0 : this.init.total
    return Math.max(0, Math.ceil((Number(block) * this.init.blockMs * this.init.ratePerSec) / 1000))
  }

  readonly #hashes = new Map<bigint, Hex>()

  /** Deterministic per height (cached: hashing is the chain's work, not the relayer's). */
  async getBlockHash(height: bigint): Promise<Hex> {
    let h = this.#hashes.get(height)
    if (h === undefined) {
      h = bytesToHex(keccak256(uintToBytes(height, 8)))
      this.#hashes.set(height, h)
      if (this.#hashes.size > 10_000) this.#hashes.delete(this.#hashes.keys().next().value!)
    }
    return h
  }

  async isVaaConsumed(): Promise<boolean> {
    return false
  }
  async submitVaa(): Promise<never> {
    throw new Error('the synthetic chain is a source only')
  }
  async readPrice(): Promise<null> {
    return null
  }
  async readAccount(account: Hex): Promise<AccountSnapshot> {
    return { account, collateral: [], positions: [], settlement: 0n }
  }
  async liquidate(): Promise<never> {
    throw new Error('the synthetic chain is a source only')
  }
  async close(): Promise<void> {}
}
