import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'vitest'
import type { Page } from 'playwright-core'
import type { Devnet } from '../../src/devnet.js'
import { alive } from './pids.js'

export const freshDir = (name: string): string => mkdtempSync(join(tmpdir(), `bulwark-devnet-${name}-`))

/** What a person sees on the status page once the crash has run: checked from the rendered DOM. */
export async function checkPageAfterCrash(page: Page, d: Devnet): Promise<void> {
  await page.waitForFunction(() => document.querySelector('#scenario-step')?.textContent?.includes('PASSED'), undefined, { timeout: 30_000 })
  const text = (sel: string) => page.locator(sel).innerText()
  expect(await text('#phase')).toMatch(/ready/)
  expect(await text('#quorum')).toContain(`${d.relayers.length} of ${d.relayers.length} guardians online`)
  const nodes = await text('#nodes tbody')
  for (const r of d.relayers) expect(nodes).toContain(r.name)
  for (const o of d.oracles) expect(nodes).toContain(o.name)
  // an oracle node reports itself down for a few seconds when it misses rounds on a loaded machine:
  // every node must be shown healthy again within a bounded time
  await page.waitForFunction(() => !/\bdown\b/.test((document.querySelector('#nodes tbody') as HTMLElement).innerText), undefined, { timeout: 20_000 })
  const prices = await text('#prices tbody')
  expect(prices).toMatch(/ETH-USD\s+\$1,800\.\d+\s+± \$\d/)
  expect(prices).toMatch(/USDC-USD/)
  expect(Number(await text('#delivered'))).toBeGreaterThanOrEqual(3)
  expect(await text('#in-flight')).toBe('0')
  expect(await text('#insurance')).toMatch(/^\$\d[\d,.]* on chain-b$/)
  expect(Number((await text('#insurance')).replace(/[^\d.]/g, ''))).toBeGreaterThan(0)
  const accounts = await text('#accounts tbody')
  expect(accounts).toContain('alice')
  expect(accounts).toContain('bob')
  const scenario = await text('#scenario tbody')
  expect(scenario).toContain('price -40%')
  expect(scenario).toContain('price -25% (gap)')
  expect(accounts).toContain('carol')
  // the chart: a price line falling 40% and a multiplier line
  const d0 = await page.locator('#chart path.price-line').getAttribute('d')
  expect(d0?.split('L').length ?? 0).toBeGreaterThan(10)
  expect(await page.locator('#chart path.mult-line').count()).toBe(1)
  expect(await page.locator('#chart text').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/×$/)]))
}

export function expectAllStopped(pids: number[]): void {
  for (const pid of pids) expect(alive(pid), `pid ${pid} is still running after stop`).toBe(false)
}
