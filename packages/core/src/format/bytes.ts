import { NonCanonicalEncodingError } from '../errors/format.js'

/** Lower-case 0x-prefixed hex. */
export type Hex = `0x${string}`

const HEX_RE = /^0x([0-9a-fA-F]{2})*$/

/** Parses 0x-hex into bytes; odd length or non-hex characters are a NonCanonicalEncodingError naming `field`. */
export function hexToBytes(hex: string, field = 'hex'): Uint8Array {
  if (typeof hex !== 'string' || !HEX_RE.test(hex)) {
    throw new NonCanonicalEncodingError(`${field} is not 0x-prefixed even-length hex`, { field })
  }
  return Uint8Array.from(Buffer.from(hex.slice(2), 'hex'))
}

/** Bytes to lower-case 0x-hex. */
export function bytesToHex(bytes: Uint8Array): Hex {
  return `0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}`
}

/** Left-pads a 20-byte EVM address (or any shorter hex) to a bytes32 hex. */
export function toBytes32(hex: string, field = 'address'): Hex {
  const b = hexToBytes(hex, field)
  if (b.length > 32) throw new NonCanonicalEncodingError(`${field} is longer than 32 bytes`, { field })
  const out = new Uint8Array(32)
  out.set(b, 32 - b.length)
  return bytesToHex(out)
}

/** The last 20 bytes of a bytes32 as an EVM address. */
export function bytes32ToAddress(hex: Hex): Hex {
  return `0x${hex.slice(-40)}`
}

/** Concatenates byte arrays. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let o = 0
  for (const p of parts) {
    out.set(p, o)
    o += p.length
  }
  return out
}

/** Writes an unsigned integer big-endian into `size` bytes. */
export function uintToBytes(value: bigint | number, size: number): Uint8Array {
  let v = BigInt(value)
  const out = new Uint8Array(size)
  for (let i = size - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn)
    v >>= 8n
  }
  return out
}

/** Reads `size` bytes big-endian as an unsigned bigint. */
export function bytesToUint(bytes: Uint8Array, offset: number, size: number): bigint {
  let v = 0n
  for (let i = 0; i < size; i++) v = (v << 8n) | BigInt(bytes[offset + i]!)
  return v
}
