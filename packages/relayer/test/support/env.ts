import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pino from 'pino'
import { createMetrics } from '../../src/services/ops/metrics.js'
import { Store } from '../../src/services/store/store.js'

export const silent = pino({ level: 'silent' })

/** A real LevelDB in a fresh temp dir; `reopen` closes and opens the same directory. */
export async function tempStore() {
  const dir = await mkdtemp(join(tmpdir(), 'bulwark-store-'))
  const state = { store: new Store({ path: join(dir, 'db') }) }
  await state.store.open()
  return {
    get store() {
      return state.store
    },
    async reopen() {
      await state.store.close()
      state.store = new Store({ path: join(dir, 'db') })
      await state.store.open()
      return state.store
    },
    async cleanup() {
      if (state.store.db.status === 'open') await state.store.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

export const metrics = () => createMetrics({ defaultMetrics: false })

export async function counter(m: ReturnType<typeof metrics>, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = (await m.registry.getMetricsAsJSON()).find((x) => x.name === name)
  const v = metric?.values.find((x) => Object.entries(labels).every(([k, val]) => x.labels[k] === val))
  return Number(v?.value ?? 0)
}

/** Polls `cond` every `stepMs` until it holds; throws once `ms` have passed without it. */
export async function until(cond: () => boolean | Promise<boolean>, ms = 20_000, stepMs = 50): Promise<void> {
  const end = Date.now() + ms
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not reached in time')
    await new Promise((r) => setTimeout(r, stepMs))
  }
}
