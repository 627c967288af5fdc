import { InvalidParameterError, InvalidPriceError, ZeroAmountError } from '../errors/input.js'
import { NonCanonicalEncodingError } from '../errors/format.js'
import { bytesToHex, bytesToUint, hexToBytes, uintToBytes, type Hex } from './bytes.js'

/**
 * Wire formats declared as data: a payload is a list of fixed-size fields, big-endian.
 * One reader and one writer serve every payload, so a new field is a line, not a parser.
 */
export type FieldKind = 'u8' | 'u16' | 'u32' | 'u64' | 'u128' | 'bytes20' | 'bytes32'

/** Value rule checked after the layout is read, in field order. */
export type FieldRule = 'nonZeroAmount' | 'nonZeroChain' | 'positivePrice' | 'atLeastWad'

export type FieldSpec = { readonly name: string; readonly kind: FieldKind; readonly rule?: FieldRule }

export const FIELD_SIZE: Record<FieldKind, number> = { u8: 1, u16: 2, u32: 4, u64: 8, u128: 16, bytes20: 20, bytes32: 32 }

export type FieldValue = number | bigint | Hex

export function layoutSize(fields: readonly FieldSpec[]): number {
  return fields.reduce((n, f) => n + FIELD_SIZE[f.kind], 0)
}

/** Reads one field at `offset`; the caller has already checked the length. */
export function readField(bytes: Uint8Array, offset: number, kind: FieldKind): FieldValue {
  const size = FIELD_SIZE[kind]
  if (kind === 'bytes20' || kind === 'bytes32') return bytesToHex(bytes.subarray(offset, offset + size))
  const v = bytesToUint(bytes, offset, size)
  return kind === 'u64' || kind === 'u128' ? v : Number(v)
}

/** Encodes one field, checking the value fits the kind; `field` names it in errors. */
export function writeField(value: unknown, kind: FieldKind, field: string): Uint8Array {
  const size = FIELD_SIZE[kind]
  if (kind === 'bytes20' || kind === 'bytes32') {
    const b = hexToBytes(String(value), field)
    if (b.length !== size) throw new NonCanonicalEncodingError(`${field} must be ${size} bytes`, { field })
    return b
  }
  const isInt = typeof value === 'bigint' || (typeof value === 'number' && Number.isSafeInteger(value))
  if (!isInt) throw new InvalidParameterError(`${field} must be an integer`, { field, details: `got ${String(value)}` })
  const v = BigInt(value as bigint | number)
  if (v < 0n || v >= 1n << BigInt(size * 8)) {
    throw new InvalidParameterError(`${field} does not fit in ${kind}`, { field, details: `got ${v}` })
  }
  return uintToBytes(v, size)
}

const WAD = 10n ** 18n

/** Applies a field's value rule; throws the shared error naming the field. */
export function checkRule(value: FieldValue, rule: FieldRule | undefined, field: string): void {
  if (rule === undefined) return
  const v = BigInt(value as bigint | number)
  if (rule === 'nonZeroAmount' && v === 0n) throw new ZeroAmountError(`${field} must be positive`, { field })
  if (rule === 'nonZeroChain' && v === 0n) throw new InvalidParameterError(`${field} must be a non-zero chain id`, { field })
  if (rule === 'positivePrice' && v === 0n) throw new InvalidPriceError(`${field} must be positive`, { field })
  if (rule === 'atLeastWad' && v < WAD) throw new InvalidParameterError(`${field} must be at least 1e18`, { field })
}
