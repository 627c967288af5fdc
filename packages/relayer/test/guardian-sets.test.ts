import { addressOfPrivateKey, buildSignedVaa, encodePayload, isBulwarkError, type Hex } from '@bulwark/core'
import { testGuardianKeys } from '@bulwark/core/testing'
import { describe, expect, it } from 'vitest'
import { GuardianSets } from '../src/crypto/guardian-sets.js'
import { Guardians } from '../src/crypto/guardians.js'

const keys = testGuardianKeys(5)
const addr = keys.map((k) => addressOfPrivateKey(k.privateKey).toLowerCase() as Hex)
const GOV = { chain: 1, emitter: `0x${'00'.repeat(31)}04` as Hex }
const NOW = 1_800_000_000

/** A GuardianSetUpgrade VAA signed by `signers` (indices into set 0 = guardians 0..3). */
function upgradeVaa(o: { newIndex?: number; newKeys?: Hex[]; targetChain?: number; emitter?: Hex; signers?: number[]; setIndex?: number } = {}): Uint8Array {
  const payload = encodePayload({ type: 'GuardianSetUpgrade', targetChain: o.targetChain ?? 0, newIndex: o.newIndex ?? 1, keys: o.newKeys ?? [addr[4]!, addr[2]!, addr[0]!] })
  const signers = (o.signers ?? [0, 1, 2]).map((i) => ({ index: i, privateKey: keys[i]!.privateKey }))
  return buildSignedVaa({ timestamp: NOW, nonce: 0, emitterChain: GOV.chain, emitterAddress: o.emitter ?? GOV.emitter, sequence: 1n, consistencyLevel: 1, payload }, o.setIndex ?? 0, signers)
}
const sets = () => new GuardianSets(new Guardians(addr.slice(0, 4), 0), GOV, 3600)
const nameOf = (f: () => unknown): string => {
  try {
    f()
    return 'no error'
  } catch (e) {
    return isBulwarkError(e) ? e.name : `untyped ${String(e)}`
  }
}

describe('guardian set upgrades', () => {
  it('follows a governance upgrade: new index per member, old set valid until the overlap ends', () => {
    const s = sets()
    expect(s.indexOf(addr[0]!)).toBe(0)
    const applied = s.upgrade(upgradeVaa(), NOW)
    expect(applied.current.setIndex).toBe(1)
    expect(applied.expiresAt).toBe(NOW + 3600)
    expect(s.current.addresses).toEqual([addr[4], addr[2], addr[0]])
    expect(s.current.quorum).toBe(3)
    expect(s.indexOf(addr[0]!)).toBe(2) // signs as index 2 now
    expect(s.indexOf(addr[1]!)).toBe(-1) // no longer a guardian: signs nothing
    expect(s.get(1, NOW).setIndex).toBe(1)
    expect(s.get(0, NOW + 3599).addresses).toEqual(addr.slice(0, 4))
    expect(nameOf(() => s.get(0, NOW + 3600))).toBe('GuardianSetExpired')
    expect(nameOf(() => s.get(2, NOW))).toBe('GuardianSetUnknown')
    expect(s.describe()).toEqual([{ index: 1, size: 3, expiresAt: null }, { index: 0, size: 4, expiresAt: NOW + 3600 }])
  })

  it.each([
    ['a foreign emitter', { emitter: `0x${'00'.repeat(31)}05` as Hex }, 'InvalidGovernance'],
    ['a skipped index', { newIndex: 2 }, 'InvalidGovernance'],
    ['a single target chain', { targetChain: 10002 }, 'InvalidGovernance'],
    ['2 of 4 signatures', { signers: [0, 1] }, 'QuorumNotMet'],
    ['a set the node does not know', { setIndex: 7 }, 'GuardianSetUnknown'],
  ])('refuses an upgrade with %s and keeps the current set', (_what, o, error) => {
    const s = sets()
    expect(nameOf(() => s.upgrade(upgradeVaa(o), NOW))).toBe(error)
    expect(s.current.setIndex).toBe(0)
    expect(nameOf(() => s.get(1, NOW))).toBe('GuardianSetUnknown')
  })

  it('refuses a replayed upgrade (its index is no longer current + 1)', () => {
    const s = sets()
    const vaa = upgradeVaa()
    s.upgrade(vaa, NOW)
    expect(nameOf(() => s.upgrade(vaa, NOW))).toBe('GuardianSetUnknown')
  })
})
