import { assembleVaa, bytesToHex, encodeVaaBody, hexToBytes, type Hex, type ObservedMessage } from '@bulwark/core'
import { vaaDigest } from '../../crypto/secp256k1.js'
import type { Logger } from 'pino'
import type { Guardians } from '../../crypto/guardians.js'
import { ConflictingObservationError } from '../../errors.js'
import type { GuardianSigner } from '../signer/guardian-key.js'
import type { SignedObservation, VerifiedObservation } from '../network/messages.js'
import { K, type Op, type Store } from '../store/store.js'
import type { Metrics } from '../ops/metrics.js'
import { messageKeyOfBody } from './message-key.js'

export type SignedRecord = { digest: Hex; signedAt: number }
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
}

type Pending = { body: Uint8Array; sigs: Map<number, Uint8Array>; since: number; assembling: boolean }

/** Most bodies held in memory while waiting for a quorum (oldest evicted; they stay in the store). */
const MAX_PENDING = 50_000
/** Most digests remembered as done (oldest forgotten: a late signature then costs a store read). */
const MAX_DONE = 200_000

/**
 * Signs what the watchers saw, collects peers' signatures and assembles a VAA at quorum.
 * Invariants: an (emitter, sequence) is signed at most once, and only with one body (a second
 * body is ConflictingObservation, counted as an alert); every signature is durable before it is
 * gossiped; a VAA is assembled once, from signatures that each recovered to their guardian.
 */
export class Attestor {
  readonly #c: AttestorComponents
  readonly #pending = new Map<Hex, Pending>()
  readonly #done = new Set<Hex>()
  readonly #signing = new Map<string, Hex>()
  readonly #high = new Map<string, bigint>()

  constructor(components: AttestorComponents) {
    this.#c = components
  }

