import { addressOfPrivateKey, assembleVaa, buildSignedVaa, bytesToHex, encodePayload, encodeVaaBody, keccak256, toBytes32, vaaDigest, type Hex } from '@bulwark/core'
import { TopicValidatorResult, type GossipSub, type Message, type TopicValidatorFn } from '@libp2p/gossipsub'
import { peerIdFromString } from '@libp2p/peer-id'
import { beforeEach, describe, expect, it } from 'vitest'
import { GuardianSets } from '../src/crypto/guardian-sets.js'
import { Guardians } from '../src/crypto/guardians.js'
import { Kind, encodeEnvelope } from '../src/services/network/envelope.js'
import { Gossip } from '../src/services/network/gossip.js'
import { MAX_BATCH, RETRANSMISSION, encodeObservations, encodeVaas, type ReceivedObservation } from '../src/services/network/messages.js'
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
const GOV = { chain: 1, emitter: `0x${'00'.repeat(31)}04` as Hex }
/** A GuardianSetUpgrade (set 0 -> `newIndex`) signed by guardians 0..2 of set 0. */
const upgradeVaa = (newIndex = 1, signers = [0, 1, 2]) =>
  buildSignedVaa(
    { timestamp: 1, nonce: 0, emitterChain: GOV.chain, emitterAddress: GOV.emitter, sequence: 1n, consistencyLevel: 1, payload: encodePayload({ type: 'GuardianSetUpgrade', targetChain: 0, newIndex, keys: [...keys].reverse().map((k) => k.address as Hex) }) },
    0,
    signers.map((i) => ({ index: i, privateKey: keys[i]!.secret })),
  )
const control = (kind: number, payload: Uint8Array, sender = 1) => encodeEnvelope('net', { kind, sender, guardianSetIndex: 0, timestamp: Date.now(), payload }, keys[sender]!.secret)
const obsEnvelope = (sender: number, items: { body: Uint8Array; signature: Uint8Array }[], opts: { network?: string; timestamp?: number; flags?: number; signer?: number } = {}) =>
  encodeEnvelope(opts.network ?? 'net', { kind: Kind.observations, sender, guardianSetIndex: 0, timestamp: opts.timestamp ?? Date.now(), payload: encodeObservations(items, opts.flags ?? 0) }, keys[opts.signer ?? sender]!.secret)

