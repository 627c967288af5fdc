import { WAD } from '@bulwark/core'

const DECIMAL = /^(\d{1,30})(?:\.(\d{1,36}))?$/

/**
 * Exact decimal string ("30300.10000") to WAD, truncating digits beyond 18 (rounding down).
 * Returns null for anything that is not a plain non-negative decimal (exponents, signs, spaces).
 */
export function decimalToWad(s: unknown): bigint | null {
  if (typeof s !== 'string') return null
  const m = DECIMAL.exec(s)
  if (!m) return null
  const frac = (m[2] ?? '').slice(0, 18).padEnd(18, '0')
  return BigInt(m[1]!) * WAD + BigInt(frac)
}

/** mantissa x 10^expo to WAD (Pyth and Chainlink style integers), rounding down. */
export function scaledToWad(mantissa: bigint, expo: number): bigint {
  const shift = 18 + expo
  return shift >= 0 ? mantissa * 10n ** BigInt(shift) : mantissa / 10n ** BigInt(-shift)
}
