import { bytesToHex, encodeVaaBody, hexToBytes, type Hex, type ObservedMessage } from '@bulwark/core'
import { vaaDigest } from '../../crypto/secp256k1.js'
import type { Logger } from 'pino'
import type { Guardians } from '../../crypto/guardians.js'
import { ConflictingObservationError } from '../../errors.js'
import type { GuardianSigner } from '../signer/guardian-key.js'
import type { ReceivedObservation, SignedObservation } from '../network/messages.js'
import { K, type Op, type Store } from '../store/store.js'
import type { Metrics } from '../ops/metrics.js'
import { messageKeyOfBody } from './message-key.js'

/** What observing one message did. */
export type Outcome = 'signed' | 'duplicate' | 'not-a-guardian'

/** What K.signed holds: the digest signed for that (emitter, sequence) and the observation (hex of signature 65 || body). */
export type SignedRecord = { digest: Hex; signedAt: number; observation?: Hex }
export type VaaRecord = { vaa: Hex; assembledAt: number; source: 'quorum' | 'peer' }

export type AttestorComponents = {
  store: Store
  guardians: Guardians
  key: GuardianSigner
  /** This node's index in the current guardian set; -1 when an upgrade left it out (it then signs nothing). */
  index: number
  metrics: Metrics
  log: Logger
  /** Called once a signed observation is durable, to gossip it. */
  publish: (o: SignedObservation) => void
  /** Called once per VAA, after it is durable (assembled here or received). */
  onVaa: (digest: Hex, vaa: Uint8Array, record: VaaRecord) => Promise<void>
  /** A peer's signature that does not recover to its guardian (dropped; the guardian's peer is penalized). */
  onInvalidSignature?: (guardianIndex: number, digest: Hex) => void
  /**
   * Signatures a quorum did not need (late, or beyond it) are not verified, except one per guardian
   * per this many ms: a guardian whose signatures are bad is found even when its signatures always
   * arrive after the quorum, at a cost of at most one recovery per guardian per interval.
   * @default 1000
   */
  auditIntervalMs?: number
  /** @default Date.now */
  clock?: () => number
}

/**
 * A body waiting for a quorum. `sigs` holds verified signatures (own, or peers' checked at
 * assembly); `unverified` peers' signatures in arrival order, checked only when needed for a quorum.
 */
type Pending = {
  body: Uint8Array
  digest: Uint8Array
  sigs: Map<number, Uint8Array>
  unverified: [number, Uint8Array][]
  since: number
  assembling: boolean
  /** A VAA of it may be in the store from an earlier run (checked before assembling). */
  checkStore: boolean
}

/** Most bodies held in memory while waiting for a quorum (oldest evicted; they stay in the store). */
const MAX_PENDING = 50_000
/** Most digests remembered as done (oldest forgotten: a late signature then costs a store read). */
const MAX_DONE = 200_000

/**
 * Signs what the watchers saw, collects peers' signatures and assembles a VAA at quorum.
 * Invariants: an (emitter, sequence) is signed at most once, and only with one body (a second
 * body is ConflictingObservation, counted as an alert); every own signature is durable before it
 * is gossiped; a VAA is assembled once, from signatures that each recovered to their guardian.
 * Peers' signatures are verified lazily: only as many as the quorum needs, in arrival order, when
 * enough have arrived (a bad one is dropped and reported, and the quorum waits for another).
 */
export class Attestor {
  readonly #c: AttestorComponents
  readonly #pending = new Map<Hex, Pending>()
  readonly #done = new Set<Hex>()
  readonly #signing = new Map<string, Hex>()
  readonly #high = new Map<string, bigint>()
  /** Guardian index -> when one of its unneeded signatures was last audited. */
  readonly #audited = new Map<number, number>()

  constructor(components: AttestorComponents) {
    this.#c = components
  }