  /** Reloads own observations still waiting for a quorum; returns them for rebroadcast. */
  async load(): Promise<SignedObservation[]> {
    const out: SignedObservation[] = []
    for (const [key] of await this.#c.store.list<number>(K.unfinishedPrefix)) {
      const digest = key.slice(K.unfinishedPrefix.length) as Hex
      const body = await this.#c.store.get<Hex>(K.body(digest))
      if (body === undefined) continue
      const p = this.#entry(digest, hexToBytes(body))
      for (const [k, sig] of await this.#c.store.list<Hex>(K.signaturePrefix(digest))) {
        p.sigs.set(Number(k.slice(-3)), hexToBytes(sig))
      }
      const own = p.sigs.get(this.#c.index)
      if (own) out.push({ body: p.body, signature: own })
    }
    return out
  }

  /**
   * Signs a final, reorg-checked message. Returns 'signed', or 'duplicate' when this exact body
   * was signed before (its observation is re-published). A different body for the same
   * (emitter, sequence) throws ConflictingObservationError and signs nothing.
   */
  async observe(msg: ObservedMessage): Promise<'signed' | 'duplicate' | 'not-a-guardian'> {
    const body = encodeVaaBody({
      timestamp: msg.timestamp,
      nonce: msg.nonce,
      emitterChain: msg.emitterChain,
      emitterAddress: msg.emitterAddress,
      sequence: msg.sequence,
      consistencyLevel: msg.consistencyLevel,
      payload: msg.payload,
    })
    const digest = bytesToHex(vaaDigest(body))
    const key = K.signed(msg.emitterChain, msg.emitterAddress, msg.sequence)
    const high = await this.#highest(msg.emitterChain, msg.emitterAddress)
    const previous = this.#signing.get(key) ?? (msg.sequence > high ? undefined : (await this.#c.store.get<SignedRecord>(key))?.digest)
    if (previous !== undefined) {
      if (previous === digest) {
        const own = this.#pending.get(digest)?.sigs.get(this.#c.index)
        if (own) this.#c.publish({ body, signature: own })
        return 'duplicate'
      }
      this.#c.metrics.conflicts.inc({ source: 'watcher' })
      this.#c.log.error({ key, signed: previous, seen: digest }, 'ALERT: conflicting body for an already signed message; not signing')
      throw new ConflictingObservationError(`a different body was already signed for ${key}`, { field: 'sequence', details: `signed ${previous}, seen ${digest}` })
    }
    if (this.#c.index < 0) return 'not-a-guardian'
    this.#signing.set(key, digest)
    try {
      const signature = this.#c.key.sign(hexToBytes(digest))
      const record: SignedRecord = { digest, signedAt: Date.now() }
      await this.#c.store.commit([
        { type: 'put', key, value: record },
        { type: 'put', key: K.body(digest), value: bytesToHex(body) },
        { type: 'put', key: K.signature(digest, this.#c.index), value: bytesToHex(signature) },
        { type: 'put', key: K.unfinished(digest), value: record.signedAt },
        ...this.#raiseHighest(msg.emitterChain, msg.emitterAddress, msg.sequence),
      ])
      this.#c.metrics.observationsSigned.inc()
      this.signedCount++
      this.#c.publish({ body, signature })
      await this.#add(digest, body, this.#c.index, signature)
      return 'signed'
    } finally {
      this.#signing.delete(key)
    }
  }

  /**
   * Adds observations a peer signed (each signature already verified against `sender`). The whole
   * batch is written in one commit, then every digest that reached quorum is assembled. Returns
   * the digests that already had a VAA.
   */
  async addPeerObservations(sender: number, items: readonly VerifiedObservation[]): Promise<Hex[]> {
    const ops: Op[] = []
    const touched = new Set<Hex>()
    const already: Hex[] = []
    for (const item of items) {
      const digest = bytesToHex(item.digest)
      if (this.#done.has(digest)) {
        already.push(digest)
        continue
      }
      this.#c.metrics.peerObservations.inc()
      if (!this.#pending.has(digest)) {
        ops.push({ type: 'put', key: K.body(digest), value: bytesToHex(item.body) })
        this.#checkPeerConflict(item.body, digest)
      }
      const p = this.#entry(digest, item.body)
      if (p.sigs.has(sender)) continue
      p.sigs.set(sender, item.signature)
      ops.push({ type: 'put', key: K.signature(digest, sender), value: bytesToHex(item.signature) })
      touched.add(digest)
    }
    await this.#c.store.commit(ops)
    await Promise.all([...touched].map((d) => this.#maybeAssemble(d)))
    return already
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
    await this.#finish(digest, record)
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
      for (const i of p.sigs.keys()) ops.push({ type: 'del', key: K.signature(digest, i) })
      p.sigs = new Map()
      p.since = Date.now()
      if (own && this.#c.index >= 0) {
        p.sigs.set(this.#c.index, own)
        ops.push({ type: 'put', key: K.signature(digest, this.#c.index), value: bytesToHex(own) })
        out.push({ body: p.body, signature: own })
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

  /** Own observation for a digest, if this node signed it. */
  async ownObservation(digest: Hex): Promise<SignedObservation | undefined> {
    const [body, sig] = await Promise.all([this.#c.store.get<Hex>(K.body(digest)), this.#c.store.get<Hex>(K.signature(digest, this.#c.index))])
    return body && sig ? { body: hexToBytes(body), signature: hexToBytes(sig) } : undefined
  }

  /** Highest sequence this node ever signed for an emitter (-1 if none): above it nothing can conflict. */
  async #highest(chain: number, emitter: Hex): Promise<bigint> {
    const k = K.highestSigned(chain, emitter)
    let h = this.#high.get(k)
    if (h === undefined) {
      const saved = await this.#c.store.get<string>(k)
      h = this.#high.get(k) ?? (saved === undefined ? -1n : BigInt(saved))
      this.#high.set(k, h)
    }
    return h
  }

  #raiseHighest(chain: number, emitter: Hex, seq: bigint): Op[] {
    const k = K.highestSigned(chain, emitter)
    if (seq <= (this.#high.get(k) ?? -1n)) return []
    this.#high.set(k, seq)
    return [{ type: 'put', key: k, value: String(seq) }]
  }

  /** Observations signed and VAAs held since start (for heartbeats). */
  signedCount = 0
  vaaCount = 0

  get pendingCount(): number {
    return this.#pending.size
  }

  #entry(digest: Hex, body: Uint8Array): Pending {
    let p = this.#pending.get(digest)
    if (p === undefined) {
      if (this.#pending.size >= MAX_PENDING) this.#pending.delete(this.#pending.keys().next().value!)
      p = { body, sigs: new Map(), since: Date.now(), assembling: false }
      this.#pending.set(digest, p)
    }
    return p
  }

  async #add(digest: Hex, body: Uint8Array, index: number, sig: Uint8Array): Promise<void> {
    const p = this.#entry(digest, body)
    if (p.sigs.has(index)) return
    p.sigs.set(index, sig)
    await this.#maybeAssemble(digest)
  }

  async #maybeAssemble(digest: Hex): Promise<void> {
    const p = this.#pending.get(digest)
    if (p === undefined || p.assembling || p.sigs.size < this.#c.guardians.quorum) return
    p.assembling = true
    if ((await this.#c.store.get(K.vaa(digest))) !== undefined) {
      this.#markDone(digest)
      this.#pending.delete(digest)
      return
    }
    const sigs = [...p.sigs].map(([guardianIndex, signature]) => ({ guardianIndex, signature }))
    const vaa = assembleVaa(p.body, this.#c.guardians.setIndex, sigs)
    this.#markDone(digest)
    if (p.sigs.has(this.#c.index)) this.#c.metrics.latency.observe((Date.now() - p.since) / 1000)
    this.#c.metrics.vaasAssembled.inc()
    await this.#finish(digest, { vaa: bytesToHex(vaa), assembledAt: Date.now(), source: 'quorum' })
  }

  #markDone(digest: Hex): void {
    this.#done.add(digest)
    if (this.#done.size > MAX_DONE) this.#done.delete(this.#done.values().next().value!)
  }

  async #finish(digest: Hex, record: VaaRecord): Promise<void> {
    this.#pending.delete(digest)
    this.vaaCount++
    await this.#c.store.commit([
      { type: 'put', key: K.vaa(digest), value: record },
      { type: 'del', key: K.unfinished(digest) },
    ])
    await this.#c.onVaa(digest, hexToBytes(record.vaa), record)
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
