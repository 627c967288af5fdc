import { describe, expect, it } from 'vitest'
import { WAD } from '../math/constants.js'
import { DEFAULT_BREAKER as P, assertOperationAllowed, breakerOnPrice, breakerTick, initialBreakerState } from './circuit-breaker.js'
import { PauseBit, assertNotPaused } from './pause.js'

describe('circuit breaker', () => {
  it('halts on a move beyond the threshold, cools down, resumes with a liquidation grace period', () => {
    let s = breakerOnPrice(initialBreakerState(), 1000, 100n * WAD, P)
    s = breakerOnPrice(s, 1060, 84n * WAD, P)
    expect(s.status).toBe(1)
    expect(() => assertOperationAllowed(s, 'open', 1061)).toThrowError(expect.objectContaining({ name: 'MarketHalted' }))
    assertOperationAllowed(s, 'credit', 1061)
    s = breakerOnPrice(s, 1600, 84n * WAD, P)
    s = breakerTick(s, 1660, P)
    expect(s.status).toBe(2)
    s = breakerTick(s, 1660 + P.cooldown, P)
    expect(s.status).toBe(0)
    expect(() => assertOperationAllowed(s, 'liquidate', 1661 + P.cooldown)).toThrowError(expect.objectContaining({ name: 'GracePeriod' }))
    assertOperationAllowed(s, 'liquidate', 1660 + P.cooldown + P.liquidationGrace)
  })

  it('an oracle outage halts the market', () => {
    const s = breakerTick(breakerOnPrice(initialBreakerState(), 1000, WAD, P), 1000 + P.maxOracleGap + 1, P)
    expect(s.status).toBe(1)
  })

  it('refuses an update that is not newer, leaving state unchanged', () => {
    const s = breakerOnPrice(initialBreakerState(), 1000, WAD, P)
    expect(() => breakerOnPrice(s, 1000, WAD, P)).toThrowError(expect.objectContaining({ name: 'StaleUpdate' }))
    expect(s.lastUpdate).toBe(1000)
  })

  it('pause bits', () => {
    assertNotPaused(PauseBit.Lock | PauseBit.Open, PauseBit.Credit)
    expect(() => assertNotPaused(PauseBit.Lock | PauseBit.Open, PauseBit.Open)).toThrowError(expect.objectContaining({ name: 'OperationPaused' }))
  })
})
