import { GuardianSetExpiredError, GuardianSetUnknownError, InvalidGovernanceError, decodePayload, parseVaa, type Hex } from '@bulwark/core'
import { Guardians, verifyVaa } from './guardians.js'

export type Governance = { chain: number; emitter: Hex }

/** What an applied upgrade changed (persisted by the caller to be replayed on restart). */
export type AppliedUpgrade = { vaa: Uint8Array; previous: Guardians; current: Guardians; expiresAt: number }

/**
 * The guardian sets a node knows: the current one (signs, quorum, VAAs it assembles) and earlier
 * ones still inside their overlap (peers' envelopes and VAAs signed with them stay valid for
 * `overlapSeconds` after the upgrade, like the chains' own contracts).
 */
export class GuardianSets {
  #current: Guardians
  readonly #previous = new Map<number, { set: Guardians; expiresAt: number }>()

  constructor(initial: Guardians, readonly governance: Governance, readonly overlapSeconds = 86_400) {
    this.#current = initial
  }

  get current(): Guardians {
    return this.#current
  }

  /** This address's index in the current set, or -1 when it is not a member (it then signs nothing). */
  indexOf(address: Hex): number {
    return this.#current.addresses.indexOf(address.toLowerCase() as Hex)
  }

  /** The set with this index at `now` (unix s): GuardianSetUnknown, or GuardianSetExpired after its overlap. */
  get(index: number, now = Date.now() / 1000): Guardians {
    if (index === this.#current.setIndex) return this.#current
    const old = this.#previous.get(index)
    if (old === undefined) throw new GuardianSetUnknownError(`guardian set ${index} is not known (current ${this.#current.setIndex})`, { field: 'guardianSetIndex' })
    if (now >= old.expiresAt) throw new GuardianSetExpiredError(`guardian set ${index} expired at ${old.expiresAt}`, { field: 'guardianSetIndex' })
    return old.set
  }

  /**
   * Applies a governance GuardianSetUpgrade VAA: quorum of the current set, from the governance
   * emitter, for every chain (targetChain 0), newIndex = current + 1. Throws core's typed errors
   * (InvalidGovernance, GuardianSetUnknown, QuorumNotMet, InvalidSignature, ...) and changes nothing then.
   */
  upgrade(bytes: Uint8Array, now = Date.now() / 1000): AppliedUpgrade {
    const p = this.#validate(bytes, false)
    const previous = this.#current
    const expiresAt = Math.floor(now) + this.overlapSeconds
    this.#previous.set(previous.setIndex, { set: previous, expiresAt })
    this.#current = new Guardians(p.keys, p.newIndex)
    for (const [i, o] of this.#previous) if (now >= o.expiresAt) this.#previous.delete(i)
    return { vaa: bytes, previous, current: this.#current, expiresAt }
  }

  /**
   * Checks a governance VAA without applying it (what a gossip validator needs): 'apply' when
   * {@link upgrade} would accept it, 'known' for a well-formed GuardianSetUpgrade from the
   * governance emitter whose set this node already has (newIndex <= current); throws the typed
   * error {@link upgrade} would throw otherwise.
   */
  check(bytes: Uint8Array): 'apply' | 'known' {
    return this.#validate(bytes, true) === 'known' ? 'known' : 'apply'
  }

  #validate(bytes: Uint8Array, allowKnown: true): ReturnType<typeof upgradePayload> | 'known'
  #validate(bytes: Uint8Array, allowKnown: false): ReturnType<typeof upgradePayload>
  #validate(bytes: Uint8Array, allowKnown: boolean): ReturnType<typeof upgradePayload> | 'known' {
    const vaa = parseVaa(bytes)
    if (vaa.emitterChain !== this.governance.chain || vaa.emitterAddress.toLowerCase() !== this.governance.emitter.toLowerCase()) {
      throw new InvalidGovernanceError(`emitter ${vaa.emitterChain}/${vaa.emitterAddress} is not the governance emitter`, { field: 'emitterAddress' })
    }
    const p = upgradePayload(vaa.payload)
    if (allowKnown && p.newIndex <= this.#current.setIndex) return 'known'
    verifyVaa(this.#current, vaa)
    if (p.newIndex !== this.#current.setIndex + 1) {
      throw new InvalidGovernanceError(`newIndex ${p.newIndex} is not ${this.#current.setIndex + 1}`, { field: 'newIndex' })
    }
    return p
  }

  /** The current set and every earlier set still inside its overlap at `now` (unix s). */
  live(now = Date.now() / 1000): Guardians[] {
    return [this.#current, ...[...this.#previous.values()].filter((o) => now < o.expiresAt).map((o) => o.set)]
  }

  /** When the next earlier set expires (unix s), or undefined when none is inside its overlap. */
  nextExpiry(now = Date.now() / 1000): number | undefined {
    const future = [...this.#previous.values()].map((o) => o.expiresAt).filter((t) => t > now)
    return future.length === 0 ? undefined : Math.min(...future)
  }

  /** Sets and their expiry, for /status. */
  describe(): { index: number; size: number; expiresAt: number | null }[] {
    return [
      { index: this.#current.setIndex, size: this.#current.size, expiresAt: null },
      ...[...this.#previous].map(([index, o]) => ({ index, size: o.set.size, expiresAt: o.expiresAt })),
    ]
  }
}

function upgradePayload(payload: Uint8Array) {
  const p = decodePayload(payload)
  if (p.type !== 'GuardianSetUpgrade') throw new InvalidGovernanceError(`payload ${p.type} is not a GuardianSetUpgrade`, { field: 'payload' })
  if (p.targetChain !== 0) throw new InvalidGovernanceError(`targetChain ${p.targetChain} is not 0 (every chain)`, { field: 'targetChain' })
  return p
}
