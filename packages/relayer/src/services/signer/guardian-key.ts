import { hexToBytes, type Hex } from '@bulwark/core'
import { inspect } from 'node:util'
import { InvalidConfigError } from '../../errors.js'
import { addressOfPublicKey, isValidPrivateKey, publicKeyOf, sign } from '../../crypto/secp256k1.js'

/** What the node needs from a guardian key: its address, VAA-digest signatures, and the secret for envelopes. */
export interface GuardianSigner {
  readonly address: Hex
  sign(digest: Uint8Array): Uint8Array
  readonly secret: Uint8Array
}

/**
 * A guardian's secp256k1 key. The secret is held in a private field: JSON.stringify, util.inspect
 * and pino serialize this object as its address only, so it cannot reach a log by accident.
 */
export class GuardianKey implements GuardianSigner {
  readonly #secret: Uint8Array
  readonly address: Hex

  private constructor(secret: Uint8Array) {
    this.#secret = secret
    this.address = addressOfPublicKey(publicKeyOf(secret))
  }

  static fromBytes(secret: Uint8Array): GuardianKey {
    if (!isValidPrivateKey(secret)) throw new InvalidConfigError('guardian key is not a valid secp256k1 private key', { field: 'guardianKey' })
    return new GuardianKey(Uint8Array.from(secret))
  }

  /** Parses a 0x-hex secret (as given in an environment variable by bin/). */
  static fromHex(hex: string): GuardianKey {
    let bytes: Uint8Array
    try {
      bytes = hexToBytes(hex.trim(), 'guardianKey')
    } catch (cause) {
      throw new InvalidConfigError('guardian key is not 0x-prefixed hex', { field: 'guardianKey', cause })
    }
    return GuardianKey.fromBytes(bytes)
  }

  /** 65-byte r||s||v signature over a 32-byte digest. */
  sign(digest: Uint8Array): Uint8Array {
    return sign(digest, this.#secret)
  }

  /** The raw secret, for the envelope encoder only. */
  get secret(): Uint8Array {
    return this.#secret
  }

  toJSON(): { address: Hex } {
    return { address: this.address }
  }

  toString(): string {
    return `GuardianKey(${this.address})`
  }

  [inspect.custom](): string {
    return this.toString()
  }
}
