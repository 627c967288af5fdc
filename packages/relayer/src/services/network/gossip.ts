import { TopicValidatorResult, type GossipSub, type Message } from '@libp2p/gossipsub'
import { bytesToHex, parseVaa, type Hex } from '@bulwark/core'
import { vaaDigest } from '../../crypto/secp256k1.js'
import type { Logger } from 'pino'
import { verifyVaa, type Guardians } from '../../crypto/guardians.js'
import { MalformedEnvelopeError, UnknownGuardianError } from '../../errors.js'
import { InvalidSignatureError, UnknownEmitterError } from '@bulwark/core'
import type { GuardianSigner } from '../signer/guardian-key.js'
import type { Metrics } from '../ops/metrics.js'
import { Kind, decodeEnvelope, encodeEnvelope, topicString, type Envelope, type TopicName } from './envelope.js'
import {
  MAX_BATCH,
  RETRANSMISSION,
  decodeHeartbeat,
  decodeObservations,
  decodeReobservation,
  decodeVaas,
  encodeHeartbeat,
  encodeObservations,
  encodeReobservation,
  encodeVaas,
  type Heartbeat,
  type ReobservationRequest,
  type SignedObservation,
  type VerifiedObservation,
} from './messages.js'

export type GossipInit = {
  network: string
  nodeName: string
  /** Observations are batched for at most this long. @default 20 */
  batchMs?: number
  /** Envelopes older or further in the future than this are ignored (replays). @default 600000 */
  maxSkewMs?: number
}

export type GossipHandlers = {
  onObservations: (sender: number, items: VerifiedObservation[], retransmission: boolean) => Promise<void>
  onVaa: (vaa: Uint8Array, digest: Hex) => Promise<void>
  onReobservation: (sender: number, req: ReobservationRequest) => Promise<void>
  onHeartbeat: (sender: number, h: Heartbeat) => void
}

export type GossipComponents = {
  pubsub: GossipSub
  /** The current guardian set (read on every use: it changes with an upgrade). */
  guardians: Guardians
  /** The set an envelope or VAA names (current, or an earlier one inside its overlap); throws GuardianSetUnknown / GuardianSetExpired. @default only the current set */
  setFor?: (index: number) => Guardians
  key: GuardianSigner
  /** This node's index in the current set; -1 when it is not a member (it then publishes nothing). */
  index: number
  metrics: Metrics
  log: Logger
  handlers: GossipHandlers
  /** True when this node already holds the VAA of a digest (its signatures are then not re-checked). */
  hasVaa: (digest: Hex) => boolean
  /** True for the configured emitters (vaults and engines); anything else is rejected. */
  knownEmitter: (chain: number, emitter: Hex) => boolean
}

type Decoded =
  | { kind: 'observations'; env: Envelope; items: VerifiedObservation[]; retransmission: boolean }
  | { kind: 'vaas'; env: Envelope; vaas: { vaa: Uint8Array; digest: Hex }[] }
  | { kind: 'reobservation'; env: Envelope; req: ReobservationRequest }
  | { kind: 'heartbeat'; env: Envelope; hb: Heartbeat }
  | { kind: 'late'; env: Envelope }

const TOPICS: TopicName[] = ['observations', 'signatures', 'control']

/**
 * The three gossip topics. Outbound: observations are batched (one envelope signature per batch).
 * Inbound: topic validators decode the envelope strictly and check every signature; the result is
 * Accept, Ignore (own or stale messages) or Reject (malformed bytes, unknown sender, a signature
 * that is not the sender's). A Reject lowers the forwarding peer's gossipsub score and is counted
 * against it here (app-specific score), so a peer that keeps sending bad data is graylisted.
 */
export class Gossip {
  readonly #i: Required<GossipInit>
  readonly #c: GossipComponents
  readonly #decoded = new WeakMap<Message, Decoded>()
  readonly penalties = new Map<string, number>()
  #batch: SignedObservation[] = []
  #batchTimer: NodeJS.Timeout | undefined

  constructor(init: GossipInit, components: GossipComponents) {
    this.#i = { batchMs: 20, maxSkewMs: 600_000, ...init }
    this.#c = components
  }

