import { bytesToHex, encodeVaaBody, parseVaa, toBytes32, vaaDigest, type Hex, type ObservedMessage } from '@bulwark/core'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Guardians, verifyVaa } from '../src/crypto/guardians.js'
import { Attestor, type SignedRecord } from '../src/services/quorum/attestor.js'
import { answerReobservation } from '../src/services/quorum/reobservation.js'
import { K } from '../src/services/store/store.js'
import { testGuardianKey } from './support/cluster.js'
import { counter, metrics, silent, tempStore } from './support/env.js'

const keys = [0, 1, 2, 3].map(testGuardianKey)
const guardians = new Guardians(keys.map((k) => k.address))
const msg = (sequence: bigint, payload = Uint8Array.of(1)): ObservedMessage => ({
  emitterChain: 10002, emitterAddress: toBytes32('0xaa'), sequence, nonce: 0, consistencyLevel: 1, timestamp: 1, payload, height: 1n, blockHash: '0x01', txHash: '0x02',
})
const bodyOf = (m: ObservedMessage) => encodeVaaBody({ ...m })
/** Has `a` observe message `seq`, then hands it peers' signatures in order: [sender, index of the key that signs]. */
async function signedBy(a: Attestor, seq: bigint, peers: [sender: number, key: number][]): Promise<void> {
  const m = msg(seq)
  const body = bodyOf(m)
  const digest = vaaDigest(body)
  await a.observe(m)
  for (const [sender, key] of peers) await a.addPeerObservations(sender, [{ body, digest, signature: keys[key]!.sign(digest) }])
}

