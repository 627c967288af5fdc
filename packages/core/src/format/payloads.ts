import {
  NonCanonicalEncodingError,
  PayloadTooLargeError,
  TrailingBytesError,
  TruncatedPayloadError,
  UnknownPayloadTypeError,
  UnsupportedVersionError,
} from '../errors/format.js'
import { concatBytes, hexToBytes, type Hex } from './bytes.js'
import { checkRule, layoutSize, readField, writeField, type FieldSpec, type FieldValue } from './layout.js'

/** Largest payload any decoder accepts. */
export const MAX_PAYLOAD_SIZE = 1024
/** The only payload version this implementation reads and writes. */
export const PAYLOAD_VERSION = 1

export type CollateralLocked = {
  type: 'CollateralLocked'
  destinationChain: number
  account: Hex
  asset: Hex
  amount: bigint
  depositor: Hex
}
export type WithdrawalApproved = {
  type: 'WithdrawalApproved'
  originChain: number
  account: Hex
  asset: Hex
  amount: bigint
  recipient: Hex
  withdrawalId: bigint
}
export type CollateralReleased = {
  type: 'CollateralReleased'
  positionChain: number
  withdrawalId: bigint
  asset: Hex
  amount: bigint
  recipient: Hex
}
export type PriceEntry = { marketId: number; price: bigint; conf: bigint; emaPrice: bigint; volMultiplier: bigint }
export type PriceReport = { type: 'PriceReport'; publishTime: bigint; prices: PriceEntry[] }
export type GuardianSetUpgrade = { type: 'GuardianSetUpgrade'; targetChain: number; newIndex: number; keys: Hex[] }

export type Payload = CollateralLocked | WithdrawalApproved | CollateralReleased | PriceReport | GuardianSetUpgrade
export type PayloadType = Payload['type']

type Repeat = { key: string; min: number; max: number; item: readonly FieldSpec[] }
type PayloadDef = { id: number; fields: readonly FieldSpec[]; repeat?: Repeat; canonical?: (p: Record<string, unknown>) => void }

const ascendingMarkets = (p: Record<string, unknown>): void => {
  const entries = p['prices'] as PriceEntry[]
  for (let i = 1; i < entries.length; i++) {
    if (entries[i]!.marketId <= entries[i - 1]!.marketId) {
      throw new NonCanonicalEncodingError('price entries must be in strictly ascending marketId', { field: `prices[${i}].marketId` })
    }
  }
}
const distinctNonZeroKeys = (p: Record<string, unknown>): void => {
  const keys = p['keys'] as Hex[]
  const seen = new Set<string>()
  keys.forEach((k, i) => {
    if (/^0x0{40}$/.test(k)) throw new NonCanonicalEncodingError('guardian key is the zero address', { field: `keys[${i}]` })
    if (seen.has(k)) throw new NonCanonicalEncodingError('guardian key appears twice', { field: `keys[${i}]` })
    seen.add(k)
  })
}

/** The payload table of docs/protocol.md section 4, as data. */
export const PAYLOADS: Readonly<Record<PayloadType, PayloadDef>> = {
  CollateralLocked: {
    id: 1,
    fields: [
      { name: 'destinationChain', kind: 'u16', rule: 'nonZeroChain' },
      { name: 'account', kind: 'bytes32' },
      { name: 'asset', kind: 'bytes32' },
      { name: 'amount', kind: 'u128', rule: 'nonZeroAmount' },
      { name: 'depositor', kind: 'bytes32' },
    ],
  },
  WithdrawalApproved: {
    id: 2,
    fields: [
      { name: 'originChain', kind: 'u16', rule: 'nonZeroChain' },
      { name: 'account', kind: 'bytes32' },
      { name: 'asset', kind: 'bytes32' },
      { name: 'amount', kind: 'u128', rule: 'nonZeroAmount' },
      { name: 'recipient', kind: 'bytes32' },
      { name: 'withdrawalId', kind: 'u64' },
    ],
  },
  CollateralReleased: {
    id: 3,
    fields: [
      { name: 'positionChain', kind: 'u16', rule: 'nonZeroChain' },
      { name: 'withdrawalId', kind: 'u64' },
      { name: 'asset', kind: 'bytes32' },
      { name: 'amount', kind: 'u128', rule: 'nonZeroAmount' },
      { name: 'recipient', kind: 'bytes32' },
    ],
  },
  PriceReport: {
    id: 4,
    fields: [{ name: 'publishTime', kind: 'u64' }],
    repeat: {
      key: 'prices',
      min: 1,
      max: 15,
      item: [
        { name: 'marketId', kind: 'u32' },
        { name: 'price', kind: 'u128', rule: 'positivePrice' },
        { name: 'conf', kind: 'u128' },
        { name: 'emaPrice', kind: 'u128', rule: 'positivePrice' },
        { name: 'volMultiplier', kind: 'u128', rule: 'atLeastWad' },
      ],
    },
    canonical: ascendingMarkets,
  },
  GuardianSetUpgrade: {
    id: 5,
    fields: [
      { name: 'targetChain', kind: 'u16' },
      { name: 'newIndex', kind: 'u32' },
    ],
    repeat: { key: 'keys', min: 1, max: 19, item: [{ name: 'key', kind: 'bytes20' }] },
    canonical: distinctNonZeroKeys,
  },
}

