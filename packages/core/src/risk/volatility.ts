import { InvalidParameterError, InvalidPriceError } from '../errors/input.js'
import { WAD } from '../math/constants.js'
import { mulDivUp, sqrtDown, wMulDown } from '../math/fixed-point.js'

/** x^n in WAD by squaring, each product rounded down. */
export function wPowDown(x: bigint, n: number): bigint {
  let result = WAD
  let base = x
  let e = n
  while (e > 0) {
    if (e & 1) result = wMulDown(result, base)
    base = wMulDown(base, base)
    e >>= 1
  }
  return result
}

/** lambda = 2^(-1/halfLife) in WAD: the largest x with x^halfLife <= 1/2, found by bisection. */
export function lambdaFromHalfLife(halfLife: number): bigint {
  if (!Number.isSafeInteger(halfLife) || halfLife < 1 || halfLife > 1_000_000) {
    throw new InvalidParameterError('halfLife must be an integer number of samples in 1..1e6', { field: 'halfLife' })
  }
  let lo = 0n
  let hi = WAD
  const half = WAD / 2n
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n
    if (wPowDown(mid, halfLife) <= half) lo = mid
    else hi = mid
  }
  return lo
}

export type VolatilityConfig = {
  /** EWMA half-life in samples. @default 60 */
  halfLife: number
  /** Per-sample volatility at which the multiplier is 1 (WAD). @default 0.001e18 (0.1% per sample) */
  sigmaRef: bigint
  /** Lower bound of the multiplier. @default 1e18 */
  minMultiplier: bigint
  /** Upper bound of the multiplier. @default 3e18 */
  maxMultiplier: bigint
}

export const DEFAULT_VOLATILITY: VolatilityConfig = {
  halfLife: 60,
  sigmaRef: 10n ** 15n,
  minMultiplier: WAD,
  maxMultiplier: 3n * WAD,
}

/** Signed simple return (p - prev) * WAD / prev, truncated toward zero. */
export function simpleReturn(prev: bigint, p: bigint): bigint {
  if (prev <= 0n || p <= 0n) throw new InvalidPriceError('prices must be positive', { field: prev <= 0n ? 'prev' : 'price' })
  return ((p - prev) * WAD) / prev
}

/**
 * Multiplier that scales margin requirements with realized volatility:
 * clamp(sigma / sigmaRef, min, max), rounded up (more margin, the protocol's side).
 */
export function volMultiplier(sigma: bigint, cfg: VolatilityConfig = DEFAULT_VOLATILITY): bigint {
  if (cfg.sigmaRef <= 0n) throw new InvalidParameterError('sigmaRef must be positive', { field: 'sigmaRef' })
  if (cfg.minMultiplier < WAD || cfg.maxMultiplier < cfg.minMultiplier) {
    throw new InvalidParameterError('need 1e18 <= minMultiplier <= maxMultiplier', { field: 'minMultiplier' })
  }
  const m = mulDivUp(sigma, WAD, cfg.sigmaRef)
  return m < cfg.minMultiplier ? cfg.minMultiplier : m > cfg.maxMultiplier ? cfg.maxMultiplier : m
}

/** Incremental EWMA realized volatility of one price series (docs/protocol.md section 6). */
export class EwmaVolatility {
  readonly lambda: bigint
  #variance = 0n
  #last: bigint | undefined
  #samples = 0

  constructor(readonly config: VolatilityConfig = DEFAULT_VOLATILITY) {
    this.lambda = lambdaFromHalfLife(config.halfLife)
  }

  /** Feeds one price; returns the new per-sample volatility (WAD). */
  update(price: bigint): bigint {
    if (price <= 0n) throw new InvalidPriceError('price must be positive', { field: 'price' })
    if (this.#last !== undefined) {
      const r = simpleReturn(this.#last, price)
      this.#variance = (this.lambda * this.#variance + ((WAD - this.lambda) * r * r) / WAD) / WAD
      this.#samples++
    }
    this.#last = price
    return this.sigma
  }

  get variance(): bigint {
    return this.#variance
  }
  get samples(): number {
    return this.#samples
  }
  /** sqrt(variance) in WAD. */
  get sigma(): bigint {
    return sqrtDown(this.#variance * WAD)
  }
  get multiplier(): bigint {
    return volMultiplier(this.sigma, this.config)
  }
}

/** Volatility of a whole series (convenience over {@link EwmaVolatility}). */
export function ewmaVolatility(prices: readonly bigint[], cfg: VolatilityConfig = DEFAULT_VOLATILITY): { sigma: bigint; variance: bigint; multiplier: bigint } {
  const v = new EwmaVolatility(cfg)
  for (const p of prices) v.update(p)
  return { sigma: v.sigma, variance: v.variance, multiplier: v.multiplier }
}
