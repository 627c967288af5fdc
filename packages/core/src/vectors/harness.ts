import { BaseError } from '../errors/base.js'
import { bytesToHex } from '../format/bytes.js'

export type VectorCase = { name: string; op: string; input: unknown; output?: unknown; expectError?: string }
export type VectorFile = { topic: string; version: 1; description: string; [extra: string]: unknown; cases: VectorCase[] }

/** JSON-ready form: bigints as decimal strings, bytes as 0x-hex, nested. */
export function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString()
  if (v instanceof Uint8Array) return bytesToHex(v)
  if (Array.isArray(v)) return v.map(plain)
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k, plain(x)]))
  return v
}

/** Runs `fn` and records its output, or the shared name of the typed error it threw. */
export function vcase(name: string, op: string, input: unknown, fn: () => unknown): VectorCase {
  try {
    return { name, op, input: plain(input), output: plain(fn()) }
  } catch (e) {
    if (e instanceof BaseError) return { name, op, input: plain(input), expectError: e.name }
    throw e
  }
}

/** Deterministic 64-bit generator (splitmix64) so vectors are reproducible. */
export function rng(seed: bigint): () => bigint {
  let s = seed & 0xffffffffffffffffn
  return () => {
    s = (s + 0x9e3779b97f4a7c15n) & 0xffffffffffffffffn
    let z = s
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & 0xffffffffffffffffn
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & 0xffffffffffffffffn
    return z ^ (z >> 31n)
  }
}

/** A random uint of up to `bits` bits. */
export function randomUint(next: () => bigint, bits: number): bigint {
  let v = 0n
  for (let i = 0; i < bits; i += 64) v = (v << 64n) | next()
  return v & ((1n << BigInt(bits)) - 1n)
}
