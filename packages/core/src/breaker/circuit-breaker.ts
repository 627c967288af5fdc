import { InvalidParameterError, InvalidPriceError } from '../errors/input.js'
import { StaleUpdateError } from '../errors/oracle.js'
import { GracePeriodError, MarketHaltedError } from '../errors/breaker.js'
import { BPS } from '../math/constants.js'

export const BreakerStatus = { Normal: 0, Halted: 1, Cooldown: 2 } as const
export type BreakerStatus = (typeof BreakerStatus)[keyof typeof BreakerStatus]

export type BreakerParams = {
  /** A move beyond this within `window` halts the market. @default 1500n (15%) */
  maxMoveBps: bigint
  /** Seconds over which a move is measured. @default 300 */
  window: number
  /** Seconds a halt lasts at least. @default 600 */
  haltDuration: number
  /** Seconds of cooldown (close-only) before normal. @default 300 */
  cooldown: number
  /** No price for longer than this halts the market (oracle outage). @default 120 */
  maxOracleGap: number
  /** Seconds after resuming during which liquidations wait. @default 120 */
  liquidationGrace: number
}

export const DEFAULT_BREAKER: BreakerParams = { maxMoveBps: 1500n, window: 300, haltDuration: 600, cooldown: 300, maxOracleGap: 120, liquidationGrace: 120 }

export type BreakerState = {
  status: BreakerStatus
  refPrice: bigint
  refTime: number
  lastPrice: bigint
  lastUpdate: number
  since: number
  graceUntil: number
}

export const initialBreakerState = (): BreakerState => ({ status: 0, refPrice: 0n, refTime: 0, lastPrice: 0n, lastUpdate: 0, since: 0, graceUntil: 0 })

export function checkBreakerParams(p: BreakerParams): void {
  if (p.maxMoveBps <= 0n) throw new InvalidParameterError('maxMoveBps must be positive', { field: 'maxMoveBps' })
  for (const k of ['window', 'haltDuration', 'cooldown', 'maxOracleGap', 'liquidationGrace'] as const) {
    if (!Number.isSafeInteger(p[k]) || p[k] < 0) throw new InvalidParameterError(`${k} must be a non-negative integer`, { field: k })
  }
}

/** Advances the breaker's clock to `t` (docs/protocol.md section 9, tick rule). Pure. */
export function breakerTick(s: BreakerState, t: number, p: BreakerParams): BreakerState {
  const n = { ...s }
  if (n.status === 0 && n.lastUpdate !== 0 && t - n.lastUpdate > p.maxOracleGap) {
    n.status = 1
    n.since = t
  }
  if (n.status === 1 && t >= n.since + p.haltDuration && t - n.lastUpdate <= p.maxOracleGap) {
    n.status = 2
    n.since = t
  }
  if (n.status === 2 && t >= n.since + p.cooldown) {
    n.status = 0
    n.since = t
    n.graceUntil = t + p.liquidationGrace
    n.refPrice = n.lastPrice
    n.refTime = t
  }
  return n
}

/** Applies a price update at `t`: tick, roll the reference window, halt on a large move. Pure. */
export function breakerOnPrice(s: BreakerState, t: number, price: bigint, p: BreakerParams): BreakerState {
  if (price <= 0n) throw new InvalidPriceError('price must be positive', { field: 'price' })
  if (t <= s.lastUpdate) throw new StaleUpdateError(`update at ${t} is not after ${s.lastUpdate}`, { field: 't' })
  const n = breakerTick(s, t, p)
  if (n.refTime === 0 || t - n.refTime > p.window) {
    n.refPrice = n.lastPrice === 0n ? price : n.lastPrice
    n.refTime = n.lastUpdate === 0 ? t : n.lastUpdate
  }
  const move = price > n.refPrice ? price - n.refPrice : n.refPrice - price
  if (n.status === 0 && move * BPS > p.maxMoveBps * n.refPrice) {
    n.status = 1
    n.since = t
  }
  n.lastPrice = price
  n.lastUpdate = t
  return n
}

export type MarketOperation = 'open' | 'close' | 'withdraw' | 'credit' | 'lock' | 'liquidate'

const ALLOWED: Record<BreakerStatus, ReadonlySet<MarketOperation>> = {
  0: new Set(['open', 'close', 'withdraw', 'credit', 'lock', 'liquidate']),
  1: new Set(['credit', 'lock']),
  2: new Set(['close', 'withdraw', 'credit', 'lock']),
}

/** Throws MarketHalted when the status forbids `op`, GracePeriod for a liquidation inside the grace window. */
export function assertOperationAllowed(s: BreakerState, op: MarketOperation, t: number): void {
  if (!ALLOWED[s.status].has(op)) {
    throw new MarketHaltedError(`${op} is not allowed while the market is ${['normal', 'halted', 'cooling down'][s.status]}`, { field: 'operation' })
  }
  if (op === 'liquidate' && t < s.graceUntil) {
    throw new GracePeriodError(`liquidations resume at ${s.graceUntil}`, { field: 'operation' })
  }
}
