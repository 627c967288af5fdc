import { MalformedResponseError } from '../../errors.js'
import { decimalToWad } from './decimal.js'

export const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x)

/** A positive decimal-string price in WAD, or MalformedResponse naming the field. */
export function priceField(v: unknown, origin: string, field: string): bigint {
  const p = decimalToWad(v)
  if (p === null) throw new MalformedResponseError(origin, field, `expected a decimal string, got ${JSON.stringify(v)?.slice(0, 40)}`)
  if (p === 0n) throw new MalformedResponseError(origin, field, 'price is zero')
  return p
}

/** Object property that must be an object. */
export function objectField(o: unknown, key: string, origin: string, field = key): Record<string, unknown> {
  const v = isObject(o) ? o[key] : undefined
  if (!isObject(v)) throw new MalformedResponseError(origin, field, 'missing or not an object')
  return v
}
