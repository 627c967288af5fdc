import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { RateLimiter } from './rate-limit.js'

const cfg = { limit: 1000n, largeTransfer: 500n, delay: 3600, window: 86_400 }

describe('inbound rate limiter', () => {
  it('credits within the limit, queues the excess and releases it when capacity frees', () => {
    const g = new RateLimiter<string>(cfg)
    expect(g.admit('a', 2, 400n, 0, 'a')).toBe('credited')
    expect(g.admit('b', 2, 400n, 10, 'b')).toBe('credited')
    expect(g.admit('c', 2, 400n, 20, 'c')).toBe('queued')
    expect(g.admit('d', 3, 400n, 20, 'd')).toBe('credited')
    expect(g.releaseDue(100)).toEqual([])
    expect(g.releaseDue(86_401).map((e) => e.id)).toEqual(['c'])
  })

  it('delays a large transfer even with capacity', () => {
    const g = new RateLimiter<string>(cfg)
    expect(g.admit('big', 2, 600n, 0, 'big')).toBe('queued')
    expect(g.releaseDue(3599)).toEqual([])
    expect(g.releaseDue(3600).map((e) => e.id)).toEqual(['big'])
  })

  it('never drops a transfer: everything admitted comes out exactly once', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 3 }), fc.bigInt({ min: 1n, max: 900n }), fc.integer({ min: 0, max: 5000 })), { maxLength: 60 }), (transfers) => {
        const g = new RateLimiter<number>(cfg)
        const out = new Set<string>()
        let t = 0
        transfers.forEach(([chain, n, dt], i) => {
          t += dt
          if (g.admit(String(i), chain, n, t, i) === 'credited') out.add(String(i))
          for (const e of g.releaseDue(t)) out.add(e.id)
        })
        for (const e of g.releaseDue(t + 10 * 86_400)) out.add(e.id)
        for (let i = 0; i < 5 && g.queued.length; i++) for (const e of g.releaseDue(t + (20 + i) * 86_400)) out.add(e.id)
        expect(out.size).toBe(transfers.length)
        expect(g.queued.length).toBe(0)
      }),
      { numRuns: 300 },
    )
  })

  it('refuses zero, negative and repeated transfers', () => {
    const g = new RateLimiter<string>(cfg)
    expect(() => g.admit('z', 2, 0n, 0, 'z')).toThrowError(expect.objectContaining({ name: 'ZeroAmount' }))
    g.admit('x', 2, 1n, 0, 'x')
    expect(() => g.admit('x', 2, 1n, 0, 'x')).toThrowError(expect.objectContaining({ name: 'InvalidParameter', field: 'id' }))
  })
})
