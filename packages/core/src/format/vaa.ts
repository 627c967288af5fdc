import { toChain } from '@wormhole-foundation/sdk-base'
import { Signature as WhSignature, UniversalAddress, createVAA, serialize } from '@wormhole-foundation/sdk-definitions'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { InvalidParameterError } from '../errors/input.js'
import { InvalidVaaVersionError, TruncatedVaaError } from '../errors/vaa.js'
import { bytesToHex, bytesToUint, concatBytes, hexToBytes, uintToBytes, type Hex } from './bytes.js'

/** The signed part of a VAA. */
export type VaaBody = {
  timestamp: number
  nonce: number
  emitterChain: number
  /** bytes32 */
  emitterAddress: Hex
  sequence: bigint
  consistencyLevel: number
  payload: Uint8Array
}

export type VaaSignature = { guardianIndex: number; r: Uint8Array; s: Uint8Array; v: number }

/** A parsed VAA v1 with the hashes a verifier needs. */
export type Vaa = VaaBody & {
  version: 1
  guardianSetIndex: number
  signatures: VaaSignature[]
  /** The body bytes exactly as signed. */
  body: Uint8Array
  /** keccak256(body): the replay-protection key. */
  hash: Hex
  /** keccak256(keccak256(body)): what guardians sign. */
  digest: Uint8Array
}

export const VAA_HEADER_SIZE = 6
export const VAA_SIGNATURE_SIZE = 66
export const VAA_BODY_FIXED_SIZE = 51

export const keccak256 = (b: Uint8Array): Uint8Array => keccak_256(b)

/** Serializes a VAA body (51 fixed bytes + payload). */
export function encodeVaaBody(body: VaaBody): Uint8Array {
  return concatBytes(
    uintToBytes(body.timestamp, 4),
    uintToBytes(body.nonce, 4),
    uintToBytes(body.emitterChain, 2),
    hexToBytes(body.emitterAddress, 'emitterAddress'),
    uintToBytes(body.sequence, 8),
    Uint8Array.of(body.consistencyLevel),
    body.payload,
  )
}

/** keccak256(keccak256(body)). */
export const vaaDigest = (body: Uint8Array): Uint8Array => keccak256(keccak256(body))

/**
 * Strict VAA v1 parser: every length is checked before it is read; a short input is TruncatedVaa,
 * a version other than 1 is InvalidVaaVersion. Signatures are not verified here (see verifyVaa).
 */
export function parseVaa(input: Uint8Array | Hex): Vaa {
  const b = typeof input === 'string' ? hexToBytes(input, 'vaa') : input
  if (b.length < 1) throw new TruncatedVaaError('VAA is empty', { field: 'version' })
  if (b[0] !== 1) throw new InvalidVaaVersionError(`VAA version ${b[0]} is not 1`, { field: 'version' })
  if (b.length < VAA_HEADER_SIZE) throw new TruncatedVaaError('VAA ends inside its header', { field: 'header' })
  const guardianSetIndex = Number(bytesToUint(b, 1, 4))
  const count = b[5]!
  const bodyStart = VAA_HEADER_SIZE + count * VAA_SIGNATURE_SIZE
  if (b.length < bodyStart) throw new TruncatedVaaError(`VAA ends inside its ${count} signatures`, { field: 'signatures' })
  if (b.length < bodyStart + VAA_BODY_FIXED_SIZE) throw new TruncatedVaaError('VAA ends inside its body', { field: 'body' })
  const signatures: VaaSignature[] = []
  for (let i = 0; i < count; i++) {
    const o = VAA_HEADER_SIZE + i * VAA_SIGNATURE_SIZE
    signatures.push({ guardianIndex: b[o]!, r: b.slice(o + 1, o + 33), s: b.slice(o + 33, o + 65), v: b[o + 65]! })
  }
  const body = b.slice(bodyStart)
  return {
    version: 1,
    guardianSetIndex,
    signatures,
    timestamp: Number(bytesToUint(body, 0, 4)),
    nonce: Number(bytesToUint(body, 4, 4)),
    emitterChain: Number(bytesToUint(body, 8, 2)),
    emitterAddress: bytesToHex(body.subarray(10, 42)),
    sequence: bytesToUint(body, 42, 8),
    consistencyLevel: body[50]!,
    payload: body.slice(VAA_BODY_FIXED_SIZE),
    body,
    hash: bytesToHex(keccak256(body)),
    digest: vaaDigest(body),
  }
}

