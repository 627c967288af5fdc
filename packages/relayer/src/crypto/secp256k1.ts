import native from 'secp256k1/bindings.js'
import createKeccak from 'keccak/bindings.js'
import { bytesToHex, type Hex } from '@bulwark/core'
import { createRequire } from 'node:module'
import { dirname } from 'node:path'

/**
 * secp256k1 through the libsecp256k1 native binding (npm `secp256k1`, prebuilt). Chosen by
 * measurement (bench/secp.ts): recover is ~20x faster than @noble/curves here, and recovering
 * peers' signatures is the relayer's hot path. Signatures are deterministic (RFC 6979) and low-s,
 * so they are byte-identical to core's signDigest.
 */

/** Half the curve order, big-endian: a signature with s above it is malleable and refused. */
const HALF_N = Uint8Array.from(Buffer.from('7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0', 'hex'))

/** 0 < s <= n/2, compared byte by byte (no allocation on the hot path). */
function isLowS(sig: Uint8Array): boolean {
  let zero = true
  let cmp = 0
  for (let i = 0; i < 32; i++) {
    const b = sig[32 + i]!
    if (b !== 0) zero = false
    if (cmp === 0 && b !== HALF_N[i]) cmp = b < HALF_N[i]! ? -1 : 1
  }
  return !zero && cmp <= 0
}

type KeccakState = { initialize(rate: number, capacity: number): void; absorb(b: Buffer): void; squeeze(n: number): Buffer }

/**
 * The `keccak` package's native sponge, used directly: its public API wraps every hash in a
 * Transform stream (an EventEmitter, buffers, options), which cost more than the hashing itself
 * on 170-byte bodies. One reused state; undefined if the addon cannot be loaded here.
 */
const sponge: KeccakState | undefined = (() => {
  try {
    const require = createRequire(import.meta.url)
    const dir = dirname(require.resolve('keccak/package.json'))
    const addon = createRequire(require.resolve('keccak/package.json'))('node-gyp-build')(dir) as new () => KeccakState
    return new addon()
  } catch {
    return undefined
  }
})()

/** True when keccak256 runs on the native sponge (not the stream fallback). */
export const nativeSpongeLoaded = sponge !== undefined

/**
 * keccak256 through the native `keccak` addon (its sponge, without the stream wrapper): ~4-5x
 * @noble/hashes on 170-byte VAA bodies here. Same output as core's keccak256 (test/crypto.test.ts).
 */
export const keccak256 = (b: Uint8Array): Uint8Array => {
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength)
  if (sponge === undefined) return new Uint8Array(createKeccak('keccak256').update(buf).digest())
  sponge.initialize(1088, 512)
  sponge.absorb(buf)
  const out = sponge.squeeze(32)
  return new Uint8Array(out.buffer, out.byteOffset, 32)
}

/** keccak256(keccak256(body)): what guardians sign (core's vaaDigest, natively). */
export const vaaDigest = (body: Uint8Array): Uint8Array => keccak256(keccak256(body))

/** Address (20 bytes, lower-case hex) of a 65-byte uncompressed public key. */
export const addressOfPublicKey = (pub65: Uint8Array): Hex => bytesToHex(keccak256(pub65.subarray(1)).subarray(12))

export const isValidPrivateKey = (key: Uint8Array): boolean => key.length === 32 && native.privateKeyVerify(key)

export const publicKeyOf = (key: Uint8Array): Uint8Array => native.publicKeyCreate(key, false)

/** Signs a 32-byte digest: 65 bytes r || s || v with v the recovery id (0/1). */
export function sign(digest: Uint8Array, privateKey: Uint8Array): Uint8Array {
  const { signature, recid } = native.ecdsaSign(digest, privateKey)
  const out = new Uint8Array(65)
  out.set(signature, 0)
  out[64] = recid
  return out
}

/** Recovers the 65-byte public key of a 65-byte r||s||v signature; null if invalid or high-s. */
export function recoverPublicKey(digest: Uint8Array, sig: Uint8Array): Uint8Array | null {
  if (sig.length !== 65 || digest.length !== 32) return null
  const v = sig[64]!
  if (v > 1) return null
  if (!isLowS(sig)) return null
  try {
    return native.ecdsaRecover(sig.subarray(0, 64), v, digest, false)
  } catch {
    return null
  }
}

/** ECDSA verify of a 65-byte r||s||v signature (v not used) against a known 65-byte public key; high-s is refused. */
export function verifyWithKey(digest: Uint8Array, sig: Uint8Array, pub65: Uint8Array): boolean {
  if (sig.length !== 65 || digest.length !== 32 || !isLowS(sig)) return false
  try {
    return native.ecdsaVerify(sig.subarray(0, 64), digest, pub65)
  } catch {
    return false
  }
}

/** Recovers the signer's address, or null. */
export function recoverAddress(digest: Uint8Array, sig: Uint8Array): Hex | null {
  const pub = recoverPublicKey(digest, sig)
  return pub === null ? null : addressOfPublicKey(pub)
}
