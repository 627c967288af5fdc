import type { ScenarioRow } from '../page/state.js'

const COLS: [keyof ScenarioRow, string, number][] = [
  ['step', 'step', 4], ['label', 'what', 62], ['price', 'ETH price', 10], ['volMultiplier', 'vol.mult', 8], ['health', 'health', 36], ['liquidations', 'liq.', 4], ['insuranceFund', 'insurance $', 11], ['badDebt', 'bad debt $', 10], ['socialized', 'socialized $', 12], ['messages', 'msgs', 4],
]

const fmt = (k: keyof ScenarioRow, v: ScenarioRow[keyof ScenarioRow]): string =>
  k === 'price' || k === 'insuranceFund' || k === 'badDebt' || k === 'socialized' ? Number(v).toFixed(2) : k === 'volMultiplier' ? `${Number(v).toFixed(3)}x` : String(v)

/** The scenario's summary table as fixed-width text. */
export function formatTable(rows: readonly ScenarioRow[]): string {
  const width = (i: number) => (i === 1 ? Math.max(COLS[1]![2], ...rows.map((r) => r.label.length)) : COLS[i]![2])
  const line = (cells: string[]) => cells.map((c, i) => (i >= 2 && i !== 4 ? c.padStart(width(i)) : c.padEnd(width(i)))).join('  ')
  const head = line(COLS.map((c) => c[1]))
  return ['', head, '-'.repeat(head.length), ...rows.map((r) => line(COLS.map(([k]) => fmt(k, r[k]))))].join('\n')
}
