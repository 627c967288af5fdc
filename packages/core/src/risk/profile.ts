import { InvalidParameterError } from '../errors/input.js'
import { WAD } from '../math/constants.js'
import { sqrtDown } from '../math/fixed-point.js'
import { DEFAULT_LIQUIDATION, type LiquidationParams } from './liquidation.js'
import type { VolatilityConfig } from './volatility.js'

/**
 * Volatility settings in time units, independent of how often an oracle samples prices:
 * `halfLifeSeconds` of the EWMA and `sigmaRefPerMinute`, the one-minute volatility at which the
 * multiplier is 1. {@link volatilityForRound} turns them into a per-round {@link VolatilityConfig}.
 */
export type VolatilityProfile = {
  /** EWMA half-life. */
  halfLifeSeconds: number
  /** One-minute return volatility (WAD) at which the multiplier is 1. */
  sigmaRefPerMinute: bigint
  /** Lower bound of the multiplier (WAD, >= 1e18). */
  minMultiplier: bigint
  /** Upper bound of the multiplier (WAD). */
  maxMultiplier: bigint
}

/**
 * The parameters Bulwark deploys by default for a major-asset perpetual market (docs/protocol.md
 * section 8.7 gives the reasons and the measurements; packages/oracle-aggregator `bench:risk`
 * reproduces them):
 * - margin: imf 6%, mmf 3% at a multiplier of 1 (16.7x maximum leverage in a calm market);
 * - volatility: EWMA half-life 30 min, multiplier clamp(sigma_1min / 0.06%, 1, 5), so requirements
 *   reach mmf 15% / imf 30% (3.3x) in a crash, the same ceiling as the earlier 5% / 10% x [1, 3];
 * - liquidation: each partial liquidation restores health 1.5 (`targetHealth`), penalty 2%.
 */
export const RISK_PROFILE: {
  market: { imf: bigint; mmf: bigint }
  volatility: VolatilityProfile
  liquidation: Required<LiquidationParams>
} = {
  market: { imf: (6n * WAD) / 100n, mmf: (3n * WAD) / 100n },
  volatility: { halfLifeSeconds: 1800, sigmaRefPerMinute: (6n * WAD) / 10_000n, minMultiplier: WAD, maxMultiplier: 5n * WAD },
  liquidation: { ...DEFAULT_LIQUIDATION, targetHealth: (3n * WAD) / 2n },
}

/**
 * Per-round volatility config for an oracle that samples every `roundSeconds`: the half-life in
 * rounds is `halfLifeSeconds / roundSeconds` rounded to the nearest (at least 1), and sigmaRef is
 * scaled by sqrt(roundSeconds / 60) (a random walk's volatility grows with the square root of
 * time). The square root is rounded down: a smaller reference gives a larger multiplier, so the
 * rounding keeps requirements on the protocol's side.
 */
export function volatilityForRound(roundSeconds: number, p: VolatilityProfile = RISK_PROFILE.volatility): VolatilityConfig {
  if (!Number.isInteger(roundSeconds) || roundSeconds < 1) throw new InvalidParameterError(`roundSeconds must be a positive integer, got ${roundSeconds}`, { field: 'roundSeconds' })
  if (!Number.isInteger(p.halfLifeSeconds) || p.halfLifeSeconds < 1) throw new InvalidParameterError(`halfLifeSeconds must be a positive integer, got ${p.halfLifeSeconds}`, { field: 'halfLifeSeconds' })
  if (p.sigmaRefPerMinute <= 0n) throw new InvalidParameterError('sigmaRefPerMinute must be positive', { field: 'sigmaRefPerMinute' })
  if (p.minMultiplier < WAD || p.maxMultiplier < p.minMultiplier) throw new InvalidParameterError('need 1e18 <= minMultiplier <= maxMultiplier', { field: 'minMultiplier' })
  const halfLife = Math.max(1, Math.round(p.halfLifeSeconds / roundSeconds))
  // sigmaRef * sqrt(roundSeconds / 60) = sqrt(sigmaRef^2 * roundSeconds / 60), floor
  const sigmaRef = sqrtDown((p.sigmaRefPerMinute * p.sigmaRefPerMinute * BigInt(roundSeconds)) / 60n)
  if (sigmaRef === 0n) throw new InvalidParameterError('sigmaRefPerMinute is too small for this round length', { field: 'sigmaRefPerMinute' })
  return { halfLife, sigmaRef, minMultiplier: p.minMultiplier, maxMultiplier: p.maxMultiplier }
}
