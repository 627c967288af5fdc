import { bytesToHex, bytesToUint, concatBytes, hexToBytes, MAX_PAYLOAD_SIZE, uintToBytes, VAA_BODY_FIXED_SIZE, type Hex } from '@bulwark/core'
import { MalformedEnvelopeError } from '../../errors.js'
import { SIGNATURE_SIZE } from './envelope.js'

/** Payloads of the envelope kinds. Decoders are strict: any slack is a MalformedEnvelopeError. */

/** One guardian's signature over a VAA body it observed (the body travels with it). */
export type SignedObservation = { body: Uint8Array; signature: Uint8Array }
/**
 * A received observation with its VAA digest (computed once, by the validator). Its envelope was
 * authenticated; its own signature is checked only if a quorum needs it (Attestor).
 */
export type ReceivedObservation = SignedObservation & { digest: Uint8Array }
/** A request that peers re-send what they signed for sequences [fromSeq, toSeq] of an emitter. */
export type ReobservationRequest = { chain: number; emitter: Hex; fromSeq: bigint; toSeq: bigint }
export type Heartbeat = { nodeName: string; signed: bigint; vaas: bigint }

export const MAX_BATCH = 512
export const MAX_BODY_SIZE = VAA_BODY_FIXED_SIZE + MAX_PAYLOAD_SIZE
/** Most sequences one reobservation request may ask for. */
export const MAX_REOBSERVATION_RANGE = 1_000n

class Reader {
  o = 0
  constructor(readonly b: Uint8Array) {}
  need(n: number, field: string): void {
    if (this.o + n > this.b.length) throw new MalformedEnvelopeError(`payload ends inside ${field}`, { field })
  }
  uint(size: number, field: string): bigint {
    this.need(size, field)
    const v = bytesToUint(this.b, this.o, size)
    this.o += size
    return v
  }
  bytes(n: number, field: string): Uint8Array {
    this.need(n, field)
    const v = this.b.subarray(this.o, this.o + n)
    this.o += n
    return v
  }
  end(): void {
    if (this.o !== this.b.length) throw new MalformedEnvelopeError(`${this.b.length - this.o} trailing bytes in payload`, { field: 'payload' })
  }
}

function count(r: Reader): number {
  const n = Number(r.uint(2, 'count'))
  if (n === 0 || n > MAX_BATCH) throw new MalformedEnvelopeError(`batch count ${n} outside 1..${MAX_BATCH}`, { field: 'count' })
  return n
}

/** Observations payload flag: these are retransmissions of observations still without a quorum. */
export const RETRANSMISSION = 1

/** flags u8 | count u16 | count x { bodyLength u16 | body | signature 65 } */
export function encodeObservations(items: readonly SignedObservation[], flags = 0): Uint8Array {
  return concatBytes(Uint8Array.of(flags), uintToBytes(items.length, 2), ...items.flatMap((i) => [uintToBytes(i.body.length, 2), i.body, i.signature]))
}

export function decodeObservations(payload: Uint8Array): { flags: number; items: SignedObservation[] } {
  const r = new Reader(payload)
  const flags = Number(r.uint(1, 'flags'))
  if ((flags & ~RETRANSMISSION) !== 0) throw new MalformedEnvelopeError(`unknown observation flags ${flags}`, { field: 'flags' })
  const n = count(r)
  const out: SignedObservation[] = []
  for (let i = 0; i < n; i++) {
    const len = Number(r.uint(2, `items[${i}].bodyLength`))
    if (len < VAA_BODY_FIXED_SIZE || len > MAX_BODY_SIZE) {
      throw new MalformedEnvelopeError(`body length ${len} outside ${VAA_BODY_FIXED_SIZE}..${MAX_BODY_SIZE}`, { field: `items[${i}].bodyLength` })
    }
    out.push({ body: r.bytes(len, `items[${i}].body`), signature: r.bytes(SIGNATURE_SIZE, `items[${i}].signature`) })
  }
  r.end()
  return { flags, items: out }
}

export function encodeVaas(vaas: readonly Uint8Array[]): Uint8Array {
  return concatBytes(uintToBytes(vaas.length, 2), ...vaas.flatMap((v) => [uintToBytes(v.length, 4), v]))
}

export function decodeVaas(payload: Uint8Array): Uint8Array[] {
  const r = new Reader(payload)
  const n = count(r)
  const out: Uint8Array[] = []
  for (let i = 0; i < n; i++) out.push(r.bytes(Number(r.uint(4, `vaas[${i}].length`)), `vaas[${i}]`))
  r.end()
  return out
}

export function encodeReobservation(q: ReobservationRequest): Uint8Array {
  return concatBytes(uintToBytes(q.chain, 2), hexToBytes(q.emitter, 'emitter'), uintToBytes(q.fromSeq, 8), uintToBytes(q.toSeq, 8))
}

export function decodeReobservation(payload: Uint8Array): ReobservationRequest {
  const r = new Reader(payload)
  const q = { chain: Number(r.uint(2, 'chain')), emitter: bytesToHex(r.bytes(32, 'emitter')), fromSeq: r.uint(8, 'fromSeq'), toSeq: r.uint(8, 'toSeq') }
  r.end()
  if (q.chain === 0) throw new MalformedEnvelopeError('chain 0 is not a chain', { field: 'chain' })
  if (q.toSeq < q.fromSeq || q.toSeq - q.fromSeq >= MAX_REOBSERVATION_RANGE) {
    throw new MalformedEnvelopeError(`sequence range ${q.fromSeq}..${q.toSeq} is empty or wider than ${MAX_REOBSERVATION_RANGE}`, { field: 'toSeq' })
  }
  return q
}

export function encodeHeartbeat(h: Heartbeat): Uint8Array {
  const name = new TextEncoder().encode(h.nodeName.slice(0, 64))
  return concatBytes(Uint8Array.of(name.length), name, uintToBytes(h.signed, 8), uintToBytes(h.vaas, 8))
}

export function decodeHeartbeat(payload: Uint8Array): Heartbeat {
  const r = new Reader(payload)
  const len = Number(r.uint(1, 'nodeNameLength'))
  if (len > 64) throw new MalformedEnvelopeError('node name longer than 64 bytes', { field: 'nodeName' })
  let nodeName: string
  try {
    nodeName = new TextDecoder('utf-8', { fatal: true }).decode(r.bytes(len, 'nodeName'))
  } catch (cause) {
    throw new MalformedEnvelopeError('node name is not UTF-8', { field: 'nodeName', cause })
  }
  const h = { nodeName, signed: r.uint(8, 'signed'), vaas: r.uint(8, 'vaas') }
  r.end()
  return h
}

/** Largest governance VAA carried on the control topic (19 signatures and a 64 KiB body fit). */
export const MAX_GOVERNANCE_VAA = 6 + 19 * 66 + MAX_BODY_SIZE

/** Governance payload: the VAA bytes themselves (validated by the receiver's guardian sets). */
export function encodeGovernance(vaa: Uint8Array): Uint8Array {
  return vaa
}

export function decodeGovernance(payload: Uint8Array): Uint8Array {
  if (payload.length < 6 + VAA_BODY_FIXED_SIZE || payload.length > MAX_GOVERNANCE_VAA) {
    throw new MalformedEnvelopeError(`governance VAA of ${payload.length} bytes outside ${6 + VAA_BODY_FIXED_SIZE}..${MAX_GOVERNANCE_VAA}`, { field: 'payload' })
  }
  return payload
}
