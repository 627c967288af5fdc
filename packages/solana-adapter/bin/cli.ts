import { parseArgs } from 'node:util'
import { startSolanaRpc } from '../src/rpc/server.js'

/** The only place that reads process arguments. */
const USAGE = `bulwark-solana-rpc [options]
  --port <n>              HTTP + WebSocket port (0: a free one)           default 8899
  --ws-port <n>           also serve WebSocket here (web3.js 1.x default) default port + 1 (none when --port 0)
  --host <ip>                                                             default 127.0.0.1
  --program <id>=<path>   load an SBF program (repeatable)
  --slot-ms <n>           produce an empty block every n ms (0: off)      default 400
  --confirmed-depth <n>   slots behind head for "confirmed"               default 0
  --finalized-depth <n>   slots behind head for "finalized"               default 32
Prints one JSON line {"url","wsUrl","port"} once listening; stops on SIGINT/SIGTERM.`

function int(v: string | undefined, name: string, dflt: number): number {
  if (v === undefined) return dflt
  const n = Number(v)
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name}: expected a non-negative integer, got ${v}`)
  return n
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' }, 'ws-port': { type: 'string' }, host: { type: 'string' }, program: { type: 'string', multiple: true },
      'slot-ms': { type: 'string' }, 'confirmed-depth': { type: 'string' }, 'finalized-depth': { type: 'string' }, help: { type: 'boolean' },
    },
  })
  if (values.help) return void console.log(USAGE)
  const port = int(values.port, 'port', 8899)
  const wsPort = values['ws-port'] !== undefined ? int(values['ws-port'], 'ws-port', 0) : port === 0 ? undefined : port + 1
  const programs = (values.program ?? []).map((p) => {
    const i = p.indexOf('=')
    if (i <= 0) throw new Error(`--program: expected <id>=<path.so>, got ${p}`)
    return { id: p.slice(0, i), path: p.slice(i + 1) }
  })
  const rpc = await startSolanaRpc({
    port, wsPort, host: values.host ?? '127.0.0.1', programs, slotIntervalMs: int(values['slot-ms'], 'slot-ms', 400),
    confirmedDepth: int(values['confirmed-depth'], 'confirmed-depth', 0), finalizedDepth: int(values['finalized-depth'], 'finalized-depth', 32),
  })
  console.log(JSON.stringify({ url: rpc.url, wsUrl: wsPort === undefined ? rpc.wsUrl : `ws://${values.host ?? '127.0.0.1'}:${wsPort}`, port: rpc.port }))
  const stop = () => void rpc.stop().then(() => process.exit(0))
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

main().catch((e: unknown) => {
  console.error(`bulwark-solana-rpc: ${(e as Error).message}\n\n${USAGE}`)
  process.exit(2)
})
