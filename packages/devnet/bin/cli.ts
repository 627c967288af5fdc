/** bulwark-devnet: the only place that reads arguments and the environment. */
import { mkdirSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { startDevnet, type Devnet } from '../src/devnet.js'
import { Supervisor } from '../src/supervisor/supervisor.js'
import { evmChains, FULL, MINIMAL, parseProfile, type ProfileInput } from '../src/profile.js'
import { runCrash } from '../src/scenario/crash.js'
import { summary } from '../src/summary.js'

const USAGE = `bulwark-devnet [scenario crash] [options]
  (no command)          start the devnet and keep it running until Ctrl-C / SIGTERM
  scenario crash        start it, run the crash story, print the table, stop (exit 1 if an invariant fails)
options
  --minimal             one EVM chain pair, 1 relayer, 1 oracle node, no Solana
  --relayers <n>        relayer nodes (default 4)        --oracles <n>     oracle nodes (default 3)
  --chains <n>          EVM chains (default 2)           --block-time <s>  seconds per EVM block (default 1)
  --no-solana           skip the Solana RPC              --page-port <n>   status page port (default: free)
  --keep                after the scenario, keep running until Ctrl-C
  --data-dir <dir>      run folder (default .devnet/<time> under the current directory)`

function profileFrom(v: Record<string, string | boolean | undefined>): { input: ProfileInput; name: string } {
  const base = v['minimal'] ? MINIMAL : FULL
  const input: ProfileInput = { ...base }
  let custom = false
  const int = (k: string) => {
    const s = v[k]
    if (typeof s !== 'string') return undefined
    const n = Number(s)
    if (!Number.isFinite(n)) throw new Error(`--${k}: expected a number, got ${s}`)
    custom = true
    return n
  }
  input.relayers = int('relayers') ?? input.relayers
  input.oracles = int('oracles') ?? input.oracles
  const chains = int('chains')
  const bt = int('block-time')
  if (chains !== undefined || bt !== undefined) input.chains = evmChains(chains ?? 2, bt ?? 1)
  if (v['no-solana']) (input.solana = false), (custom = true)
  input.pagePort = int('page-port') ?? 0
  return { input, name: (v['minimal'] ? 'minimal' : 'full') + (custom ? ' (custom)' : '') }
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      minimal: { type: 'boolean' }, relayers: { type: 'string' }, oracles: { type: 'string' }, chains: { type: 'string' }, 'block-time': { type: 'string' },
      'no-solana': { type: 'boolean' }, 'page-port': { type: 'string' }, keep: { type: 'boolean' }, 'data-dir': { type: 'string' }, help: { type: 'boolean' },
    },
  })
  if (values.help) return console.log(USAGE), 0
  const [cmd, sub] = positionals
  if (cmd !== undefined && !(cmd === 'scenario' && sub === 'crash') && cmd !== 'start') {
    console.error(`unknown command: ${positionals.join(' ')}\n${USAGE}`)
    return 2
  }
  const { input, name } = profileFrom(values)
  const profile = parseProfile(input)
  const dataDir = resolve(values['data-dir'] ?? join(process.env['INIT_CWD'] ?? process.cwd(), '.devnet', new Date().toISOString().replace(/[:.]/g, '-')))
  mkdirSync(dataDir, { recursive: true })
  if (readdirSync(dataDir).length > 0) throw new Error(`run folder ${dataDir} is not empty (each run makes new keys): pick another --data-dir`)
  const log = (l: string) => console.log(l)
  const supervisor = new Supervisor({ progress: log })
  // last resort if this process exits on a path that skipped stop(): kill every group it started
  process.on('exit', () => {
    for (const p of supervisor.processes) if (p.running) try { process.kill(-p.pid, 'SIGKILL') } catch { /* already gone */ }
  })
  let devnet: Devnet | undefined
  let stopping: Promise<void> | undefined
  const stop = (why: string) => (stopping ??= (async () => {
    log(`\nstopping (${why})…`)
    await (devnet ? devnet.stop() : supervisor.stopAll())
    log('stopped: every process the devnet started has exited')
  })())
  let interrupted = false
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => ((interrupted = true), void stop(sig).then(() => process.exit(0))))
  log(`Bulwark devnet, profile ${name}: ${profile.chains.length} EVM chains, ${profile.relayers} relayers, ${profile.oracles} oracle nodes${profile.solana ? ', Solana' : ''}`)
  devnet = await startDevnet({ profile, profileName: name, dataDir, progress: log, supervisor })
  log(summary(devnet))
  if (cmd === 'scenario') {
    const r = await runCrash(devnet, { progress: log }).catch(async (e: unknown) => {
      await stop('scenario error')
      throw e
    })
    log(r.table)
    const sec = (ms: number | undefined) => `${((ms ?? 0) / 1000).toFixed(1)} s`
    log(`\nin short: ${devnet.supervisor.pids().length} processes started in ${sec(devnet.timings['total'])}; the story took ${sec(r.timings['total'])} (lock to credit ${sec(r.timings['lockToCredit'])}, crash ${sec(r.timings['crash'])}, withdrawals ${sec(r.timings['withdraw'])}).`)
    log(`  ${r.rows.at(-1)?.liquidations ?? 0} liquidations; bad debt $${r.badDebt.total.toFixed(2)} = insurance fund $${r.badDebt.covered.toFixed(2)} + socialized $${r.badDebt.socialized.toFixed(2)}; ${r.rows.at(-1)?.label ?? ''}`)
    log(r.ok ? 'scenario crash: every invariant held' : `scenario crash FAILED:\n  ${r.failures.join('\n  ')}`)
    if (!values.keep || interrupted) {
      await stop('scenario finished')
      return r.ok ? 0 : 1
    }
  }
  await new Promise<never>(() => {})
  return 0
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e)
    // viem errors carry whole request bodies (bytecode): keep the lines a person reads
    const lines = text.split('\n').filter((l) => l.length < 400)
    console.error(`bulwark-devnet: ${lines.slice(0, 20).join('\n')}`)
    process.exit(1)
  },
)
