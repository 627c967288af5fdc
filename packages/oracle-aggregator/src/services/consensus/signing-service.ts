import { bytesToHex, hexToBytes, isBulwarkError, keccak256, signDigest, vaaDigest, bytesToUint, InvalidParameterError, type PriceEntry } from '@bulwark/core'
import type { Logger } from 'pino'
import { checkProposal, DEFAULT_PROPOSAL_POLICY, type ProposalPolicy } from './proposal-check.js'
import type { SignRefusal, SignRequest, SignResponse } from './peer-protocol.js'
import type { OracleEmitter } from './report-builder.js'

export type SigningServiceInit = {
  guardianIndex: number
  privateKey: Uint8Array
  emitter: OracleEmitter
  policy?: ProposalPolicy
}
export type SigningComponents = {
  /** This node's own latest view of a market. */
  ownView: (marketId: number) => PriceEntry | undefined
  now: () => number
  logger: Logger
}

/** Answer to a sign request: 200 with signatures, or a refusal with its HTTP status. */
export type SignOutcome = { status: 200; body: SignResponse } | { status: 400 | 409; body: SignRefusal }

/**
 * The follower side: checks a leader's report bodies against this node's own prices and signs
 * them. Never signs two different bodies for the same emitter sequence (no equivocation).
 */
export class SigningService {
  readonly #signedSequences = new Map<bigint, string>()

  constructor(private readonly init: SigningServiceInit, private readonly c: SigningComponents) {}

  get guardianIndex(): number {
    return this.init.guardianIndex
  }

  /** Signs a body this node built itself (the leader's own signature). */
  signOwn(body: Uint8Array): Uint8Array {
    this.#remember(body)
    return signDigest(vaaDigest(body), this.init.privateKey)
  }

  handle(req: unknown): SignOutcome {
    const r = req as Partial<SignRequest> | null
    if (!r || !Array.isArray(r.bodies) || r.bodies.length === 0 || r.bodies.length > 16 || !r.bodies.every((b) => typeof b === 'string')) {
      return { status: 400, body: { error: 'InvalidParameter', field: 'bodies', message: 'bodies must be 1..16 hex strings' } }
    }
    try {
      const bodies = r.bodies.map((b, i) => hexToBytes(b, `bodies[${i}]`))
      for (const b of bodies) checkProposal(b, this.init.emitter, this.c.ownView, this.c.now(), this.init.policy ?? DEFAULT_PROPOSAL_POLICY)
      const signatures = bodies.map((b) => bytesToHex(this.signOwn(b)))
      return { status: 200, body: { guardianIndex: this.init.guardianIndex, signatures } }
    } catch (e) {
      if (!isBulwarkError(e)) throw e
      this.c.logger.warn({ err: e.name, field: e.field }, 'refused to co-sign a proposal')
      return { status: 409, body: { error: e.name, ...(e.field ? { field: e.field } : {}), message: e.shortMessage } }
    }
  }

  #remember(body: Uint8Array): void {
    const seq = bytesToUint(body, 42, 8)
    const hash = bytesToHex(keccak256(body))
    const prev = this.#signedSequences.get(seq)
    if (prev !== undefined && prev !== hash) throw new InvalidParameterError(`already signed a different body for sequence ${seq}`, { field: 'sequence' })
    this.#signedSequences.set(seq, hash)
    if (this.#signedSequences.size > 4096) this.#signedSequences.delete(this.#signedSequences.keys().next().value!)
  }
}
