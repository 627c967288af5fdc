import { InvalidAmountError } from '../errors/input.js'
import { WAD } from '../math/constants.js'

export type AdlCandidate = { id: string; unrealizedPnl: bigint; equity: bigint }
export type AdlDeduction = { id: string; amount: bigint }

/**
 * Auto-deleveraging: charges a socialized loss to accounts with positive unrealized PnL, in order
 * of descending pnl * WAD / max(equity, 1) (ties by id), each at most its positive PnL. Returns the
 * deductions and any loss no account could absorb (left recorded as socialized).
 */
export function adlAllocate(loss: bigint, candidates: readonly AdlCandidate[]): { deductions: AdlDeduction[]; unabsorbed: bigint } {
  if (loss < 0n) throw new InvalidAmountError('loss must not be negative', { field: 'loss' })
  const ranked = candidates
    .filter((c) => c.unrealizedPnl > 0n)
    .map((c) => ({ c, score: (c.unrealizedPnl * WAD) / (c.equity > 1n ? c.equity : 1n) }))
    .sort((a, b) => (a.score === b.score ? (a.c.id < b.c.id ? -1 : a.c.id > b.c.id ? 1 : 0) : a.score > b.score ? -1 : 1))
  const deductions: AdlDeduction[] = []
  let left = loss
  for (const { c } of ranked) {
    if (left === 0n) break
    const amount = c.unrealizedPnl < left ? c.unrealizedPnl : left
    deductions.push({ id: c.id, amount })
    left -= amount
  }
  return { deductions, unabsorbed: left }
}
