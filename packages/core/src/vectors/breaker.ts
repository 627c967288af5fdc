import { BaseError } from '../errors/base.js'
import { DEFAULT_BREAKER, assertOperationAllowed, breakerOnPrice, breakerTick, initialBreakerState, type BreakerParams, type BreakerState, type MarketOperation } from '../breaker/circuit-breaker.js'
import { wad } from './risk-input.js'
import { plain, type VectorCase, type VectorFile } from './harness.js'

type Event = { kind: 'price'; t: number; price: bigint } | { kind: 'tick'; t: number } | { kind: 'check'; t: number; op: MarketOperation }

function run(name: string, events: Event[], params: BreakerParams = DEFAULT_BREAKER): VectorCase {
  let s: BreakerState = initialBreakerState()
  const results = events.map((e) => {
    try {
      if (e.kind === 'price') s = breakerOnPrice(s, e.t, e.price, params)
      else if (e.kind === 'tick') s = breakerTick(s, e.t, params)
      else assertOperationAllowed(s, e.op, e.t)
      return { state: { ...s } }
    } catch (err) {
      if (err instanceof BaseError) return { error: err.name, state: { ...s } }
      throw err
    }
  })
  return { name, op: 'sequence', input: plain({ params, events }), output: plain({ results }) }
}

export function breakerFile(): VectorFile {
  const p = (t: number, price: number | string): Event => ({ kind: 'price', t, price: wad(price) })
  const tick = (t: number): Event => ({ kind: 'tick', t })
  const check = (t: number, op: MarketOperation): Event => ({ kind: 'check', t, op })
  const T = 1_700_000_000
  const cases = [
    run('calm market stays normal', [p(T, 100), p(T + 60, 101), p(T + 120, 99), check(T + 121, 'open'), check(T + 121, 'liquidate')]),
    run('crash halts, cools down, resumes with grace', [
      p(T, 100), p(T + 60, 90), p(T + 120, 84), check(T + 121, 'open'), check(T + 121, 'credit'), check(T + 121, 'withdraw'),
      p(T + 300, 83), p(T + 700, 82), tick(T + 721), check(T + 722, 'close'), check(T + 722, 'open'),
      p(T + 800, 82), tick(T + 1021), check(T + 1022, 'open'), check(T + 1022, 'liquidate'), check(T + 1141, 'liquidate'),
    ]),
    run('rally beyond the threshold halts too', [p(T, 100), p(T + 10, 116)]),
    run('move spread beyond the window does not halt', [p(T, 100), p(T + 200, 108), p(T + 400, 114), p(T + 600, 121)]),
    run('oracle outage halts', [p(T, 100), tick(T + 100), tick(T + 121), check(T + 121, 'liquidate')]),
    run('halt does not end while the oracle is silent', [p(T, 100), tick(T + 121), tick(T + 900), p(T + 950, 100), tick(T + 960)]),
    run('stale and equal timestamps are refused', [p(T, 100), p(T, 101), p(T - 1, 101), p(T + 1, 101)]),
    run('zero price is refused', [p(T, 100), { kind: 'price', t: T + 1, price: 0n }]),
    run('a tick behind the last report (published ahead of the clock) changes nothing', [p(T, 100), tick(T - 5), check(T - 5, 'open'), tick(T + 121)]),
    run('tight threshold', [p(T, 100), p(T + 1, '100.5'), p(T + 2, '100.6')], { ...DEFAULT_BREAKER, maxMoveBps: 50n }),
  ]
  return {
    topic: 'breaker',
    version: 1,
    description: 'Circuit breaker state machine (docs/protocol.md section 9): each event yields the state after it, or the error it raised with the unchanged state. status 0 normal, 1 halted, 2 cooldown.',
    cases,
  }
}
