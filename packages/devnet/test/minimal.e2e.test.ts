import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { BrowserContext } from 'playwright-core'
import { RISK_PROFILE } from '@bulwark/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PERP_MARKETS } from '../src/chains/deploy.js'
import { startDevnet, type Devnet } from '../src/devnet.js'
import { MINIMAL, parseProfile } from '../src/profile.js'
import { runCrash } from '../src/scenario/crash.js'
import { launchChromium } from './support/browser.js'
import { engineRisk } from './support/risk.js'
import { checkPageAfterCrash, expectAllStopped, freshDir } from './support/run.js'

describe('devnet, minimal profile', () => {
  let d: Devnet | undefined
  let browser: BrowserContext | undefined
  const lines: string[] = []

  beforeAll(async () => {
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await d?.stop()
  })

  it('starts, runs the crash with the page open, keeps every invariant, and stops every process', async () => {
    d = await startDevnet({ profile: parseProfile(MINIMAL), profileName: 'minimal', dataDir: freshDir('minimal'), progress: (l) => lines.push(l) })
    expect(d.state.ready).toBe(true)
    expect(d.relayers).toHaveLength(1)
    expect(d.chains.map((c) => c.role)).toEqual(['origin', 'position'])
    // no overrides: the position chain's engine runs RISK_PROFILE (liquidation to health 1.5, penalty 2%; imf 6%, mmf 3%)
    const risk = await engineRisk(d)
    expect(risk.liquidation).toEqual(RISK_PROFILE.liquidation)
    expect(risk.markets).toEqual(PERP_MARKETS.map((m) => ({ id: m.id, ...RISK_PROFILE.market })))
    const page = await browser!.newPage()
    await page.goto(d.pageUrl)
    await page.locator('#phase', { hasText: 'ready' }).waitFor({ timeout: 15_000 })

    const r = await runCrash(d, { progress: (l) => lines.push(l) })
    expect(r.failures).toEqual([])
    expect(r.ok).toBe(true)
    expect(r.rows.map((x) => x.label)).toContain('price -40%')
    expect(r.rows.at(-1)!.liquidations).toBeGreaterThanOrEqual(1)
    expect(r.ledgers[0]!.locked).toBe(17_000n * 10n ** 6n)
    // the gap leaves carol below zero: bad debt, absorbed by the fund first, value conserved exactly
    expect(r.badDebt.total).toBeGreaterThan(0)
    expect(r.badDebt.covered).toBeGreaterThan(0)
    expect(r.badDebt.covered + r.badDebt.socialized).toBeCloseTo(r.badDebt.total, 6)
    expect(r.conservation.checkedBlocks).toBeGreaterThanOrEqual(1)
    expect(r.ledgers[0]!.released).toBeGreaterThan(0n)

    await checkPageAfterCrash(page, d)
    const dir = join(import.meta.dirname, '..', 'test-results')
    mkdirSync(dir, { recursive: true })
    await page.screenshot({ path: join(dir, 'status-page-minimal.png'), fullPage: true })

    const pids = d.supervisor.pids()
    expect(pids.length).toBe(4)
    await d.stop()
    expectAllStopped(pids)
  })
})
