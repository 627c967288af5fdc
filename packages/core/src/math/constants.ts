/** 10^18: the fixed-point unit for prices, fractions and position sizes. */
export const WAD = 10n ** 18n
/** Largest uint256. */
export const MAX_UINT256 = (1n << 256n) - 1n
/** Largest int256. */
export const MAX_INT256 = (1n << 255n) - 1n
/** Smallest int256. */
export const MIN_INT256 = -(1n << 255n)
/** Largest uint128 (Solana program storage width). */
export const MAX_UINT128 = (1n << 128n) - 1n
/** Largest uint64. */
export const MAX_UINT64 = (1n << 64n) - 1n
/** Basis points in one. */
export const BPS = 10_000n
