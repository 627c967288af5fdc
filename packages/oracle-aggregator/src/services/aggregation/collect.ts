import type { SourceReport } from '@bulwark/core'
import type { PriceSource } from '../sources/types.js'

export type SourceFailure = { source: string; error: Error }
export type Collected = { reports: SourceReport[]; failures: SourceFailure[] }

/** Asks every source at once; a failing source is listed with its typed error, never dropped silently. */
export async function collectReports(sources: readonly PriceSource[], nowSeconds: number): Promise<Collected> {
  const settled = await Promise.allSettled(sources.map((s) => s.fetch(nowSeconds)))
  const reports: SourceReport[] = []
  const failures: SourceFailure[] = []
  settled.forEach((r, i) => {
    if (r.status === 'fulfilled') reports.push(r.value)
    else failures.push({ source: sources[i]!.id, error: r.reason instanceof Error ? r.reason : new Error(String(r.reason)) })
  })
  return { reports, failures }
}
