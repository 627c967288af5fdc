import { UniversalAddress, createVAA, deserialize, serialize } from '@wormhole-foundation/sdk-definitions'
import { mocks } from '@wormhole-foundation/sdk-definitions/testing'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { BaseError } from '../errors/base.js'
import { testGuardianKeys } from '../vectors/vaa.js'
import { bytesToHex, hexToBytes } from './bytes.js'
import { GuardianSetRegistry, quorum } from './guardian-set.js'
import { encodePayload } from './payloads.js'
import { SAMPLE_PAYLOADS } from '../vectors/payloads.js'
import { addressOfPrivateKey, assembleVaa, buildSignedVaa, encodeVaaBody, parseVaa, signDigest, vaaDigest, type VaaBody } from './vaa.js'

const keys = testGuardianKeys(19)
const addrs = keys.map((k) => addressOfPrivateKey(k.privateKey))
const body: VaaBody = {
  timestamp: 1_700_000_000,
  nonce: 1,
  emitterChain: 10002,
  emitterAddress: `0x${'00'.repeat(12)}${'cd'.repeat(20)}`,
  sequence: 9n,
  consistencyLevel: 1,
  payload: encodePayload(SAMPLE_PAYLOADS['collateralLocked']!),
}

describe('VAA v1', () => {
  it('quorum is floor(2n/3)+1', () => {
    expect([1, 4, 7, 19].map(quorum)).toEqual([1, 3, 5, 13])
  })

  it('our signed VAA parses identically with the Wormhole SDK', () => {
    const vaa = buildSignedVaa(body, 0, keys.slice(0, 13))
    const ours = parseVaa(vaa)
    const theirs = deserialize('Uint8Array', vaa)
    expect(theirs.sequence).toBe(ours.sequence)
    expect(theirs.signatures.map((s) => s.guardianIndex)).toEqual(ours.signatures.map((s) => s.guardianIndex))
    expect(bytesToHex(theirs.hash)).toBe(ours.hash)
    expect(bytesToHex(theirs.payload)).toBe(bytesToHex(body.payload))
    expect(bytesToHex(encodeVaaBody(body))).toBe(bytesToHex(ours.body))
  })

  it('verifies a VAA signed by the Wormhole SDK MockGuardians', () => {
    const pk = keys.slice(0, 7).map((k) => bytesToHex(k.privateKey).slice(2))
    const guardians = new mocks.MockGuardians(0, pk)
    const unsigned = createVAA('Uint8Array', {
      guardianSet: 0, timestamp: body.timestamp, nonce: body.nonce, emitterChain: 'Sepolia',
      emitterAddress: new UniversalAddress(hexToBytes(body.emitterAddress)), sequence: body.sequence,
      consistencyLevel: body.consistencyLevel, signatures: [], payload: body.payload,
    })
    const signed = guardians.addSignatures(unsigned, [0, 1, 2, 3, 4])
    const reg = new GuardianSetRegistry(addrs.slice(0, 7))
    reg.verify(parseVaa(serialize(signed)), body.timestamp)
  })

  it('assembles the same bytes from individually gossiped signatures', () => {
    const raw = encodeVaaBody(body)
    const digest = vaaDigest(raw)
    const sigs = [4, 0, 2, 1, 3].map((i) => ({ guardianIndex: i, signature: signDigest(digest, keys[i]!.privateKey) }))
    expect(bytesToHex(assembleVaa(raw, 0, sigs))).toBe(bytesToHex(buildSignedVaa(body, 0, keys.slice(0, 5))))
  })

  it('guardian set upgrade keeps the old set for the overlap, then expires it', () => {
    const reg = new GuardianSetRegistry(addrs.slice(0, 7), 100)
    const old = parseVaa(buildSignedVaa(body, 0, keys.slice(0, 5)))
    reg.upgrade(1, addrs.slice(7, 14), 1000)
    reg.verify(old, 1100)
    expect(() => reg.verify(old, 1101)).toThrowError(expect.objectContaining({ name: 'GuardianSetExpired' }))
    const fresh = parseVaa(buildSignedVaa(body, 1, keys.slice(7, 12).map((k, i) => ({ index: i, privateKey: k.privateKey }))))
    reg.verify(fresh, 5000)
    expect(() => reg.upgrade(3, addrs.slice(0, 3), 6000)).toThrowError(expect.objectContaining({ name: 'InvalidGovernance' }))
  })

  it('parses random bytes into a VAA or a typed error, never a crash', () => {
    const good = buildSignedVaa(body, 0, keys.slice(0, 5))
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 600 }), fc.nat({ max: good.length }).map((n) => good.slice(0, n))), (bytes) => {
        try {
          const v = parseVaa(bytes)
          expect(v.body.length).toBeGreaterThanOrEqual(51)
        } catch (e) {
          expect(e).toBeInstanceOf(BaseError)
        }
      }),
      { numRuns: 3000 },
    )
  })
})
