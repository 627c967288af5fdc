import {
  assembleVaa,
  GuardianIndexOutOfRangeError,
  InvalidSignatureError,
  QuorumNotMetError,
  quorum,
  recoverSigner,
  vaaDigest,
  type Hex,
} from '@bulwark/core'

export type OracleSet = { index: number; keys: Hex[] }

/**
 * Signatures for one report body from the oracle signer set. Every signature is recovered and
 * checked against the signer's key before it counts (a peer is never trusted); the VAA is
 * assembled once a quorum (floor(2n/3)+1) has signed.
 */
export class SignatureCollector {
  readonly digest: Uint8Array
  readonly #sigs = new Map<number, Uint8Array>()
  readonly need: number

  constructor(readonly body: Uint8Array, readonly set: OracleSet) {
    this.digest = vaaDigest(body)
    this.need = quorum(set.keys.length)
  }

  /** Adds guardian `index`'s 65-byte r||s||v signature; throws GuardianIndexOutOfRange / InvalidSignature. */
  add(index: number, signature: Uint8Array): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.set.keys.length) {
      throw new GuardianIndexOutOfRangeError(`signer index ${index} outside a set of ${this.set.keys.length}`, { field: 'guardianIndex' })
    }
    if (signature.length !== 65) throw new InvalidSignatureError(`signature is ${signature.length} bytes, not 65`, { field: 'signature' })
    const signer = recoverSigner(this.digest, { guardianIndex: index, r: signature.subarray(0, 32), s: signature.subarray(32, 64), v: signature[64]! })
    if (signer === null || signer !== this.set.keys[index]!.toLowerCase()) throw new InvalidSignatureError(`not signer ${index}'s signature`, { field: 'signature' })
    this.#sigs.set(index, signature)
  }

  get count(): number {
    return this.#sigs.size
  }
  get complete(): boolean {
    return this.#sigs.size >= this.need
  }

  /** The signed VAA with the collected signatures in ascending signer order. */
  assemble(): Uint8Array {
    if (!this.complete) throw new QuorumNotMetError(`${this.count} of ${this.need} signatures`, { field: 'signatures' })
    return assembleVaa(this.body, this.set.index, [...this.#sigs].map(([guardianIndex, signature]) => ({ guardianIndex, signature })))
  }
}
