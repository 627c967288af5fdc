import { TopicValidatorResult, type GossipSub, type Message } from '@libp2p/gossipsub'
import { bytesToHex, parseVaa, type Hex } from '@bulwark/core'
import { vaaDigest } from '../../crypto/secp256k1.js'
import type { Logger } from 'pino'
import { verifyVaa, type Guardians } from '../../crypto/guardians.js'
import { MalformedEnvelopeError, UnknownGuardianError } from '../../errors.js'
import { ReplayCache } from './replay.js'
import { InvalidGovernanceError, InvalidSignatureError, UnknownEmitterError } from '@bulwark/core'
import type { GuardianSigner } from '../signer/guardian-key.js'
import type { Metrics } from '../ops/metrics.js'
import { Kind, decodeEnvelope, encodeEnvelope, topicString, type Envelope, type TopicName } from './envelope.js'
import {
  MAX_BATCH,
  RETRANSMISSION,
  decodeHeartbeat,
  decodeGovernance,
  decodeObservations,
  decodeReobservation,
  decodeVaas,
  encodeGovernance,
  encodeHeartbeat,
  encodeObservations,
  encodeReobservation,
  encodeVaas,
  type Heartbeat,
  type ReobservationRequest,
  type ReceivedObservation,
  type SignedObservation,
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
  onObservations: (sender: number, items: ReceivedObservation[], retransmission: boolean) => Promise<void>
  onVaa: (vaa: Uint8Array, digest: Hex) => Promise<void>
  onReobservation: (sender: number, req: ReobservationRequest) => Promise<void>
  onHeartbeat: (sender: number, h: Heartbeat, guardianSetIndex: number) => void
  /** A governance VAA that `checkGovernance` found applicable. */
  onGovernance?: (vaa: Uint8Array) => Promise<void>
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
  /**
   * Items of an authenticated batch whose VAA this node already holds: they are not handed on, only
   * offered here so that their guardian's signatures are still sampled (Attestor.audit). Without
   * it, a guardian whose bad signatures always arrive after the quorum would never be checked.
   */
  audit?: (sender: number, items: ReceivedObservation[]) => void
  /** True for the configured emitters (vaults and engines); anything else is rejected. */
  knownEmitter: (chain: number, emitter: Hex) => boolean
  /**
   * Validates a governance VAA against the current set without applying it: 'apply' when it is the
   * next upgrade, 'known' when it is already applied (Ignore); throws the typed error otherwise
   * (Reject). @default every governance message is rejected (InvalidGovernance)
   */
  checkGovernance?: (vaa: Uint8Array) => 'apply' | 'known'
  /** libp2p PeerId of a guardian of the current set (to penalize it for a bad signature it made). */
  peerOfGuardian?: (index: number) => string | undefined
}

type Decoded =
  | { kind: 'observations'; env: Envelope; items: ReceivedObservation[]; held: ReceivedObservation[]; retransmission: boolean }
  | { kind: 'governance'; env: Envelope; vaa: Uint8Array }
  | { kind: 'vaas'; env: Envelope; vaas: { vaa: Uint8Array; digest: Hex }[] }
  | { kind: 'reobservation'; env: Envelope; req: ReobservationRequest }
  | { kind: 'heartbeat'; env: Envelope; hb: Heartbeat }
  | { kind: 'late'; env: Envelope }

const TOPICS: TopicName[] = ['observations', 'signatures', 'control']

/**
 * The three gossip topics. Outbound: observations are batched (one envelope signature per batch,
 * flushed every `batchMs` or at MAX_BATCH items). Inbound: topic validators decode the envelope
 * strictly and check its signature (one per batch); the result is Accept, Ignore (own, stale or
 * replayed messages, already-held VAAs) or Reject (malformed bytes, unknown sender or set, an
 * envelope signature that is not the sender's, an unknown emitter, a VAA short of quorum, an
 * invalid governance VAA). A Reject lowers the forwarding peer's gossipsub score and is counted
 * against it here (app-specific score), so a peer that keeps sending bad data is graylisted.
 * Per-observation signatures are verified later, only when a quorum needs them (Attestor); a bad
 * one is charged to its guardian's peer through {@link penalizeGuardian}.
 */
export class Gossip {
  readonly #i: Required<GossipInit>
  readonly #c: GossipComponents
  readonly #decoded = new WeakMap<Message, Decoded>()
  readonly penalties = new Map<string, number>()
  #replays!: ReplayCache
  #batch: SignedObservation[] = []
  #batchTimer: NodeJS.Timeout | undefined

