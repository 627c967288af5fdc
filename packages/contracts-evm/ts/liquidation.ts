import { InvalidParameterError, RISK_PROFILE, checkLiquidationParams } from '@bulwark/core'

/**
 * The engine's liquidation parameters (WAD; docs/protocol.md section 8), `RiskLib.LiquidationParams`.
 * The defaults are what `deployBulwark` sends: core's `RISK_PROFILE.liquidation` (section 8.7).
 */
export type LiquidationParamsEvm = {
  /** Share of each position closed per liquidation when `targetHealth` is 0, in (0, 1e18]. @default 0.5e18 */
  closeFactor: bigint
  /** Below this health everything is closed, <= 1e18. @default 0.5e18 */
  fullLiquidationHealth: bigint
  /** At or below this total notional (WAD USD) everything is closed. @default 100e18 */
  dustNotional: bigint
  /** Penalty on closed notional, <= 1e18. @default 0.02e18 */
  penaltyRate: bigint
  /** Liquidator's part of the penalty, <= 1e18; the insurance fund gets the rest. @default 0.5e18 */
  liquidatorShare: bigint
  /** Health a partial liquidation restores: 0 (off: `closeFactor`) or in [1e18, 2^128) with targetHealth * mmf > penaltyRate for every market. @default 1.5e18 */
  targetHealth: bigint
}

/**
 * What the engine's constructor sets: docs/protocol.md section 8's neutral defaults, the same as
 * core's `DEFAULT_LIQUIDATION` and the Solana program's constants (penalty 2%, target off). An engine
 * deployed without the repo's tooling runs these until the admin calls `setLiquidationParams`.
 */
export const ENGINE_LIQUIDATION_DEFAULTS: LiquidationParamsEvm = {
  closeFactor: 5n * 10n ** 17n,
  fullLiquidationHealth: 5n * 10n ** 17n,
  dustNotional: 100n * 10n ** 18n,
  penaltyRate: 2n * 10n ** 16n,
  liquidatorShare: 5n * 10n ** 17n,
  targetHealth: 0n,
}

const FIELDS = ['closeFactor', 'fullLiquidationHealth', 'dustNotional', 'penaltyRate', 'liquidatorShare', 'targetHealth'] as const

/**
 * The parameters `deployBulwark` sends: `RISK_PROFILE.liquidation` with the fields of `overrides` on
 * top, checked as the engine's `setLiquidationParams` checks them (against every market's `mmf`), so a
 * bad value fails before anything is deployed with `InvalidParameter` naming the field.
 */
export function deployLiquidationParams(overrides: Partial<LiquidationParamsEvm> = {}, mmfs: readonly bigint[] = []): LiquidationParamsEvm {
  const p: LiquidationParamsEvm = { ...RISK_PROFILE.liquidation }
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) continue
    if (!(FIELDS as readonly string[]).includes(k)) throw new InvalidParameterError(`unknown liquidation parameter ${k}`, { field: k })
    if (typeof v !== 'bigint') throw new InvalidParameterError(`${k} must be a bigint (WAD)`, { field: k })
    p[k as keyof LiquidationParamsEvm] = v
  }
  checkLiquidationParams(p, mmfs)
  if (p.dustNotional >= 1n << 256n) throw new InvalidParameterError('dustNotional must be a uint256', { field: 'dustNotional' })
  return p
}
