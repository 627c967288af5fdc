import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isBulwarkError } from '../errors/base.js'
import { MAX_UINT256, WAD } from './constants.js'
import { checkedAdd, checkedSub, floorDiv, mulDivDown, mulDivSignedFloor, mulDivUp, sqrtDown, wDivUp, wMulDown, wMulUp } from './fixed-point.js'

const uint256 = fc.bigInt({ min: 0n, max: MAX_UINT256 })
const errorName = (f: () => unknown): string | undefined => {
  try {
    f()
    return undefined
  } catch (e) {
    return isBulwarkError(e) ? e.name : 'not a Bulwark error'
  }
}

describe('fixed point', () => {
  it('rounds down and up by exactly one unit when inexact', () => {
    fc.assert(
      fc.property(uint256, uint256, fc.bigInt({ min: 1n, max: MAX_UINT256 }), (a, b, d) => {
        const exact = a * b
        if (exact / d > MAX_UINT256 - 1n) return
        const down = mulDivDown(a, b, d)
        const up = mulDivUp(a, b, d)
        expect(up - down).toBe(exact % d === 0n ? 0n : 1n)
        expect(down * d <= exact && exact <= up * d).toBe(true)
      }),
      { numRuns: 2000 },
    )
  })

  it('keeps full precision when the intermediate product exceeds 256 bits', () => {
    expect(mulDivDown(MAX_UINT256, MAX_UINT256, MAX_UINT256)).toBe(MAX_UINT256)
    expect(mulDivDown(MAX_UINT256, WAD, 2n * WAD)).toBe(MAX_UINT256 / 2n)
  })

  it('errors exactly where Solidity reverts', () => {
    expect(errorName(() => mulDivDown(MAX_UINT256, 2n, 1n))).toBe('Overflow')
    expect(errorName(() => mulDivUp(MAX_UINT256, MAX_UINT256 - 1n, MAX_UINT256 - 1n))).toBeUndefined()
    expect(errorName(() => mulDivUp(1n, 1n, 0n))).toBe('DivisionByZero')
    expect(errorName(() => checkedAdd(MAX_UINT256, 1n))).toBe('Overflow')
    expect(errorName(() => checkedSub(1n, 2n))).toBe('Underflow')
    expect(errorName(() => wDivUp(1n, 0n))).toBe('DivisionByZero')
    expect(errorName(() => mulDivDown(-1n, 1n, 1n))).toBe('InvalidAmount')
    expect(errorName(() => mulDivDown(MAX_UINT256 + 1n, 1n, 1n))).toBe('InvalidAmount')
  })

  it('WAD helpers favour the protocol: wMulUp >= wMulDown', () => {
    expect(wMulDown(1n, 1n)).toBe(0n)
    expect(wMulUp(1n, 1n)).toBe(1n)
    expect(wMulUp(3n * WAD, WAD / 3n)).toBe(WAD - 1n)
  })

  it('sqrtDown is the floor square root', () => {
    fc.assert(
      fc.property(uint256, (a) => {
        const r = sqrtDown(a)
        expect(r * r <= a).toBe(true)
        expect((r + 1n) * (r + 1n) > a).toBe(true)
      }),
      { numRuns: 2000 },
    )
  })

  it('signed division floors toward negative infinity', () => {
    expect(floorDiv(-7n, 2n)).toBe(-4n)
    expect(floorDiv(7n, 2n)).toBe(3n)
    expect(floorDiv(-8n, 2n)).toBe(-4n)
    expect(mulDivSignedFloor(-1n, 1n, WAD)).toBe(-1n)
    expect(errorName(() => floorDiv(1n, 0n))).toBe('DivisionByZero')
  })
})
