import { InvalidParameterError } from '../errors/input.js'
import {
  GuardianIndexOutOfRangeError,
  GuardianSetExpiredError,
  GuardianSetUnknownError,
  InvalidGovernanceError,
  InvalidSignatureError,
  QuorumNotMetError,
  SignaturesNotAscendingError,
} from '../errors/vaa.js'
import type { Hex } from './bytes.js'
import { recoverSigner, type Vaa } from './vaa.js'

/** floor(2n/3) + 1 signatures make a quorum of n guardians. */
export const quorum = (n: number): number => Math.floor((2 * n) / 3) + 1

/** Default time a replaced guardian set keeps signing: 24 h. */
export const DEFAULT_GUARDIAN_SET_OVERLAP = 86_400

export type GuardianSet = {
  index: number
  /** Guardian addresses (20-byte hex), position = guardian index. */
  keys: Hex[]
  /** Unix seconds after which the set is expired; 0 while it is current. */
  expirationTime: number
}

/**
 * Verifies a parsed VAA against a guardian set at time `now`. Check order (shared with the
 * contracts and the Solana program): set index, expiry, quorum count, then per signature in
 * order: strictly ascending index, index in range, signature recovers to that guardian.
 */
export function verifyVaaSignatures(vaa: Vaa, set: GuardianSet | undefined, now: number): void {
  if (!set || set.index !== vaa.guardianSetIndex) {
    throw new GuardianSetUnknownError(`guardian set ${vaa.guardianSetIndex} is not known`, { field: 'guardianSetIndex' })
  }
  if (set.expirationTime !== 0 && now > set.expirationTime) {
    throw new GuardianSetExpiredError(`guardian set ${set.index} expired at ${set.expirationTime}`, { field: 'guardianSetIndex' })
  }
  const need = quorum(set.keys.length)
  if (vaa.signatures.length < need) {
    throw new QuorumNotMetError(`${vaa.signatures.length} signatures, quorum is ${need} of ${set.keys.length}`, { field: 'signatures' })
  }
  let last = -1
  vaa.signatures.forEach((sig, i) => {
    if (sig.guardianIndex <= last) {
      throw new SignaturesNotAscendingError(`signature ${i} names guardian ${sig.guardianIndex} after ${last}`, { field: `signatures[${i}].guardianIndex` })
    }
    last = sig.guardianIndex
    if (sig.guardianIndex >= set.keys.length) {
      throw new GuardianIndexOutOfRangeError(`guardian index ${sig.guardianIndex} outside a set of ${set.keys.length}`, { field: `signatures[${i}].guardianIndex` })
    }
    const signer = recoverSigner(vaa.digest, sig)
    if (signer === null || signer !== set.keys[sig.guardianIndex]!.toLowerCase()) {
      throw new InvalidSignatureError(`signature ${i} is not guardian ${sig.guardianIndex}'s`, { field: `signatures[${i}]` })
    }
  })
}

/** Guardian sets by index, with upgrades that keep the previous set valid for an overlap window. */
export class GuardianSetRegistry {
  readonly #sets = new Map<number, GuardianSet>()
  #current: number

  constructor(initial: Hex[], readonly overlapSeconds = DEFAULT_GUARDIAN_SET_OVERLAP) {
    if (initial.length === 0 || initial.length > 19) {
      throw new InvalidParameterError('a guardian set holds 1..19 keys', { field: 'keys' })
    }
    this.#sets.set(0, { index: 0, keys: initial.map((k) => k.toLowerCase() as Hex), expirationTime: 0 })
    this.#current = 0
  }

  get currentIndex(): number {
    return this.#current
  }

  get(index: number): GuardianSet | undefined {
    return this.#sets.get(index)
  }

  /** Installs `keys` as set `newIndex` (must be current + 1); the old set expires after the overlap. */
  upgrade(newIndex: number, keys: Hex[], now: number): void {
    if (newIndex !== this.#current + 1) {
      throw new InvalidGovernanceError(`new guardian set index ${newIndex} is not ${this.#current + 1}`, { field: 'newIndex' })
    }
    const old = this.#sets.get(this.#current)!
    this.#sets.set(old.index, { ...old, expirationTime: now + this.overlapSeconds })
    this.#sets.set(newIndex, { index: newIndex, keys: keys.map((k) => k.toLowerCase() as Hex), expirationTime: 0 })
    this.#current = newIndex
  }

  /** Verifies a VAA's signatures against the set it names. */
  verify(vaa: Vaa, now: number): void {
    verifyVaaSignatures(vaa, this.#sets.get(vaa.guardianSetIndex), now)
  }
}