  topic(t: TopicName): string {
    return topicString(this.#i.network, t)
  }

  /** App-specific gossipsub score: -10 per invalid message this node attributed to the peer. */
  appScore = (peerId: string): number => -10 * (this.penalties.get(peerId) ?? 0)

  start(): void {
    const ps = this.#c.pubsub
    for (const t of TOPICS) {
      ps.topicValidators.set(this.topic(t), (peer, msg) => this.#validate(t, peer.toString(), msg))
      ps.subscribe(this.topic(t))
    }
    ps.addEventListener('message', this.#onMessage)
  }

  /** Flushes the outgoing batch, stops taking messages and waits for handlers in flight. */
  async stop(): Promise<void> {
    this.flush()
    clearTimeout(this.#batchTimer)
    this.#c.pubsub.removeEventListener('message', this.#onMessage)
    await this.idle()
  }

  publishObservation(o: SignedObservation): void {
    this.#batch.push(o)
    if (this.#batch.length >= MAX_BATCH) this.flush()
    else if (this.#batchTimer === undefined) this.#batchTimer = setTimeout(() => this.flush(), this.#i.batchMs)
  }

  flush(): void {
    clearTimeout(this.#batchTimer)
    this.#batchTimer = undefined
    while (this.#batch.length > 0) this.#publish(Kind.observations, 'observations', encodeObservations(this.#batch.splice(0, MAX_BATCH)))
  }

  /** Re-sends own observations still without a quorum (flagged, so peers holding the VAA answer with it). */
  retransmit(items: SignedObservation[]): void {
    for (let i = 0; i < items.length; i += MAX_BATCH) this.#publish(Kind.observations, 'observations', encodeObservations(items.slice(i, i + MAX_BATCH), RETRANSMISSION))
  }

  publishVaas(vaas: Uint8Array[]): void {
    for (let i = 0; i < vaas.length; i += 64) this.#publish(Kind.vaas, 'signatures', encodeVaas(vaas.slice(i, i + 64)))
  }

  requestReobservation(req: ReobservationRequest): void {
    this.#c.metrics.reobservations.inc({ direction: 'sent' })
    this.#publish(Kind.reobservation, 'control', encodeReobservation(req))
  }

  heartbeat(h: Heartbeat): void {
    this.#publish(Kind.heartbeat, 'control', encodeHeartbeat(h))
  }

  #inflight = new Set<Promise<void>>()

  /** Resolves when every accepted message handed to a handler has been handled. */
  async idle(): Promise<void> {
    while (this.#inflight.size > 0) await Promise.allSettled([...this.#inflight])
  }

  #publish(kind: number, topic: TopicName, payload: Uint8Array): void {
    if (this.#c.index < 0) return
    const env = { kind, sender: this.#c.index, guardianSetIndex: this.#c.guardians.setIndex, timestamp: Date.now(), payload }
    const data = encodeEnvelope(this.#i.network, env, this.#c.key.secret)
    this.#c.pubsub.publish(this.topic(topic), data).catch((e) => this.#c.log.warn({ err: e, topic }, 'gossip publish failed'))
  }

  #validate(topic: TopicName, peer: string, msg: Message): TopicValidatorResult {
    let decoded: Decoded
    try {
      decoded = this.#decode(topic, msg.data)
    } catch (e) {
      const reason = e instanceof Error ? e.name : 'Error'
      this.#c.metrics.envelopes.inc({ topic, result: 'reject' })
      this.#c.metrics.rejected.inc({ reason })
      this.#c.metrics.penalties.inc({ peer })
      this.penalties.set(peer, (this.penalties.get(peer) ?? 0) + 1)
      this.#c.log.warn({ peer, topic, reason, field: (e as { field?: string }).field }, 'rejected gossip from peer')
      return TopicValidatorResult.Reject
    }
    const skew = Math.abs(Date.now() - decoded.env.timestamp)
    if (decoded.env.sender === this.#c.index || skew > this.#i.maxSkewMs) {
      this.#c.metrics.envelopes.inc({ topic, result: 'ignore' })
      return TopicValidatorResult.Ignore
    }
    if (decoded.kind === 'late' || (decoded.kind === 'vaas' && decoded.vaas.length === 0)) {
      this.#c.metrics.envelopes.inc({ topic, result: 'ignore' })
      return TopicValidatorResult.Ignore
    }
    this.#decoded.set(msg, decoded)
    this.#c.metrics.envelopes.inc({ topic, result: 'accept' })
    return TopicValidatorResult.Accept
  }

  /** Strict decode and full signature check; throws a typed error naming what was wrong. */
  #decode(topic: TopicName, data: Uint8Array): Decoded {
    const current = this.#c.guardians
    const env = decodeEnvelope(this.#i.network, topic, data)
    const g = env.guardianSetIndex === current.setIndex ? current : this.#setFor(env.guardianSetIndex)
    if (env.sender >= g.size) throw new UnknownGuardianError(`sender ${env.sender} is not in a set of ${g.size}`, { field: 'sender' })
    if (!g.verify(env.signingDigest, env.signature, env.sender)) {
      throw new InvalidSignatureError(`envelope is not signed by guardian ${env.sender}`, { field: 'signature' })
    }
    switch (env.kind) {
      case Kind.observations: {
        // Signatures under an earlier set (a peer that has not applied the upgrade yet) cannot count
        // towards the current set's quorum: the authenticated envelope is ignored, not penalized.
        if (g !== current) return { kind: 'late', env }
        const decoded = decodeObservations(env.payload)
        const flags = decoded.flags
        const digests = decoded.items.map((it, i) => {
          this.#checkEmitter(it.body, `items[${i}]`)
          return vaaDigest(it.body)
        })
        // Late signatures for VAAs this node already holds change nothing: they are neither verified
        // nor kept. When a whole batch is late, one random item is checked (a sender of bad signatures
        // is still caught and penalized) and the batch is Ignored (not forwarded). Retransmissions are
        // checked in full: the sender lacks the VAA and gets a reply.
        const full = (flags & RETRANSMISSION) !== 0
        const late = full ? undefined : digests.map((d) => this.#c.hasVaa(bytesToHex(d)))
        const check = (i: number): void => {
          if (!g.verify(digests[i]!, decoded.items[i]!.signature, env.sender)) {
            throw new InvalidSignatureError(`observation ${i} is not signed by guardian ${env.sender}`, { field: `items[${i}].signature` })
          }
        }
        if (late?.every(Boolean)) {
          check(Math.floor(Math.random() * digests.length))
          return { kind: 'late', env }
        }
        const items: VerifiedObservation[] = []
        decoded.items.forEach((it, i) => {
          if (late?.[i]) return
          check(i)
          items.push({ ...it, digest: digests[i]! })
        })
        return { kind: 'observations', env, items, retransmission: (flags & RETRANSMISSION) !== 0 }
      }
      case Kind.vaas: {
        const vaas: { vaa: Uint8Array; digest: Hex }[] = []
        for (const bytes of decodeVaas(env.payload)) {
          const vaa = parseVaa(bytes)
          this.#checkEmitter(vaa.body, 'vaas')
          const digest = bytesToHex(vaa.digest)
          if (this.#c.hasVaa(digest)) continue
          verifyVaa(vaa.guardianSetIndex === current.setIndex ? current : this.#setFor(vaa.guardianSetIndex), vaa)
          vaas.push({ vaa: bytes, digest })
        }
        return { kind: 'vaas', env, vaas }
      }
      case Kind.reobservation:
        return { kind: 'reobservation', env, req: decodeReobservation(env.payload) }
      case Kind.heartbeat:
        return { kind: 'heartbeat', env, hb: decodeHeartbeat(env.payload) }
      default:
        throw new MalformedEnvelopeError(`unknown kind ${env.kind}`, { field: 'kind' })
    }
  }

  #setFor(index: number): Guardians {
    if (this.#c.setFor) return this.#c.setFor(index)
    throw new UnknownGuardianError(`guardian set ${index} is not ${this.#c.guardians.setIndex}`, { field: 'guardianSetIndex' })
  }

  #checkEmitter(body: Uint8Array, field: string): void {
    const chain = (body[8]! << 8) | body[9]!
    const emitter = bytesToHex(body.subarray(10, 42))
    if (!this.#c.knownEmitter(chain, emitter)) throw new UnknownEmitterError(`emitter ${chain}/${emitter} is not configured`, { field: `${field}.emitterAddress` })
  }

  #onMessage = (evt: CustomEvent<Message>): void => {
    const d = this.#decoded.get(evt.detail)
    if (d === undefined) return
    this.#decoded.delete(evt.detail)
    const h = this.#c.handlers
    const run = async (): Promise<void> => {
      if (d.kind === 'observations') await h.onObservations(d.env.sender, d.items, d.retransmission)
      else if (d.kind === 'vaas') for (const v of d.vaas) await h.onVaa(v.vaa, v.digest)
      else if (d.kind === 'reobservation') await h.onReobservation(d.env.sender, d.req)
      else if (d.kind === 'heartbeat') h.onHeartbeat(d.env.sender, d.hb)
    }
    const p = run().catch((e) => this.#c.log.error({ err: e, kind: d.kind }, 'handling gossip failed'))
    this.#inflight.add(p)
    void p.finally(() => this.#inflight.delete(p))
  }
}
