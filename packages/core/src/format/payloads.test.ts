import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { BaseError } from '../errors/base.js'
import { SAMPLE_PAYLOADS } from '../vectors/payloads.js'
import { bytesToHex } from './bytes.js'
import { decodePayload, encodePayload, MAX_PAYLOAD_SIZE } from './payloads.js'

describe('payload codecs', () => {
  it('round-trips every sample payload and fixes its size', () => {
    const sizes: Record<string, number> = { CollateralLocked: 116, WithdrawalApproved: 124, CollateralReleased: 92, GuardianSetUpgrade: 69 }
    for (const p of Object.values(SAMPLE_PAYLOADS)) {
      const bytes = encodePayload(p)
      expect(decodePayload(bytes)).toEqual(p)
      if (p.type === 'PriceReport') expect(bytes.length).toBe(11 + 68 * p.prices.length)
      else expect(bytes.length).toBe(sizes[p.type])
    }
  })

  it('round-trips random CollateralLocked payloads', () => {
    const b32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map(bytesToHex)
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 65535 }), b32, b32, fc.bigInt({ min: 1n, max: (1n << 128n) - 1n }), b32, (destinationChain, account, asset, amount, depositor) => {
        const p = { type: 'CollateralLocked' as const, destinationChain, account, asset, amount, depositor }
        expect(decodePayload(encodePayload(p))).toEqual(p)
      }),
      { numRuns: 500 },
    )
  })

  it('never crashes on random bytes: a typed error, or a value that re-encodes to the same bytes', () => {
    const seeds = Object.values(SAMPLE_PAYLOADS).map(encodePayload)
    const mutated = fc
      .tuple(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), fc.integer({ min: -3, max: 3 }))
      .map(([seed, flips, cut]) => {
        const b = seed.slice(0, Math.max(0, seed.length + Math.min(cut, 0)))
        for (const [i, v] of flips) if (b.length) b[i % b.length] = v
        return cut > 0 ? Uint8Array.from([...b, ...new Array(cut).fill(7)]) : b
      })
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), mutated), (bytes) => {
        let decoded
        try {
          decoded = decodePayload(bytes)
        } catch (e) {
          expect(e).toBeInstanceOf(BaseError)
          return
        }
        expect(encodePayload(decoded)).toEqual(bytes)
      }),
      { numRuns: 5000 },
    )
  })

  it('names the field that is wrong', () => {
    const bytes = encodePayload(SAMPLE_PAYLOADS['collateralLocked']!)
    bytes.fill(0, 68, 84)
    expect(() => decodePayload(bytes)).toThrowError(expect.objectContaining({ name: 'ZeroAmount', field: 'amount' }))
    expect(() => decodePayload(new Uint8Array(MAX_PAYLOAD_SIZE + 1))).toThrowError(expect.objectContaining({ name: 'PayloadTooLarge' }))
    expect(() => decodePayload('0x0z')).toThrowError(expect.objectContaining({ name: 'NonCanonicalEncoding', field: 'payload' }))
  })
})
