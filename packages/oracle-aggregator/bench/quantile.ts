/** The p-quantile of `xs` (nearest rank, rounded down), to `digits` decimals; null when empty. */
export function q(xs: number[], p: number, digits = 3): number | null {
  if (!xs.length) return null
  const s = [...xs].sort((a, b) => a - b)
  return +s[Math.min(s.length - 1, Math.floor(p * s.length))]!.toFixed(digits)
}
