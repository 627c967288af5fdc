import { assembleVaa, bytesToHex, encodeVaaBody, keccak256, toBytes32, vaaDigest, type Hex } from '@bulwark/core'
import { TopicValidatorResult, type GossipSub, type Message, type TopicValidatorFn } from '@libp2p/gossipsub'
import { peerIdFromString } from '@libp2p/peer-id'
import { beforeEach, describe, expect, it } from 'vitest'
import { Guardians } from '../src/crypto/guardians.js'
import { Kind, encodeEnvelope } from '../src/services/network/envelope.js'
import { Gossip } from '../src/services/network/gossip.js'
import { RETRANSMISSION, encodeObservations, encodeVaas, type VerifiedObservation } from '../src/services/network/messages.js'
import { testGuardianKey } from './support/cluster.js'
import { counter, metrics, silent } from './support/env.js'

/**
 * Unit test of the topic validators around gossipsub: the pubsub object is a minimal stand-in
 * that records validators and delivers messages the way gossipsub does (validate, then emit).
 */
const keys = [0, 1, 2, 3].map(testGuardianKey)
const guardians = new Guardians(keys.map((k) => k.address))
const emitter = toBytes32('0xc3')
const peer = peerIdFromString('12D3KooWHFrmLWTTDD4NodngtRMEVYgxrsDMp4F9Y6mXsNM7Vn1w')
const body = (seq: bigint, emitterAddress: Hex = emitter) =>
  encodeVaaBody({ timestamp: 1, nonce: 0, emitterChain: 10002, emitterAddress, sequence: seq, consistencyLevel: 1, payload: Uint8Array.of(seq > 255n ? 0 : Number(seq)) })
const obsEnvelope = (sender: number, items: { body: Uint8Array; signature: Uint8Array }[], opts: { network?: string; timestamp?: number; flags?: number; signer?: number } = {}) =>
  encodeEnvelope(opts.network ?? 'net', { kind: Kind.observations, sender, guardianSetIndex: 0, timestamp: opts.timestamp ?? Date.now(), payload: encodeObservations(items, opts.flags ?? 0) }, keys[opts.signer ?? sender]!.secret)