/** A guardian's signing key and its index in the set. */
export type GuardianKey = { index: number; privateKey: Uint8Array }

/** Ethereum-style address (last 20 bytes of keccak of the uncompressed public key). */
export function addressOfPrivateKey(privateKey: Uint8Array): Hex {
  return addressOfPublicKey(secp256k1.getPublicKey(privateKey, false))
}

/** Address of a 65-byte uncompressed (or 33-byte compressed) secp256k1 public key. */
export function addressOfPublicKey(pub: Uint8Array): Hex {
  const full = pub.length === 65 ? pub : secp256k1.Point.fromBytes(pub).toBytes(false)
  return bytesToHex(keccak256(full.subarray(1)).subarray(12))
}

/** Signs a VAA digest: 65 bytes r || s || v (v = recovery id 0/1), low-s. */
export function signDigest(digest: Uint8Array, privateKey: Uint8Array): Uint8Array {
  const sig = secp256k1.sign(digest, privateKey, { prehash: false, format: 'recovered' })
  return concatBytes(sig.subarray(1, 65), sig.subarray(0, 1))
}

/** Recovers the signer's address of a VAA signature, or null when the signature is not valid. */
export function recoverSigner(digest: Uint8Array, sig: VaaSignature): Hex | null {
  if (sig.v > 1) return null
  try {
    const pub = secp256k1.recoverPublicKey(concatBytes(Uint8Array.of(sig.v), sig.r, sig.s), digest, { prehash: false })
    return addressOfPublicKey(pub)
  } catch {
    return null
  }
}

function chainName(id: number) {
  try {
    return toChain(id)
  } catch (cause) {
    throw new InvalidParameterError(`emitterChain ${id} is not a Wormhole chain id`, { field: 'emitterChain', cause })
  }
}

/**
 * Builds a signed VAA v1 with @wormhole-foundation/sdk-definitions' serializer. Signatures come
 * from `keys`, sorted by guardian index (their index in the set, not their position in `keys`).
 */
export function buildSignedVaa(body: VaaBody, guardianSetIndex: number, keys: readonly GuardianKey[]): Uint8Array {
  const digest = vaaDigest(encodeVaaBody(body))
  const sorted = [...keys].sort((a, b) => a.index - b.index)
  const vaa = createVAA('Uint8Array', {
    guardianSet: guardianSetIndex,
    timestamp: body.timestamp,
    nonce: body.nonce,
    emitterChain: chainName(body.emitterChain),
    emitterAddress: new UniversalAddress(hexToBytes(body.emitterAddress, 'emitterAddress')),
    sequence: body.sequence,
    consistencyLevel: body.consistencyLevel,
    payload: body.payload,
    signatures: [],
  })
  const signatures = sorted.map(({ index, privateKey }) => {
    const s = signDigest(digest, privateKey)
    return { guardianIndex: index, signature: sdkSignature(s) }
  })
  return serialize({ ...vaa, signatures } as typeof vaa)
}

/** Assembles a VAA from a body and already-collected signatures (65 bytes r||s||v each). */
export function assembleVaa(body: Uint8Array, guardianSetIndex: number, sigs: readonly { guardianIndex: number; signature: Uint8Array }[]): Uint8Array {
  const sorted = [...sigs].sort((a, b) => a.guardianIndex - b.guardianIndex)
  return concatBytes(
    Uint8Array.of(1),
    uintToBytes(guardianSetIndex, 4),
    Uint8Array.of(sorted.length),
    ...sorted.map((s) => concatBytes(Uint8Array.of(s.guardianIndex), s.signature)),
    body,
  )
}

function sdkSignature(rsv: Uint8Array) {
  return new WhSignature(bytesToUint(rsv, 0, 32), bytesToUint(rsv, 32, 32), rsv[64]!)
}
