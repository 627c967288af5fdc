import { buildSignedVaa, concatBytes, encodeVaaBody, toBytes32, uintToBytes, vaaDigest } from '@bulwark/core'
import { describe, expect, it } from 'vitest'
import { recoverAddress } from '../src/crypto/secp256k1.js'
import { Kind, decodeEnvelope, encodeEnvelope } from '../src/services/network/envelope.js'
import { decodeObservations, decodeReobservation, decodeVaas, encodeObservations, encodeReobservation, encodeVaas } from '../src/services/network/messages.js'
import { testGuardianKey } from './support/cluster.js'

const key = testGuardianKey(0)
const body = encodeVaaBody({ timestamp: 1, nonce: 2, emitterChain: 10002, emitterAddress: toBytes32('0xaa'), sequence: 7n, consistencyLevel: 1, payload: Uint8Array.of(1, 2, 3) })
const obs = [{ body, signature: key.sign(vaaDigest(body)) }]
const env = (kind: number, payload: Uint8Array, network = 'net') => encodeEnvelope(network, { kind, sender: 0, guardianSetIndex: 0, timestamp: 1234, payload }, key.secret)

describe('gossip envelope', () => {
  it('round-trips and its signature recovers to the sender', () => {
    const d = decodeEnvelope('net', 'observations', env(Kind.observations, encodeObservations(obs)))
    expect(d).toMatchObject({ kind: Kind.observations, sender: 0, guardianSetIndex: 0, timestamp: 1234 })
    expect(recoverAddress(d.signingDigest, d.signature)).toBe(key.address)
    expect(decodeObservations(d.payload)).toEqual({ flags: 0, items: obs.map((o) => ({ body: o.body, signature: o.signature })) })
  })

  it('is domain-separated: the same bytes read as another network do not verify', () => {
    const d = decodeEnvelope('other-net', 'observations', env(Kind.observations, encodeObservations(obs)))
    expect(recoverAddress(d.signingDigest, d.signature)).not.toBe(key.address)
  })

  it.each([
    ['empty', new Uint8Array(0), 'length'],
    ['bad version', (() => { const b = env(Kind.observations, encodeObservations(obs)); b[0] = 2; return b })(), 'version'],
    ['unknown kind', (() => { const b = env(Kind.observations, encodeObservations(obs)); b[1] = 9; return b })(), 'kind'],
    ['kind on the wrong topic', env(Kind.heartbeat, Uint8Array.of(0)), 'kind'],
    ['truncated', env(Kind.observations, encodeObservations(obs)).subarray(0, 100), 'payloadLength'],
    ['trailing byte', concatBytes(env(Kind.observations, encodeObservations(obs)), Uint8Array.of(0)), 'payloadLength'],
  ])('rejects %s with MalformedEnvelope naming the field', (_n, bytes, field) => {
    expect(() => decodeEnvelope('net', 'observations', bytes)).toThrow(expect.objectContaining({ name: 'MalformedEnvelope', field }))
  })
})

describe('envelope payloads', () => {
  it('reject zero or oversized batches, short bodies and trailing bytes', () => {
    expect(() => decodeObservations(concatBytes(Uint8Array.of(0), uintToBytes(0, 2)))).toThrow(expect.objectContaining({ name: 'MalformedEnvelope', field: 'count' }))
    expect(() => decodeObservations(concatBytes(Uint8Array.of(0), uintToBytes(1, 2), uintToBytes(10, 2), new Uint8Array(75)))).toThrow(expect.objectContaining({ field: 'items[0].bodyLength' }))
    expect(() => decodeObservations(concatBytes(encodeObservations(obs), Uint8Array.of(1)))).toThrow(expect.objectContaining({ field: 'payload' }))
    expect(() => decodeObservations(encodeObservations(obs).subarray(0, 60))).toThrow(expect.objectContaining({ name: 'MalformedEnvelope' }))
  })

  it('round-trips VAAs and reobservation requests and bounds the requested range', () => {
    const vaa = buildSignedVaa({ timestamp: 1, nonce: 2, emitterChain: 2, emitterAddress: toBytes32('0xaa'), sequence: 7n, consistencyLevel: 1, payload: Uint8Array.of(1) }, 0, [{ index: 0, privateKey: key.secret }])
    expect(decodeVaas(encodeVaas([vaa]))).toEqual([vaa])
    const q = { chain: 2, emitter: toBytes32('0xaa'), fromSeq: 3n, toSeq: 9n }
    expect(decodeReobservation(encodeReobservation(q))).toEqual(q)
    expect(() => decodeReobservation(encodeReobservation({ ...q, toSeq: 2n }))).toThrow(expect.objectContaining({ field: 'toSeq' }))
    expect(() => decodeReobservation(encodeReobservation({ ...q, toSeq: 5000n }))).toThrow(expect.objectContaining({ field: 'toSeq' }))
    expect(() => decodeReobservation(encodeReobservation({ ...q, chain: 0 }))).toThrow(expect.objectContaining({ field: 'chain' }))
  })
})
