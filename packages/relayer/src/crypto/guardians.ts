import {
  GuardianIndexOutOfRangeError,
  GuardianSetUnknownError,
  InvalidSignatureError,
  QuorumNotMetError,
  SignaturesNotAscendingError,
  concatBytes,
  quorum,
  type Hex,
  type Vaa,
} from '@bulwark/core'
import { UnknownGuardianError } from '../errors.js'
import { addressOfPublicKey, recoverPublicKey, verifyWithKey } from './secp256k1.js'

/**
 * The configured guardian set as the node uses it: index <-> address, quorum, and signature checks
 * that remember each guardian's public key after its first valid signature (a byte compare then
 * replaces a keccak per check).
 */
export class Guardians {
  readonly addresses: readonly Hex[]
  readonly quorum: number
  readonly #byAddress = new Map<string, number>()
  readonly #pubs: (Uint8Array | undefined)[]

  constructor(addresses: readonly Hex[], readonly setIndex = 0) {
    this.addresses = addresses.map((a) => a.toLowerCase() as Hex)
    this.addresses.forEach((a, i) => this.#byAddress.set(a, i))
    this.quorum = quorum(addresses.length)
    this.#pubs = new Array(addresses.length)
  }

  get size(): number {
    return this.addresses.length
  }

  /** Guardian index of an address; UnknownGuardianError when it is not in the set. */
  indexOf(address: Hex): number {
    const i = this.#byAddress.get(address.toLowerCase())
    if (i === undefined) throw new UnknownGuardianError(`${address} is not a guardian of set ${this.setIndex}`, { field: 'address' })
    return i
  }

  /** True when `sig` (65 bytes r||s||v, low-s) over `digest` is guardian `index`'s. */
  verify(digest: Uint8Array, sig: Uint8Array, index: number): boolean {
    if (!Number.isInteger(index) || index < 0 || index >= this.addresses.length) return false
    const pub = recoverPublicKey(digest, sig)
    if (pub === null) return false
    const known = this.#pubs[index]
    if (known !== undefined) return equalBytes(known, pub)
    if (addressOfPublicKey(pub) !== this.addresses[index]) return false
    this.#pubs[index] = pub
    return true
  }

  /**
   * Envelope signatures: once the guardian's public key is known, a plain ECDSA verify (~20%
   * cheaper than a recovery) suffices, since the recovery byte of an envelope signature is never
   * used; the first signature of a guardian is recovered (that is how its key is learnt).
   */
  verifyEnvelope(digest: Uint8Array, sig: Uint8Array, index: number): boolean {
    const known = Number.isInteger(index) && index >= 0 ? this.#pubs[index] : undefined
    if (known === undefined) return this.verify(digest, sig, index)
    return sig.length === 65 && sig[64]! <= 1 && verifyWithKey(digest, sig, known)
  }
}

/**
 * Verifies a parsed VAA against this set with the native binding, in core's check order (set
 * index, quorum count, then per signature: ascending, in range, recovers to that guardian).
 * Throws core's typed errors, exactly as verifyVaaSignatures would.
 */
export function verifyVaa(g: Guardians, vaa: Vaa): void {
  if (vaa.guardianSetIndex !== g.setIndex) throw new GuardianSetUnknownError(`guardian set ${vaa.guardianSetIndex} is not known`, { field: 'guardianSetIndex' })
  if (vaa.signatures.length < g.quorum) {
    throw new QuorumNotMetError(`${vaa.signatures.length} signatures, quorum is ${g.quorum} of ${g.size}`, { field: 'signatures' })
  }
  let last = -1
  vaa.signatures.forEach((sig, i) => {
    if (sig.guardianIndex <= last) throw new SignaturesNotAscendingError(`signature ${i} names guardian ${sig.guardianIndex} after ${last}`, { field: `signatures[${i}].guardianIndex` })
    last = sig.guardianIndex
    if (sig.guardianIndex >= g.size) throw new GuardianIndexOutOfRangeError(`guardian index ${sig.guardianIndex} outside a set of ${g.size}`, { field: `signatures[${i}].guardianIndex` })
    if (!g.verify(vaa.digest, concatBytes(sig.r, sig.s, Uint8Array.of(sig.v)), sig.guardianIndex)) {
      throw new InvalidSignatureError(`signature ${i} is not guardian ${sig.guardianIndex}'s`, { field: `signatures[${i}]` })
    }
  })
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}
