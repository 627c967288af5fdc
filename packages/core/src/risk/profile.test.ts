import { describe, expect, it } from 'vitest'
import { InvalidParameterError } from '../errors/input.js'
import { WAD } from '../math/constants.js'
import { sqrtDown } from '../math/fixed-point.js'
import { checkTargetHealth } from './liquidation.js'
import { RISK_PROFILE, volatilityForRound } from './profile.js'
import { EwmaVolatility, volMultiplier } from './volatility.js'

describe('RISK_PROFILE', () => {
  it('is a valid configuration: target health x mmf above the penalty, mmf <= imf', () => {
    const { market, liquidation } = RISK_PROFILE
    expect(() => checkTargetHealth(liquidation.targetHealth, liquidation.penaltyRate, [market.mmf])).not.toThrow()
    expect(market.mmf).toBeLessThanOrEqual(market.imf)
    expect(market.mmf).toBeGreaterThan(liquidation.penaltyRate)
  })

  it('keeps the crash ceiling of the earlier defaults (mmf 5% x 3 = 3% x 5)', () => {
    const { market, volatility } = RISK_PROFILE
    expect((market.mmf * volatility.maxMultiplier) / WAD).toBe((5n * WAD * 3n) / 100n)
  })
})

describe('volatilityForRound', () => {
  it('is the profile itself for one-minute rounds', () => {
    expect(volatilityForRound(60)).toEqual({ halfLife: 30, sigmaRef: 6n * 10n ** 14n, minMultiplier: WAD, maxMultiplier: 5n * WAD })
  })

  it('scales the half-life linearly and sigmaRef by the square root of the round length', () => {
    const c = volatilityForRound(1)
    expect(c.halfLife).toBe(1800)
    // 0.06% / sqrt(60) = 0.0077459...%, floor
    expect(c.sigmaRef).toBe(77_459_666_924_148n)
    expect(volatilityForRound(15).sigmaRef).toBe(3n * 10n ** 14n) // 0.06% * sqrt(1/4)
    expect(volatilityForRound(7200).halfLife).toBe(1) // never below one round
  })

  it('gives the same multiplier for the same one-minute volatility seen at any round length', () => {
    // a random walk with 0.12%/min has 0.12%/sqrt(60) per second: multiplier 2 either way (up to rounding, never lower)
    const perMinute = 12n * 10n ** 14n
    const perSecond = sqrtDown((perMinute * perMinute) / 60n)
    expect(volMultiplier(perMinute, volatilityForRound(60))).toBe(2n * WAD)
    const m = volMultiplier(perSecond, volatilityForRound(1))
    expect(m).toBeGreaterThanOrEqual(2n * WAD - 10n ** 4n)
    expect(m).toBeLessThan(2n * WAD + 10n ** 6n)
  })

  it('an oracle sampling every second and one sampling every minute see the same multiplier on the same market', () => {
    // a random walk at one-second resolution: 2 h calm at 0.04%/min, then 1 h at 0.24%/min (multiplier 4)
    let s = 12345
    const u = () => ((s = (s * 1103515245 + 12345) % 2147483648) + 0.5) / 2147483648
    const z = () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u())
    const perSecond = (perMinute: number) => perMinute / Math.sqrt(60)
    const seconds = 3 * 3600
    const second = new EwmaVolatility(volatilityForRound(1))
    const minute = new EwmaVolatility(volatilityForRound(60))
    let p = 30_000
    const at: Record<number, [bigint, bigint]> = {}
    for (let t = 0; t <= seconds; t++) {
      p *= Math.exp(perSecond(t < 7200 ? 0.0004 : 0.0024) * z())
      const price = BigInt(Math.round(p * 1e6)) * 10n ** 12n
      second.update(price)
      if (t % 60 === 0) minute.update(price)
      if (t === 7200 || t === seconds) at[t] = [second.multiplier, minute.multiplier]
    }
    const ratio = ([a, b]: [bigint, bigint]) => Number(a) / Number(b)
    expect(at[7200]).toEqual([WAD, WAD]) // calm: both at the floor
    expect(Number(at[seconds]![1]) / 1e18).toBeGreaterThan(3) // the stressed hour is seen per minute...
    expect(ratio(at[seconds]!)).toBeGreaterThan(0.85) // ...and per second alike, within sampling noise
    expect(ratio(at[seconds]!)).toBeLessThan(1.15)
  })

  it('rejects bad inputs by field name', () => {
    const field = (f: () => unknown) => {
      try {
        f()
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidParameterError)
        return (e as InvalidParameterError).field
      }
      throw new Error('did not throw')
    }
    expect(field(() => volatilityForRound(0))).toBe('roundSeconds')
    expect(field(() => volatilityForRound(1.5))).toBe('roundSeconds')
    expect(field(() => volatilityForRound(60, { ...RISK_PROFILE.volatility, halfLifeSeconds: 0 }))).toBe('halfLifeSeconds')
    expect(field(() => volatilityForRound(60, { ...RISK_PROFILE.volatility, sigmaRefPerMinute: 0n }))).toBe('sigmaRefPerMinute')
    expect(field(() => volatilityForRound(1, { ...RISK_PROFILE.volatility, sigmaRefPerMinute: 1n }))).toBe('sigmaRefPerMinute')
    expect(field(() => volatilityForRound(60, { ...RISK_PROFILE.volatility, minMultiplier: WAD - 1n }))).toBe('minMultiplier')
  })
})