  /** Reloads own observations still waiting for a quorum; returns them for rebroadcast. */
  async load(): Promise<SignedObservation[]> {
    const out: SignedObservation[] = []
    for (const [key, signedKey] of await this.#c.store.list<string>(K.unfinishedPrefix)) {
      const digest = key.slice(K.unfinishedPrefix.length) as Hex
      const own = observationOf(await this.#c.store.get<SignedRecord>(signedKey))
      if (own === undefined) continue
      const p = this.#entry(digest, own.body, hexToBytes(digest))
      if (this.#c.index >= 0) p.sigs.set(this.#c.index, own.signature)
      out.push(own)
    }
    return out
  }

  /**
   * Signs a final, reorg-checked message. Returns 'signed', or 'duplicate' when this exact body
   * was signed before (its observation is re-published). A different body for the same
   * (emitter, sequence) throws ConflictingObservationError and signs nothing.
   */
  async observe(msg: ObservedMessage): Promise<Outcome> {
    const [r] = await this.observeMany([msg])
    await this.idle()
    if (r!.status === 'rejected') throw r!.reason
    return r!.value
  }

  /**
   * {@link observe} for a watcher's chunk: one settled result per message, in order. The chunk's
   * signatures are written in one synced commit (durable before any is gossiped), then published
   * and added to their pending bodies; one pass assembles what reached a quorum.
   */
  async observeMany(msgs: readonly ObservedMessage[]): Promise<PromiseSettledResult<Outcome>[]> {
    const out: PromiseSettledResult<Outcome>[] = new Array(msgs.length)
    const fresh: { i: number; key: string; body: Uint8Array; digestBytes: Uint8Array; digest: Hex; msg: ObservedMessage }[] = []
    for (const [i, msg] of msgs.entries()) {
      try {
        const body = encodeVaaBody(msg)
        const digestBytes = vaaDigest(body)
        const digest = bytesToHex(digestBytes)
        const key = K.signed(msg.emitterChain, msg.emitterAddress, msg.sequence)
        const high = this.#high.get(K.signedPrefix(msg.emitterChain, msg.emitterAddress)) ?? (await this.#highest(msg.emitterChain, msg.emitterAddress))
        const previous = this.#signing.get(key) ?? (msg.sequence > high ? undefined : (await this.#c.store.get<SignedRecord>(key))?.digest)
        if (previous !== undefined) {
          if (previous === digest) {
            const own = this.#pending.get(digest)?.sigs.get(this.#c.index)
            if (own) this.#c.publish({ body, signature: own })
            out[i] = { status: 'fulfilled', value: 'duplicate' }
            continue
          }
          this.#c.metrics.conflicts.inc({ source: 'watcher' })
          this.#c.log.error({ key, signed: previous, seen: digest }, 'ALERT: conflicting body for an already signed message; not signing')
          throw new ConflictingObservationError(`a different body was already signed for ${key}`, { field: 'sequence', details: `signed ${previous}, seen ${digest}` })
        }
        if (this.#c.index < 0) {
          out[i] = { status: 'fulfilled', value: 'not-a-guardian' }
          continue
        }
        this.#signing.set(key, digest)
        fresh.push({ i, key, body, digestBytes, digest, msg })
      } catch (reason) {
        out[i] = { status: 'rejected', reason }
      }
    }
    if (fresh.length === 0) return out
    const ops: Op[] = []
    const signed: { f: (typeof fresh)[number]; signature: Uint8Array; doneBefore: boolean }[] = []
    try {
      const signedAt = Date.now()
      for (const f of fresh) {
        const signature = this.#c.key.sign(f.digestBytes)
        const observation = new Uint8Array(65 + f.body.length)
        observation.set(signature, 0)
        observation.set(f.body, 65)
        const record: SignedRecord = { digest: f.digest, signedAt, observation: bytesToHex(observation) }
        // Peers may have formed the VAA before this node's watcher got here: then nothing is unfinished.
        const doneBefore = this.#done.has(f.digest)
        ops.push({ type: 'put', key: f.key, value: record })
        if (!doneBefore) ops.push({ type: 'put', key: K.unfinished(f.digest), value: f.key })
        signed.push({ f, signature, doneBefore })
      }
      await this.#c.store.commit(ops)
    } catch (reason) {
      for (const f of fresh) {
        this.#signing.delete(f.key)
        out[f.i] = { status: 'rejected', reason }
      }
      return out
    }
    const late: Op[] = []
    const assemble: Hex[] = []
    for (const { f, signature, doneBefore } of signed) {
      this.#signing.delete(f.key)
      this.#raiseHighest(f.msg.emitterChain, f.msg.emitterAddress, f.msg.sequence)
      this.signedCount++
      this.#c.publish({ body: f.body, signature })
      out[f.i] = { status: 'fulfilled', value: 'signed' }
      if (this.#done.has(f.digest)) {
        if (!doneBefore) late.push({ type: 'del', key: K.unfinished(f.digest) })
        continue
      }
      const p = this.#entry(f.digest, f.body, f.digestBytes)
      // First signature ever for this (emitter, sequence): no VAA of it was assembled by this node
      // before, so assembling it needs no store lookup (a VAA received from a peer in an earlier
      // run is the rare exception; delivery checks its own records and the chain, so it is not
      // delivered twice either way).
      p.checkStore = false
      if (!p.sigs.has(this.#c.index)) {
        p.sigs.set(this.#c.index, signature)
        if (p.sigs.size + p.unverified.length >= this.#c.guardians.quorum) assemble.push(f.digest)
      }
    }
    this.#c.metrics.observationsSigned.inc(signed.length)
    // The watcher goes on with its next chunk while these are assembled (a failure is logged; the
    // observations stay unfinished in the store and are retransmitted).
    this.#background(Promise.all([this.#c.store.commit(late, { sync: false }), this.#assemble(assemble)]))
    return out
  }

  readonly #inflight = new Set<Promise<unknown>>()

  #background(p: Promise<unknown>): void {
    const q = p.catch((e) => this.#c.log.error({ err: e }, 'assembling own observations failed'))
    this.#inflight.add(q)
    void q.finally(() => this.#inflight.delete(q))
  }

  /** Resolves when the assemblies started by {@link observeMany} are done (call before closing the store). */
  async idle(): Promise<void> {
    while (this.#inflight.size > 0) await Promise.allSettled([...this.#inflight])
  }

  /**
   * Adds observations a peer sent (its envelope was authenticated; the per-item signatures are
   * not verified yet). Nothing is written for them: each is verified only if a quorum needs it,
   * then every digest that reached a quorum is assembled (one commit). Returns the digests that
   * already had a VAA.
   */
  async addPeerObservations(sender: number, items: readonly ReceivedObservation[]): Promise<Hex[]> {
    const already: Hex[] = []
    const ready: Hex[] = []
    const quorum = this.#c.guardians.quorum
    let added = 0
    for (const item of items) {
      const digest = bytesToHex(item.digest)
      if (this.#done.has(digest)) {
        already.push(digest)
        this.#audit(sender, item.digest, item.signature)
        continue
      }
      let p = this.#pending.get(digest)
      if (p === undefined) {
        this.#checkPeerConflict(item.body, digest)
        p = this.#entry(digest, item.body, item.digest)
      }
      if (p.sigs.has(sender) || p.unverified.some(([i]) => i === sender)) continue
      p.unverified.push([sender, item.signature])
      added++
      if (!p.assembling && p.sigs.size + p.unverified.length >= quorum) ready.push(digest)
    }
    if (added > 0) this.#c.metrics.peerObservations.inc(added)
    await this.#assemble(ready)
    return already
  }

  /**
   * Samples the signatures of observations whose VAA this node already holds (the gossip layer
   * drops those before {@link addPeerObservations}): at most one per guardian per auditIntervalMs
   * is verified, and a bad one penalizes its guardian like any other.
   */
  audit(sender: number, items: readonly ReceivedObservation[]): void {
    for (const item of items) this.#audit(sender, item.digest, item.signature)
  }

  /** True when this node holds the VAA of `digest` (assembled or received in this run). */
  hasVaa(digest: Hex): boolean {
    return this.#done.has(digest)
  }

  /** Stores a quorum VAA received from a peer (already verified against the guardian set). */
  async addPeerVaa(vaa: Uint8Array, digest: Hex): Promise<boolean> {
    if (this.#done.has(digest) || (await this.#c.store.get(K.vaa(digest))) !== undefined) return false
    this.#markDone(digest)
    const record: VaaRecord = { vaa: bytesToHex(vaa), assembledAt: Date.now(), source: 'peer' }
    await this.#finish(digest, record, vaa)
    this.#c.metrics.vaasReceived.inc()
    return true
  }

  /**
   * After a guardian set upgrade: signatures collected under the previous set (indices of that
   * set) no longer count. Pending observations keep only this node's own signature, re-filed under
   * its new index (dropped when it left the set); returns them for retransmission.
   */
  async rekey(previousIndex: number): Promise<SignedObservation[]> {
    const ops: Op[] = []
    const out: SignedObservation[] = []
    for (const [digest, p] of this.#pending) {
      const own = previousIndex >= 0 ? p.sigs.get(previousIndex) : undefined
      p.sigs = new Map()
      p.unverified = []
      p.since = Date.now()
      if (own && this.#c.index >= 0) {
        p.sigs.set(this.#c.index, own)
        out.push({ body: p.body, signature: own })
      } else if (own) {
        ops.push({ type: 'del', key: K.unfinished(digest) })
      }
    }
    await this.#c.store.commit(ops)
    return out
  }

  /** Own observations older than `ageMs` still without a quorum (for retransmission). */
  stale(ageMs: number, limit: number): SignedObservation[] {
    const cutoff = Date.now() - ageMs
    const out: SignedObservation[] = []
    for (const p of this.#pending.values()) {
      if (out.length >= limit) break
      const own = p.sigs.get(this.#c.index)
      if (own && p.since < cutoff && !p.assembling) out.push({ body: p.body, signature: own })
    }
    return out
  }

  /** Own observation stored with a signed record (K.signed), if this node signed it. */
  ownObservation(record: SignedRecord | undefined): SignedObservation | undefined {
    return observationOf(record)
  }

  /** Highest sequence this node ever signed for an emitter (-1 if none): above it nothing can conflict. */
  async #highest(chain: number, emitter: Hex): Promise<bigint> {
    const prefix = K.signedPrefix(chain, emitter)
    let h = this.#high.get(prefix)
    if (h === undefined) {
      // Signed keys end with the zero-padded sequence: the last key under the prefix is the highest.
      const last = await this.#c.store.lastKey(prefix)
      h = this.#high.get(prefix) ?? (last === undefined ? -1n : BigInt(last.slice(prefix.length)))
      this.#high.set(prefix, h)
    }
    return h
  }

  /** Raised after the signed record is durable (the record itself is what a restart reads). */
  #raiseHighest(chain: number, emitter: Hex, seq: bigint): void {
    const prefix = K.signedPrefix(chain, emitter)
    if (seq > (this.#high.get(prefix) ?? -1n)) this.#high.set(prefix, seq)
  }

  /** Observations signed and VAAs held since start (for heartbeats). */
  signedCount = 0
  vaaCount = 0

  get pendingCount(): number {
    return this.#pending.size
  }

  #entry(digest: Hex, body: Uint8Array, digestBytes: Uint8Array): Pending {
    let p = this.#pending.get(digest)
    if (p === undefined) {
      if (this.#pending.size >= MAX_PENDING) this.#pending.delete(this.#pending.keys().next().value!)
      p = { body, digest: digestBytes, sigs: new Map(), unverified: [], since: Date.now(), assembling: false, checkStore: true }
      this.#pending.set(digest, p)
    }
    return p
  }

  #invalid(index: number, digest: Hex): void {
    this.#c.metrics.rejected.inc({ reason: 'InvalidSignature' })
    this.#c.log.warn({ guardianIndex: index, digest }, 'dropped a peer signature that does not recover to its guardian')
    this.#c.onInvalidSignature?.(index, digest)
  }

  /** Verifies a signature no quorum needed, at most once per guardian per auditIntervalMs. */
  #audit(index: number, digestBytes: Uint8Array, sig: Uint8Array): void {
    const now = (this.#c.clock ?? Date.now)()
    const last = this.#audited.get(index)
    if (last !== undefined && now - last < (this.#c.auditIntervalMs ?? 1000)) return
    this.#audited.set(index, now)
    if (!this.#c.guardians.verify(digestBytes, sig, index)) this.#invalid(index, bytesToHex(digestBytes))
  }

  /**
   * Assembles every digest of `digests` that has a quorum of verified signatures, verifying
   * peers' signatures (arrival order) only until the quorum is reached. VAAs are written in one
   * commit, then handed to onVaa.
   */
  async #assemble(digests: readonly Hex[]): Promise<void> {
    const g = this.#c.guardians
    const ready: [Hex, Pending][] = []
    for (const digest of digests) {
      const p = this.#pending.get(digest)
      if (p === undefined || p.assembling) continue
      while (p.sigs.size < g.quorum && p.unverified.length > 0) {
        const [index, sig] = p.unverified.shift()!
        if (g.verify(p.digest, sig, index)) p.sigs.set(index, sig)
        else this.#invalid(index, digest)
      }
      if (p.sigs.size < g.quorum) continue
      for (const [index, sig] of p.unverified) this.#audit(index, p.digest, sig)
      p.unverified = []
      p.assembling = true
      ready.push([digest, p])
    }
    if (ready.length === 0) return
    // A VAA stored before a restart (received from a peer) is not assembled again.
    const lookup = ready.filter(([, p]) => p.checkStore)
    const found = new Set<Hex>()
    if (lookup.length > 0) (await this.#c.store.getMany(lookup.map(([d]) => K.vaa(d)))).forEach((v, i) => v !== undefined && found.add(lookup[i]![0]))
    const ops: Op[] = []
    const made: [Hex, Uint8Array, VaaRecord][] = []
    const now = Date.now()
    ready.forEach(([digest, p]) => {
      this.#markDone(digest)
      this.#pending.delete(digest)
      if (found.has(digest)) return
      const vaa = assemble(p.body, g.setIndex, p.sigs, g.quorum)
      if (p.sigs.has(this.#c.index)) this.#c.metrics.latency.observe((now - p.since) / 1000)
      const record: VaaRecord = { vaa: bytesToHex(vaa), assembledAt: now, source: 'quorum' }
      ops.push({ type: 'put', key: K.vaa(digest), value: record }, { type: 'del', key: K.unfinished(digest) })
      made.push([digest, vaa, record])
    })
    if (made.length === 0) return
    // Not fsync'd: written to the OS before onVaa (so it survives a SIGKILL); a power cut can only
    // lose it together with the `unfinished` delete, and then the observation is retransmitted and
    // peers answer with the VAA. Delivery records are synced by the delivery worker.
    await this.#c.store.commit(ops, { sync: false })
    this.vaaCount += made.length
    this.#c.metrics.vaasAssembled.inc(made.length)
    for (const [digest, vaa, record] of made) await this.#c.onVaa(digest, vaa, record)
  }

  #markDone(digest: Hex): void {
    this.#done.add(digest)
    if (this.#done.size > MAX_DONE) this.#done.delete(this.#done.values().next().value!)
  }

  async #finish(digest: Hex, record: VaaRecord, vaa: Uint8Array): Promise<void> {
    this.#pending.delete(digest)
    this.vaaCount++
    await this.#c.store.commit([
      { type: 'put', key: K.vaa(digest), value: record },
      { type: 'del', key: K.unfinished(digest) },
    ])
    await this.#c.onVaa(digest, vaa, record)
  }

  #checkPeerConflict(body: Uint8Array, digest: Hex): void {
    const key = messageKeyOfBody(body)
    const mine = this.#signing.get(key)
    if (mine !== undefined && mine !== digest) {
      this.#c.metrics.conflicts.inc({ source: 'peer' })
      this.#c.log.warn({ key, mine, peer: digest }, 'peer signed a different body for a message this node is signing')
    }
  }
}

/** The observation (signature 65 || body) kept in a signed record. */
function observationOf(record: SignedRecord | undefined): SignedObservation | undefined {
  if (record?.observation === undefined) return undefined
  const bytes = hexToBytes(record.observation)
  return { signature: bytes.subarray(0, 65), body: bytes.subarray(65) }
}

/**
 * VAA v1 bytes in one allocation: version 1 | guardianSetIndex u32 | count | (index, r||s||v)* | body,
 * signatures ascending by guardian index (core's assembleVaa, without its intermediate copies).
 * Takes the `quorum` lowest-indexed signatures: a VAA needs no more.
 */
function assemble(body: Uint8Array, setIndex: number, sigs: Map<number, Uint8Array>, quorum: number): Uint8Array {
  const indices = [...sigs.keys()].sort((a, b) => a - b).slice(0, quorum)
  const out = new Uint8Array(6 + indices.length * 66 + body.length)
  out[0] = 1
  new DataView(out.buffer).setUint32(1, setIndex)
  out[5] = indices.length
  indices.forEach((idx, k) => {
    out[6 + k * 66] = idx
    out.set(sigs.get(idx)!, 7 + k * 66)
  })
  out.set(body, 6 + indices.length * 66)
  return out
}