const BY_ID = new Map<number, PayloadType>(Object.entries(PAYLOADS).map(([k, d]) => [d.id, k as PayloadType]))

/** The type byte of a payload type. */
export const payloadTypeId = (type: PayloadType): number => PAYLOADS[type].id

function validate(def: PayloadDef, out: Record<string, unknown>): void {
  for (const f of def.fields) checkRule(out[f.name] as FieldValue, f.rule, f.name)
  if (def.repeat) {
    const items = out[def.repeat.key] as unknown[]
    items.forEach((it, i) => {
      for (const f of def.repeat!.item) {
        const v = def.repeat!.item.length === 1 ? it : (it as Record<string, unknown>)[f.name]
        checkRule(v as FieldValue, f.rule, `${def.repeat!.key}[${i}].${f.name}`)
      }
    })
  }
  def.canonical?.(out)
}

/**
 * Decodes a payload. Checks, in this order (every implementation follows it): size, type, version,
 * length of the fixed fields (a count is range-checked as it is read), trailing bytes, then value
 * rules in field order, then canonical ordering. Never returns a partial value.
 */
export function decodePayload(input: Uint8Array | Hex): Payload {
  const bytes = typeof input === 'string' ? hexToBytes(input, 'payload') : input
  if (bytes.length > MAX_PAYLOAD_SIZE) throw new PayloadTooLargeError(`payload is ${bytes.length} bytes, max ${MAX_PAYLOAD_SIZE}`, { field: 'payload' })
  if (bytes.length === 0) throw new TruncatedPayloadError('payload is empty', { field: 'type' })
  const type = BY_ID.get(bytes[0]!)
  if (type === undefined) throw new UnknownPayloadTypeError(`unknown payload type ${bytes[0]}`, { field: 'type' })
  if (bytes.length < 2) throw new TruncatedPayloadError(`${type} payload has no version byte`, { field: 'version' })
  if (bytes[1] !== PAYLOAD_VERSION) throw new UnsupportedVersionError(`${type} version ${bytes[1]} is not supported`, { field: 'version' })
  const def = PAYLOADS[type]
  const out: Record<string, unknown> = { type }
  let o = 2
  const need = (n: number, field: string): void => {
    if (o + n > bytes.length) throw new TruncatedPayloadError(`${type} payload ends inside ${field}`, { field })
  }
  need(layoutSize(def.fields), def.fields[0]!.name)
  for (const f of def.fields) {
    out[f.name] = readField(bytes, o, f.kind)
    o += layoutSize([f])
  }
  if (def.repeat) {
    const r = def.repeat
    need(1, `${r.key}.count`)
    const count = bytes[o++]!
    if (count < r.min || count > r.max) {
      throw new NonCanonicalEncodingError(`${r.key} count ${count} outside ${r.min}..${r.max}`, { field: `${r.key}.count` })
    }
    const itemSize = layoutSize(r.item)
    need(itemSize * count, r.key)
    const items: unknown[] = []
    for (let i = 0; i < count; i++) {
      if (r.item.length === 1) {
        items.push(readField(bytes, o, r.item[0]!.kind))
      } else {
        const it: Record<string, unknown> = {}
        let io = o
        for (const f of r.item) {
          it[f.name] = readField(bytes, io, f.kind)
          io += layoutSize([f])
        }
        items.push(it)
      }
      o += itemSize
    }
    out[r.key] = items
  }
  if (o !== bytes.length) throw new TrailingBytesError(`${type} payload has ${bytes.length - o} trailing bytes`, { field: 'payload' })
  validate(def, out)
  return out as Payload
}

/** Encodes a payload after the same value checks the decoder applies: encode(decode(x)) == x. */
export function encodePayload(payload: Payload): Uint8Array {
  const def = PAYLOADS[payload.type]
  if (def === undefined) throw new UnknownPayloadTypeError(`unknown payload type ${String((payload as { type: unknown }).type)}`, { field: 'type' })
  const p = payload as unknown as Record<string, unknown>
  const parts: Uint8Array[] = [Uint8Array.of(def.id, PAYLOAD_VERSION)]
  for (const f of def.fields) parts.push(writeField(p[f.name], f.kind, f.name))
  if (def.repeat) {
    const r = def.repeat
    const items = p[r.key]
    if (!Array.isArray(items) || items.length < r.min || items.length > r.max) {
      throw new NonCanonicalEncodingError(`${r.key} must hold ${r.min}..${r.max} entries`, { field: r.key })
    }
    parts.push(Uint8Array.of(items.length))
    items.forEach((it, i) => {
      for (const f of r.item) {
        const v = r.item.length === 1 ? it : (it as Record<string, unknown>)[f.name]
        parts.push(writeField(v, f.kind, `${r.key}[${i}].${f.name}`))
      }
    })
  }
  validate(def, p)
  const bytes = concatBytes(...parts)
  if (bytes.length > MAX_PAYLOAD_SIZE) throw new PayloadTooLargeError(`payload is ${bytes.length} bytes`, { field: 'payload' })
  return bytes
}