describe('Attestor', () => {
  let env: Awaited<ReturnType<typeof tempStore>>
  let published: unknown[]
  let vaas: Uint8Array[]
  let m: ReturnType<typeof metrics>
  let invalid: number[]
  let now = 0
  const make = (g = guardians) => new Attestor({
    store: env.store, guardians: g, key: keys[0]!, index: 0, metrics: m, log: silent,
    publish: (o) => published.push(o),
    onVaa: async (_d, v) => { vaas.push(v) },
    onInvalidSignature: (i) => invalid.push(i),
    clock: () => now,
  })
  beforeEach(async () => {
    now = 0
    env = await tempStore()
    published = []
    vaas = []
    invalid = []
    m = metrics()
  })
  afterEach(() => env.cleanup())

  it('signs once, durably before publishing; the same body again is a duplicate', async () => {
    const a = make()
    expect(await a.observe(msg(1n))).toBe('signed')
    const digest = bytesToHex(vaaDigest(bodyOf(msg(1n))))
    const record = await env.store.get<SignedRecord>(K.signed(10002, toBytes32('0xaa'), 1n))
    expect(record?.digest).toBe(digest)
    expect(record?.observation?.endsWith(bytesToHex(bodyOf(msg(1n))).slice(2))).toBe(true)
    expect(await env.store.get(K.unfinished(digest as Hex))).toBeDefined()
    expect(published).toHaveLength(1)
    expect(await a.observe(msg(1n))).toBe('duplicate')
    expect(await counter(m, 'bulwark_relayer_observations_signed_total')).toBe(1)
  })

  it('never signs a second body for the same (emitter, sequence), even after a restart, and raises the alert', async () => {
    await make().observe(msg(1n, Uint8Array.of(1)))
    await env.reopen()
    const a = make()
    await expect(a.observe(msg(1n, Uint8Array.of(2)))).rejects.toMatchObject({ name: 'ConflictingObservation', field: 'sequence' })
    const other = bytesToHex(vaaDigest(bodyOf(msg(1n, Uint8Array.of(2)))))
    expect(await env.store.get(K.unfinished(other as Hex))).toBeUndefined()
    expect(await counter(m, 'bulwark_relayer_conflicting_observations_total', { source: 'watcher' })).toBe(1)
  })

  it('assembles a VAA at quorum (3 of 4) that verifies against the set, exactly once', async () => {
    const a = make()
    const m1 = msg(5n)
    const body = bodyOf(m1)
    const digest = vaaDigest(body)
    await a.observe(m1)
    await a.addPeerObservations(1, [{ body, digest, signature: keys[1]!.sign(digest) }])
    expect(vaas).toHaveLength(0)
    await a.addPeerObservations(2, [{ body, digest, signature: keys[2]!.sign(digest) }])
    await a.addPeerObservations(3, [{ body, digest, signature: keys[3]!.sign(digest) }])
    expect(vaas).toHaveLength(1)
    const vaa = parseVaa(vaas[0]!)
    expect(vaa.signatures.map((s) => s.guardianIndex)).toEqual([0, 1, 2])
    expect(() => verifyVaa(guardians, vaa)).not.toThrow()
    expect(await env.store.get(K.unfinished(bytesToHex(digest)))).toBeUndefined()
  })

  it('reloads own unfinished observations after a restart (peers\' signatures arrive again: they are not stored)', async () => {
    const m1 = msg(9n)
    const body = bodyOf(m1)
    const digest = vaaDigest(body)
    await make().observe(m1)
    await make().addPeerObservations(1, [{ body, digest, signature: keys[1]!.sign(digest) }])
    await env.reopen()
    const a = make()
    const unfinished = await a.load()
    expect(unfinished.map((o) => bytesToHex(o.body))).toEqual([bytesToHex(body)])
    expect(bytesToHex(unfinished[0]!.signature)).toBe(bytesToHex(keys[0]!.sign(digest)))
    await a.addPeerObservations(2, [{ body, digest, signature: keys[2]!.sign(digest) }])
    expect(vaas).toHaveLength(0)
    await a.addPeerObservations(1, [{ body, digest, signature: keys[1]!.sign(digest) }])
    expect(vaas).toHaveLength(1)
    expect(await a.observe(m1)).toBe('duplicate')
  })

  it('verifies peers\' signatures lazily: only as many as the quorum needs; after it, one audit per guardian per second', async () => {
    const g = new Guardians(keys.map((k) => k.address))
    const verify = vi.spyOn(g, 'verify')
    const a = make(g)
    const m1 = msg(11n)
    const body = bodyOf(m1)
    const digest = vaaDigest(body)
    await a.observe(m1)
    await a.addPeerObservations(1, [{ body, digest, signature: keys[1]!.sign(digest) }])
    expect(verify).toHaveBeenCalledTimes(0) // 2 of 3: nothing to assemble yet
    await a.addPeerObservations(2, [{ body, digest, signature: keys[2]!.sign(digest) }])
    expect(verify).toHaveBeenCalledTimes(2)
    expect(vaas).toHaveLength(1)
    await a.addPeerObservations(3, [{ body, digest, signature: keys[3]!.sign(digest) }])
    expect(verify).toHaveBeenCalledTimes(3) // late, never used: guardian 3's first audit
    for (const [k, seq] of [[500, 20n], [999, 21n]] as const) {
      now = k
      await signedBy(a, seq, [[1, 1], [2, 2], [3, 3]])
    }
    expect(verify).toHaveBeenCalledTimes(7) // 2 per VAA for the quorum; guardian 3 not audited again within 1 s
    expect(vaas).toHaveLength(3)
    expect(invalid).toEqual([])
  })

  it('finds a guardian whose bad signatures always arrive after the quorum (audit), without dropping any VAA', async () => {
    const a = make()
    for (const [k, seq] of [[0, 30n], [400, 31n], [1200, 32n]] as const) {
      now = k
      await signedBy(a, seq, [[1, 1], [2, 2], [3, 2]]) // guardian 3's comes late and is signed with key 2
    }
    expect(vaas).toHaveLength(3)
    expect(invalid).toEqual([3, 3]) // audited at 0 and 1200 ms; the one at 400 ms fell inside the interval
    expect(await counter(m, 'bulwark_relayer_envelopes_rejected_total', { reason: 'InvalidSignature' })).toBe(2)
  })

  it('audits held observations the gossip layer does not hand on (one per guardian per second), so a bad guardian is found after the VAA', async () => {
    const a = make()
    await signedBy(a, 40n, [[1, 1], [2, 2]])
    expect(vaas).toHaveLength(1)
    const held = (seq: bigint, key: number) => {
      const b = bodyOf(msg(seq))
      const d = vaaDigest(b)
      return { body: b, digest: d, signature: keys[key]!.sign(d) }
    }
    a.audit(3, [held(40n, 2), held(40n, 2)]) // guardian 3's, signed with key 2, arriving after the VAA
    expect(invalid).toEqual([3])
    now = 999
    a.audit(3, [held(40n, 2)])
    now = 1000
    a.audit(3, [held(40n, 3)]) // audited again, and valid
    expect(invalid).toEqual([3])
    a.audit(1, [held(40n, 2)]) // each guardian has its own interval
    expect(invalid).toEqual([3, 1])
  })

  it('drops a peer signature that does not verify, reports its guardian, and completes the quorum from another', async () => {
    const a = make()
    const m1 = msg(12n)
    const body = bodyOf(m1)
    const digest = vaaDigest(body)
    await a.observe(m1)
    await a.addPeerObservations(1, [{ body, digest, signature: keys[2]!.sign(digest) }]) // guardian 2's key, claimed by 1
    await a.addPeerObservations(2, [{ body, digest, signature: keys[2]!.sign(digest) }])
    expect(vaas).toHaveLength(0)
    expect(invalid).toEqual([1])
    expect(await counter(m, 'bulwark_relayer_envelopes_rejected_total', { reason: 'InvalidSignature' })).toBe(1)
    await a.addPeerObservations(3, [{ body, digest, signature: keys[3]!.sign(digest) }])
    expect(vaas).toHaveLength(1)
    const vaa = parseVaa(vaas[0]!)
    expect(vaa.signatures.map((s) => s.guardianIndex)).toEqual([0, 2, 3])
    expect(() => verifyVaa(guardians, vaa)).not.toThrow()
  })

  it('signing a message whose VAA the peers already formed leaves nothing unfinished to retransmit', async () => {
    const a = make()
    const m1 = msg(13n)
    const body = bodyOf(m1)
    const digest = vaaDigest(body)
    for (const i of [1, 2, 3]) await a.addPeerObservations(i, [{ body, digest, signature: keys[i]!.sign(digest) }])
    expect(vaas).toHaveLength(1)
    expect(await a.observe(m1)).toBe('signed')
    expect(await env.store.get(K.unfinished(bytesToHex(digest) as Hex))).toBeUndefined()
    expect(a.stale(-1, 10)).toEqual([])
    expect(a.pendingCount).toBe(0)
    expect(vaas).toHaveLength(1)
  })

  it('observes a watcher chunk in one commit with one result per message (signed, duplicate, conflict)', async () => {
    const a = make()
    await a.observe(msg(20n, Uint8Array.of(1)))
    const batches = env.store.syncedBatches
    const results = await a.observeMany([msg(20n, Uint8Array.of(1)), msg(21n), msg(20n, Uint8Array.of(2)), msg(22n)])
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).name))).toEqual(['duplicate', 'signed', 'ConflictingObservation', 'signed'])
    expect(env.store.syncedBatches - batches).toBe(1)
    expect(published).toHaveLength(4) // 20 (first), 20 again (duplicate re-published), 21, 22
    for (const q of [21n, 22n]) expect((await env.store.get<SignedRecord>(K.signed(10002, toBytes32('0xaa'), q)))?.digest).toBe(bytesToHex(vaaDigest(bodyOf(msg(q)))))
  })

  it('stores a verified peer VAA once and ignores it afterwards', async () => {
    const a = make()
    const body = bodyOf(msg(3n))
    const digest = vaaDigest(body)
    const { assembleVaa } = await import('@bulwark/core')
    const vaa = assembleVaa(body, 0, [1, 2, 3].map((i) => ({ guardianIndex: i, signature: keys[i]!.sign(digest) })))
    expect(await a.addPeerVaa(vaa, bytesToHex(digest) as Hex)).toBe(true)
    expect(await a.addPeerVaa(vaa, bytesToHex(digest) as Hex)).toBe(false)
    expect(vaas).toHaveLength(1)
  })

  it('answers a reobservation request with what it signed and the VAAs it holds, nothing else', async () => {
    const a = make()
    for (const seq of [0n, 1n, 2n]) await a.observe(msg(seq))
    const body1 = bodyOf(msg(1n))
    const d1 = vaaDigest(body1)
    await a.addPeerObservations(1, [{ body: body1, digest: d1, signature: keys[1]!.sign(d1) }])
    await a.addPeerObservations(2, [{ body: body1, digest: d1, signature: keys[2]!.sign(d1) }])
    const sentObs: Uint8Array[] = []
    const sentVaas: Uint8Array[] = []
    const c = { store: env.store, ownObservation: (r: SignedRecord) => a.ownObservation(r), publishObservations: (o: { body: Uint8Array }[]) => sentObs.push(...o.map((x) => x.body)), publishVaas: (v: Uint8Array[]) => sentVaas.push(...v) }
    expect(await answerReobservation(c, { chain: 10002, emitter: toBytes32('0xaa'), fromSeq: 0n, toSeq: 5n })).toBe(3)
    expect(sentObs.map((b) => bytesToHex(b))).toEqual([0n, 1n, 2n].map((q) => bytesToHex(bodyOf(msg(q)))))
    expect(sentVaas.map((v) => bytesToHex(parseVaa(v).digest))).toEqual([bytesToHex(d1)])
    expect(await answerReobservation(c, { chain: 10002, emitter: toBytes32('0xbb'), fromSeq: 0n, toSeq: 5n })).toBe(0)
    expect(published).toHaveLength(3)
  })
})