describe('gossip topic validators', () => {
  let validators: Map<string, TopicValidatorFn>
  let listener: ((e: CustomEvent<Message>) => void) | undefined
  let got: { sender: number; items: ReceivedObservation[]; retransmission: boolean }[]
  let vaas: Hex[]
  let governance: Uint8Array[]
  let sets: GuardianSets
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
    governance = []
    sets = new GuardianSets(new Guardians(keys.map((k) => k.address)), GOV, 3600)
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
      checkGovernance: (v) => sets.check(v),
      setFor: (i) => sets.get(i),
      peerOfGuardian: (i) => (i === 1 ? peer.toString() : undefined),
      handlers: {
        onObservations: async (sender, items, retransmission) => { got.push({ sender, items, retransmission }) },
        onVaa: async (_v, d) => { vaas.push(d) },
        onReobservation: async () => {},
        onHeartbeat: () => {},
        onGovernance: async (v) => { governance.push(v) },
      },
    })
    gossip.start()
  })

  it('accepts a peer batch signed by the sender and hands items with their digests to the handler', async () => {
    const b = body(1n)
    expect(await deliver('observations', obsEnvelope(1, [{ body: b, signature: keys[1]!.sign(vaaDigest(b)) }], { flags: RETRANSMISSION }))).toBe('accept')
    expect(got).toHaveLength(1)
    expect(got[0]).toMatchObject({ sender: 1, retransmission: true })
    expect(bytesToHex(got[0]!.items[0]!.digest)).toBe(bytesToHex(vaaDigest(b)))
  })

  it.each([
    ['malformed bytes', () => Uint8Array.of(1, 2, 3), 'MalformedEnvelope'],
    ['a batch of more than MAX_BATCH items', () => { const b = body(2n); const it = { body: b, signature: keys[1]!.sign(vaaDigest(b)) }; return obsEnvelope(1, Array.from({ length: MAX_BATCH + 1 }, () => it)) }, 'MalformedEnvelope'],
    ['a truncated batch item', () => { const b = body(3n); const env = encodeObservations([{ body: b, signature: keys[1]!.sign(vaaDigest(b)) }]); return encodeEnvelope('net', { kind: Kind.observations, sender: 1, guardianSetIndex: 0, timestamp: Date.now(), payload: env.subarray(0, env.length - 1) }, keys[1]!.secret) }, 'MalformedEnvelope'],
    ['an envelope of another version', () => { const e = obsEnvelope(1, [{ body: body(4n), signature: new Uint8Array(65) }]); e[0] = 2; return e }, 'MalformedEnvelope'],
    ['an envelope whose bytes were altered after signing', () => { const e = obsEnvelope(1, [{ body: body(4n), signature: new Uint8Array(65) }]); e[30]! ^= 1; return e }, 'InvalidSignature'],
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

  it('ignores (without penalty) a stale replay, a replayed batch and its own messages', async () => {
    const b = body(8n)
    const sig = keys[1]!.sign(vaaDigest(b))
    expect(await deliver('observations', obsEnvelope(1, [{ body: b, signature: sig }], { timestamp: Date.now() - 3_600_000 }))).toBe('ignore')
    expect(await deliver('observations', obsEnvelope(0, [{ body: b, signature: keys[0]!.sign(vaaDigest(b)) }]))).toBe('ignore')
    const once = obsEnvelope(1, [{ body: b, signature: sig }])
    expect(await deliver('observations', once)).toBe('accept')
    expect(await deliver('observations', once)).toBe('ignore') // the same signed bytes again, inside the window
    expect(got).toHaveLength(1)
    expect(gossip.penalties.size).toBe(0)
  })

  it('passes per-item signatures on unverified (the Attestor checks the ones a quorum needs) and penalizes their guardian on request', async () => {
    const b = body(2n)
    expect(await deliver('observations', obsEnvelope(1, [{ body: b, signature: keys[2]!.sign(vaaDigest(b)) }]))).toBe('accept')
    expect(got[0]!.items).toHaveLength(1)
    gossip.penalizeGuardian(1, 'InvalidSignature')
    expect(gossip.penalties.get(peer.toString())).toBe(1)
    expect(await counter(m, 'bulwark_relayer_peer_penalties_total', { peer: peer.toString() })).toBe(1)
    gossip.penalizeGuardian(3, 'InvalidSignature') // a guardian without a known PeerId: nobody to penalize
    expect(gossip.penalties.size).toBe(1)
  })

  it('drops items whose VAA it already holds (a batch of only those is ignored) but offers them for audit; retransmissions pass whole', async () => {
    const b = body(10n)
    const b2 = body(11n)
    const held = new Set([bytesToHex(vaaDigest(b))])
    const audited: { sender: number; bodies: Hex[] }[] = []
    const late = new Gossip({ network: 'net', nodeName: 'n0' }, {
      pubsub: { topicValidators: validators, subscribe: () => {}, addEventListener: (_: string, l: (e: CustomEvent<Message>) => void) => { listener = l }, removeEventListener: () => {}, publish: async () => ({ recipients: [] }) } as unknown as GossipSub,
      guardians, key: keys[0]!, index: 0, metrics: m, log: silent, hasVaa: (d) => held.has(d), knownEmitter: () => true,
      audit: (sender, items) => audited.push({ sender, bodies: items.map((i) => bytesToHex(i.body)) }),
      handlers: { onObservations: async (sender, items, retransmission) => { got.push({ sender, items, retransmission }) }, onVaa: async () => {}, onReobservation: async () => {}, onHeartbeat: () => {} },
    })
    late.start()
    const item = (x: Uint8Array) => ({ body: x, signature: keys[1]!.sign(vaaDigest(x)) })
    const onlyHeld = obsEnvelope(1, [item(b)])
    expect(await deliver('observations', onlyHeld)).toBe('ignore')
    expect(await deliver('observations', onlyHeld)).toBe('ignore') // a replay is not offered again
    expect(await deliver('observations', obsEnvelope(1, [item(b), item(b2)]))).toBe('accept')
    expect(got.at(-1)!.items.map((i) => bytesToHex(i.body))).toEqual([bytesToHex(b2)])
    expect(audited).toEqual([{ sender: 1, bodies: [bytesToHex(b)] }, { sender: 1, bodies: [bytesToHex(b)] }])
    expect(await deliver('observations', obsEnvelope(1, [item(b)], { flags: RETRANSMISSION }))).toBe('accept')
    expect(got.at(-1)).toMatchObject({ retransmission: true })
    expect(audited).toHaveLength(2) // a retransmission goes to the handler (the Attestor audits it there)
    expect(late.penalties.size).toBe(0)
  })

  it('ignores (without penalty) an envelope of a newer set it does not know yet', async () => {
    const env = (setIndex: number) => encodeEnvelope('net', { kind: Kind.heartbeat, sender: 1, guardianSetIndex: setIndex, timestamp: Date.now(), payload: Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0) }, keys[1]!.secret)
    expect(await deliver('control', env(3))).toBe('ignore') // this node is behind on governance
    expect(gossip.penalties.size).toBe(0)
    expect(await deliver('control', env(0))).toBe('accept') // the same sender under the set it knows
  })

  it('accepts the next guardian set upgrade on the control topic, ignores an applied one, rejects an invalid one', async () => {
    const vaa = upgradeVaa()
    expect(await deliver('control', control(Kind.governance, vaa))).toBe('accept')
    expect(governance.map((v) => bytesToHex(v))).toEqual([bytesToHex(vaa)])
    expect(await deliver('control', control(Kind.governance, upgradeVaa(1, [0, 1])))).toBe('reject') // 2 of 4: short of quorum
    expect(await counter(m, 'bulwark_relayer_envelopes_rejected_total', { reason: 'QuorumNotMet' })).toBe(1)
    expect(await deliver('control', control(Kind.governance, upgradeVaa(2)))).toBe('reject') // skips index 1
    expect(await counter(m, 'bulwark_relayer_envelopes_rejected_total', { reason: 'InvalidGovernance' })).toBe(1)
    expect(await deliver('control', control(Kind.governance, Uint8Array.of(1, 2, 3)))).toBe('reject')
    expect(await deliver('observations', control(Kind.governance, vaa))).toBe('reject') // a control kind on another topic
    expect(gossip.penalties.get(peer.toString())).toBe(4)
    sets.upgrade(vaa)
    expect(await deliver('control', control(Kind.governance, vaa, 2))).toBe('ignore') // already applied
    expect(governance).toHaveLength(1)
    expect(sets.current.setIndex).toBe(1)
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
