import { describe, expect, it } from 'vitest'
import { WAD } from '../math/constants.js'
import { EwmaVolatility, lambdaFromHalfLife, volMultiplier, wPowDown } from './volatility.js'

describe('EWMA volatility', () => {
  it('lambda halves the weight after one half-life', () => {
    for (const h of [1, 10, 60, 1440]) {
      const l = lambdaFromHalfLife(h)
      expect(wPowDown(l, h) <= WAD / 2n).toBe(true)
      expect(wPowDown(l + 1n, h) > WAD / 2n).toBe(true)
    }
    expect(() => lambdaFromHalfLife(0)).toThrowError(expect.objectContaining({ name: 'InvalidParameter', field: 'halfLife' }))
  })

  it('rises with larger moves and the multiplier is bounded', () => {
    const calm = new EwmaVolatility()
    const wild = new EwmaVolatility()
    for (let i = 0; i < 200; i++) {
      calm.update(100n * WAD + BigInt(i % 2) * (WAD / 100n))
      wild.update(100n * WAD + BigInt(i % 2) * 5n * WAD)
    }
    expect(wild.sigma > calm.sigma).toBe(true)
    expect(calm.multiplier).toBe(WAD)
    expect(wild.multiplier).toBe(3n * WAD)
    expect(volMultiplier(2n * 10n ** 15n)).toBe(2n * WAD)
  })

  it('rejects a non-positive price without changing state', () => {
    const v = new EwmaVolatility()
    v.update(WAD)
    v.update(2n * WAD)
    const before = v.variance
    expect(() => v.update(0n)).toThrowError(expect.objectContaining({ name: 'InvalidPrice' }))
    expect(v.variance).toBe(before)
    expect(v.samples).toBe(1)
  })
})