  constructor(init: GossipInit, components: GossipComponents) {
    this.#i = { batchMs: 20, maxSkewMs: 600_000, ...init }
    this.#c = components
    this.#replays = new ReplayCache(this.#i.maxSkewMs)
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

  /**
   * Gossips a governance VAA on the control topic, signed under the set this node is in now, or
   * under an earlier set (`as`: that set's index and this node's index in it) so that a peer still
   * on that set can authenticate it.
   */
  publishGovernance(vaa: Uint8Array, as?: { setIndex: number; index: number }): void {
    this.#publish(Kind.governance, 'control', encodeGovernance(vaa), as)
  }

  /** Counts an invalid message against a peer (app-specific score and metric). */
  penalize(peer: string, reason: string): void {
    this.#c.metrics.penalties.inc({ peer })
    this.penalties.set(peer, (this.penalties.get(peer) ?? 0) + 1)
    this.#c.log.warn({ peer, reason }, 'penalized peer')
  }

  /** Penalizes the peer of a current-set guardian whose observation signature did not verify. */
  penalizeGuardian(index: number, reason: string): void {
    const peer = this.#c.peerOfGuardian?.(index)
    if (peer !== undefined) this.penalize(peer, reason)
  }

  #inflight = new Set<Promise<void>>()

  /** Resolves when every accepted message handed to a handler has been handled. */
  async idle(): Promise<void> {
    while (this.#inflight.size > 0) await Promise.allSettled([...this.#inflight])
  }

  #publish(kind: number, topic: TopicName, payload: Uint8Array, as?: { setIndex: number; index: number }): void {
    const sender = as?.index ?? this.#c.index
    if (sender < 0) return
    const env = { kind, sender, guardianSetIndex: as?.setIndex ?? this.#c.guardians.setIndex, timestamp: Date.now(), payload }
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
      this.#c.log.warn({ peer, topic, reason, field: (e as { field?: string }).field }, 'rejected gossip from peer')
      this.penalize(peer, reason)
      return TopicValidatorResult.Reject
    }
    const now = Date.now()
    const skew = Math.abs(now - decoded.env.timestamp)
    // Own messages, stale ones, and a replay of an envelope seen in the last maxSkewMs (gossipsub's
    // own seen-cache forgets sooner) are ignored without penalty: anyone can replay signed bytes.
    if (decoded.env.sender === this.#c.index || skew > this.#i.maxSkewMs || this.#replays.seen(decoded.env.signingDigest, now)) {
      this.#c.metrics.envelopes.inc({ topic, result: 'ignore' })
      return TopicValidatorResult.Ignore
    }
    if (decoded.kind === 'observations' && decoded.held.length > 0) this.#c.audit?.(decoded.env.sender, decoded.held)
    if (decoded.kind === 'late' || (decoded.kind === 'vaas' && decoded.vaas.length === 0) || (decoded.kind === 'observations' && decoded.items.length === 0)) {
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
    // A set newer than this node's: the node is behind on governance (its peers send it the
    // upgrade when they see its heartbeat), so it cannot judge the envelope: ignored, no penalty.
    if (env.guardianSetIndex > current.setIndex && this.#c.setFor !== undefined) return { kind: 'late', env }
    const g = env.guardianSetIndex === current.setIndex ? current : this.#setFor(env.guardianSetIndex)
    if (env.sender >= g.size) throw new UnknownGuardianError(`sender ${env.sender} is not in a set of ${g.size}`, { field: 'sender' })
    if (!g.verifyEnvelope(env.signingDigest, env.signature, env.sender)) {
      throw new InvalidSignatureError(`envelope is not signed by guardian ${env.sender}`, { field: 'signature' })
    }
    switch (env.kind) {
      case Kind.observations: {
        // Signatures under an earlier set (a peer that has not applied the upgrade yet) cannot count
        // towards the current set's quorum: the authenticated envelope is ignored, not penalized.
        if (g !== current) return { kind: 'late', env }
        const decoded = decodeObservations(env.payload)
        const retransmission = (decoded.flags & RETRANSMISSION) !== 0
        // Items whose VAA this node already holds change nothing and are not handed on (only
        // audited, see `audit`). The others' signatures are verified by the Attestor, only as many
        // as a quorum needs.
        const items: ReceivedObservation[] = []
        const held: ReceivedObservation[] = []
        decoded.items.forEach((it, i) => {
          this.#checkEmitter(it.body, `items[${i}]`)
          const digest = vaaDigest(it.body)
          const item = { body: it.body, signature: it.signature, digest }
          if (retransmission || !this.#c.hasVaa(bytesToHex(digest))) items.push(item)
          else held.push(item)
        })
        return { kind: 'observations', env, items, held, retransmission }
      }
      case Kind.vaas: {
        const vaas: { vaa: Uint8Array; digest: Hex }[] = []
        for (const bytes of decodeVaas(env.payload)) {
          // VAAs this node holds already are skipped before parsing (a replied VAA reaches every peer).
          const bodyAt = 6 + (bytes[5] ?? 0) * 66
          if (bytes.length > bodyAt && this.#c.hasVaa(bytesToHex(vaaDigest(bytes.subarray(bodyAt))))) continue
          const vaa = parseVaa(bytes)
          this.#checkEmitter(vaa.body, 'vaas')
          const digest = bytesToHex(vaa.digest)
          verifyVaa(vaa.guardianSetIndex === current.setIndex ? current : this.#setFor(vaa.guardianSetIndex), vaa)
          vaas.push({ vaa: bytes, digest })
        }
        return { kind: 'vaas', env, vaas }
      }
      case Kind.reobservation:
        return { kind: 'reobservation', env, req: decodeReobservation(env.payload) }
      case Kind.heartbeat:
        return { kind: 'heartbeat', env, hb: decodeHeartbeat(env.payload) }
      case Kind.governance: {
        const vaa = decodeGovernance(env.payload)
        if (this.#c.checkGovernance === undefined) throw new InvalidGovernanceError('this node takes no governance from gossip', { field: 'payload' })
        return this.#c.checkGovernance(vaa) === 'apply' ? { kind: 'governance', env, vaa } : { kind: 'late', env }
      }
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
      else if (d.kind === 'heartbeat') h.onHeartbeat(d.env.sender, d.hb, d.env.guardianSetIndex)
      else if (d.kind === 'governance') await h.onGovernance?.(d.vaa)
    }
    const p = run().catch((e) => this.#c.log.error({ err: e, kind: d.kind }, 'handling gossip failed'))
    this.#inflight.add(p)
    void p.finally(() => this.#inflight.delete(p))
  }
}