describe('gossip topic validators', () => {
  let validators: Map<string, TopicValidatorFn>
  let listener: ((e: CustomEvent<Message>) => void) | undefined
  let got: { sender: number; items: VerifiedObservation[]; retransmission: boolean }[]
  let vaas: Hex[]
  let m: ReturnType<typeof metrics>
  let gossip: Gossip

  const deliver = async (topic: string, data: Uint8Array): Promise<TopicValidatorResult> => {
    const msg: Message = { type: 'unsigned', topic: `net/${topic}`, data }
    const result = await validators.get(`net/${topic}`)!(peer, msg)
    if (result === TopicValidatorResult.Accept) listener?.(new CustomEvent('message', { detail: msg }))
    await gossip.idle()
    return result
  }

  beforeEach(() => {
    validators = new Map()
    got = []
    vaas = []
    m = metrics()
    const pubsub = {
      topicValidators: validators,
      subscribe: () => {},
      addEventListener: (_: string, l: (e: CustomEvent<Message>) => void) => { listener = l },
      removeEventListener: () => {},
      publish: async () => ({ recipients: [] }),
    } as unknown as GossipSub
    gossip = new Gossip({ network: 'net', nodeName: 'n0' }, {
      pubsub, guardians, key: keys[0]!, index: 0, metrics: m, log: silent,
      hasVaa: () => false,
      knownEmitter: (chain, e) => chain === 10002 && e === emitter,
      handlers: {
        onObservations: async (sender, items, retransmission) => { got.push({ sender, items, retransmission }) },
        onVaa: async (_v, d) => { vaas.push(d) },
        onReobservation: async () => {},
        onHeartbeat: () => {},
      },
    })
    gossip.start()
  })

  it('accepts a peer batch whose signatures are all the sender\'s and hands digests to the handler', async () => {
    const b = body(1n)
    expect(await deliver('observations', obsEnvelope(1, [{ body: b, signature: keys[1]!.sign(vaaDigest(b)) }], { flags: RETRANSMISSION }))).toBe('accept')
    expect(got).toHaveLength(1)
    expect(got[0]).toMatchObject({ sender: 1, retransmission: true })
    expect(bytesToHex(got[0]!.items[0]!.digest)).toBe(bytesToHex(vaaDigest(b)))
  })

  it.each([
    ['malformed bytes', () => Uint8Array.of(1, 2, 3), 'MalformedEnvelope'],
    ['an observation signed by someone else', () => { const b = body(2n); return obsEnvelope(1, [{ body: b, signature: keys[2]!.sign(vaaDigest(b)) }]) }, 'InvalidSignature'],
    ['a signature over the wrong digest', () => { const b = body(3n); return obsEnvelope(1, [{ body: b, signature: keys[1]!.sign(keccak256(b)) }]) }, 'InvalidSignature'],
    ['an envelope signed by another guardian', () => { const b = body(4n); return obsEnvelope(1, [{ body: b, signature: keys[1]!.sign(vaaDigest(b)) }], { signer: 2 }) }, 'InvalidSignature'],
    ['an envelope from another network', () => { const b = body(5n); return obsEnvelope(1, [{ body: b, signature: keys[1]!.sign(vaaDigest(b)) }], { network: 'other' }) }, 'InvalidSignature'],
    ['a sender outside the set', () => encodeEnvelope('net', { kind: Kind.observations, sender: 9, guardianSetIndex: 0, timestamp: Date.now(), payload: encodeObservations([{ body: body(6n), signature: new Uint8Array(65) }]) }, keys[1]!.secret), 'UnknownGuardian'],
    ['an unknown emitter', () => { const b = body(7n, toBytes32('0xdead')); return obsEnvelope(1, [{ body: b, signature: keys[1]!.sign(vaaDigest(b)) }]) }, 'UnknownEmitter'],
  ])('rejects and penalizes %s', async (_name, make, reason) => {
    expect(await deliver('observations', make())).toBe('reject')
    expect(got).toEqual([])
    expect(await counter(m, 'bulwark_relayer_envelopes_rejected_total', { reason })).toBe(1)
    expect(gossip.penalties.get(peer.toString())).toBe(1)
    expect(gossip.appScore(peer.toString())).toBeLessThan(0)
  })

  it('ignores (without penalty) a stale replay and its own messages', async () => {
    const b = body(8n)
    expect(await deliver('observations', obsEnvelope(1, [{ body: b, signature: keys[1]!.sign(vaaDigest(b)) }], { timestamp: Date.now() - 3_600_000 }))).toBe('ignore')
    expect(await deliver('observations', obsEnvelope(0, [{ body: b, signature: keys[0]!.sign(vaaDigest(b)) }]))).toBe('ignore')
    expect(got).toEqual([])
    expect(gossip.penalties.size).toBe(0)
  })

  it('ignores late signatures for VAAs it already holds after a spot check, and checks retransmissions in full', async () => {
    const b = body(10n)
    const garbage = keys[2]!.sign(vaaDigest(b))
    const held = new Set([bytesToHex(vaaDigest(b))])
    const late = new Gossip({ network: 'net', nodeName: 'n0' }, {
      pubsub: { topicValidators: validators, subscribe: () => {}, addEventListener: () => {}, removeEventListener: () => {}, publish: async () => ({ recipients: [] }) } as unknown as GossipSub,
      guardians, key: keys[0]!, index: 0, metrics: m, log: silent, hasVaa: (d) => held.has(d), knownEmitter: () => true,
      handlers: { onObservations: async () => {}, onVaa: async () => {}, onReobservation: async () => {}, onHeartbeat: () => {} },
    })
    late.start()
    expect(await deliver('observations', obsEnvelope(1, [{ body: b, signature: keys[1]!.sign(vaaDigest(b)) }]))).toBe('ignore')
    expect(await deliver('observations', obsEnvelope(1, [{ body: b, signature: garbage }]))).toBe('reject')
    expect(await deliver('observations', obsEnvelope(1, [{ body: b, signature: garbage }], { flags: RETRANSMISSION }))).toBe('reject')
    expect(late.penalties.get(peer.toString())).toBe(2)
  })

  it('verifies quorum VAAs on the signatures topic and rejects one short of quorum', async () => {
    const b = body(9n)
    const d = vaaDigest(b)
    const sign = (idx: number[]) => assembleVaa(b, 0, idx.map((i) => ({ guardianIndex: i, signature: keys[i]!.sign(d) })))
    const env = (vaa: Uint8Array) => encodeEnvelope('net', { kind: Kind.vaas, sender: 2, guardianSetIndex: 0, timestamp: Date.now(), payload: encodeVaas([vaa]) }, keys[2]!.secret)
    expect(await deliver('signatures', env(sign([0, 1, 3])))).toBe('accept')
    expect(vaas).toEqual([bytesToHex(d)])
    expect(await deliver('signatures', env(sign([0, 1])))).toBe('reject')
    expect(await counter(m, 'bulwark_relayer_envelopes_rejected_total', { reason: 'QuorumNotMet' })).toBe(1)
  })
})
