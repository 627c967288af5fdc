import { execFileSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext } from 'playwright-core'

/** Debian's chromium (installed by scripts/ensure-chromium.sh when missing), headless, in a fresh profile dir. */
export async function launchChromium(): Promise<BrowserContext> {
  execFileSync('bash', [join(import.meta.dirname, '..', '..', 'scripts', 'ensure-chromium.sh')], { stdio: 'inherit', timeout: 1_200_000 })
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'bulwark-chromium-')), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    timeout: 60_000,
    viewport: { width: 1280, height: 1400 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
}
