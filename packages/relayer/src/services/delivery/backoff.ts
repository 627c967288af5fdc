/** Delay before retry number `attempt` (1-based): exponential, capped, with jitter in [d/2, d]. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const d = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1))
  return Math.round(d / 2 + random() * (d / 2))
}
