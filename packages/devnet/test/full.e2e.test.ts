import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import type { BrowserContext } from 'playwright-core'
import { RISK_PROFILE } from '@bulwark/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDevnet, type Devnet } from '../src/devnet.js'
import { FULL, parseProfile } from '../src/profile.js'
import { runCrash } from '../src/scenario/crash.js'
import { launchChromium } from './support/browser.js'
import { engineRisk, solanaLiquidation } from './support/risk.js'
import { checkPageAfterCrash, expectAllStopped, freshDir } from './support/run.js'

describe('devnet, full profile', () => {
  let d: Devnet | undefined
  let browser: BrowserContext | undefined

  beforeAll(async () => {
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await d?.stop()
  })

  it('starts 2 anvil chains, 4 relayers and 3 oracle nodes, runs the crash and stops within 3 minutes', async () => {
    const t0 = Date.now()
    d = await startDevnet({ profile: parseProfile(FULL), profileName: 'full', dataDir: freshDir('full') })
    const startMs = Date.now() - t0
    expect(d.relayers).toHaveLength(4)
    expect(d.oracles).toHaveLength(3)
    expect(d.state.quorum).toMatchObject({ guardians: 4, needed: 3, online: 4, ok: true })
    // Solana: the RPC process runs the initialized program and the oracle nodes publish to it
    expect(d.solana?.programId).toBe('Bu1wark111111111111111111111111111111111111')
    expect(d.state.prices.filter((p) => p.chain === 'solana').map((p) => p.name)).toEqual(['ETH-USD', 'SOL-USD', 'USDC-USD'])
    // no overrides: both chains liquidate with RISK_PROFILE's parameters (target health 1.5, penalty 2%)
    expect((await engineRisk(d)).liquidation).toEqual(RISK_PROFILE.liquidation)
    expect(await solanaLiquidation(d)).toEqual(RISK_PROFILE.liquidation)
    const page = await browser!.newPage()
    await page.goto(d.pageUrl)

    const t1 = Date.now()
    const r = await runCrash(d)
    const scenarioMs = Date.now() - t1
    expect(r.failures).toEqual([])
    // the SPL leg: locked on Solana, credited on chain-b, all of it released back to the wallet
    expect(r.table).toMatch(/solana SPL: locked 20\.00, credited 20\.00, approved 20\.00, released 20\.00, vault holds 0\.00/)
    expect(r.badDebt.total).toBeGreaterThan(0)
    expect(r.conservation.checkedBlocks).toBeGreaterThanOrEqual(1)
    await checkPageAfterCrash(page, d)
    const chainsText = await page.locator('#chains tbody').innerText()
    expect(chainsText).toMatch(/solana \(solana\)\s+1\s+http:\/\/127\.0\.0\.1:\d+\s+\d+\s+program Bu1wark/)
    expect(await page.locator('#prices tbody').innerText()).toMatch(/ETH-USD\s+\$1,800\.\d+.*solana/)
    const dir = join(import.meta.dirname, '..', 'test-results')
    mkdirSync(dir, { recursive: true })
    await page.screenshot({ path: join(dir, 'status-page-full.png'), fullPage: true })

    const pids = d.supervisor.pids()
    const t2 = Date.now()
    await d.stop()
    const stopMs = Date.now() - t2
    expectAllStopped(pids)
    const total = startMs + scenarioMs + stopMs
    const result = {
      what: 'devnet full profile: start + crash scenario + stop (test/full.e2e.test.ts, `pnpm --filter @bulwark/devnet test:e2e`)',
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, node: process.version, loadAverage1m: Number(loadavg()[0]!.toFixed(2)) },
      profile: { relayers: 4, oracles: 3, evmChains: 2, blockTimeSeconds: 1, solana: d.solana ? 'bulwark-solana-rpc + initialized program: oracle prices, SPL lock credited on chain-b and withdrawn back' : 'off' },
      ms: { start: startMs, startParts: d.timings, scenario: scenarioMs, scenarioParts: r.timings, stop: stopMs, total },
      processes: pids.length,
      scenario: { rows: r.rows, badDebt: r.badDebt },
    }
    mkdirSync(join(import.meta.dirname, '..', 'bench-results'), { recursive: true })
    writeFileSync(join(import.meta.dirname, '..', 'bench-results', 'devnet-full.json'), JSON.stringify(result, null, 2) + '\n')
    expect(total).toBeLessThan(180_000)
  })
})
