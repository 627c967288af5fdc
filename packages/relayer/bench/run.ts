import { fork, type ChildProcess } from 'node:child_process'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { cpus, loadavg, totalmem } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CONTRACTS, nodeConfig, planCluster } from '../test/support/cluster.js'
import { bundle } from '../scripts/bundle.js'
import { measureSecp } from './secp.js'

/**
 * Relayer benchmark: 4 relayer nodes as separate processes on loopback, real libp2p and LevelDB,
 * watching a deterministic synthetic chain. Scenarios: saturation (all observations available at
 * once) and paced (offered at a fixed rate). Writes bench-results/relayer-<timestamp>.json.
 * Env: BENCH_TOTAL (default 10000), BENCH_RATE (paced msgs/s, default 200).
 */
const here = dirname(fileURLToPath(import.meta.url))
const TOTAL = Number(process.env['BENCH_TOTAL'] ?? 10_000)
const RATE = Number(process.env['BENCH_RATE'] ?? 200)
const NODES = 4
/** BENCH_BUNDLE=1: nodes run bench/node.ts bundled to plain JavaScript (bench/bundle.ts) instead of through tsx. */
const NODE_SCRIPT = process.env['BENCH_BUNDLE'] ? await bundle(join(here, 'node.ts'), 'bench-node.mjs') : join(here, 'node.ts')
const LOADER = process.env['BENCH_BUNDLE'] ? [] : ['--import', 'tsx']

type Row = [seq: number, fetchedAt: number, vaaAt: number]
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!
}
const round = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d

/** When message `seq` appeared on the synthetic chain (same formula as SyntheticChain.emitTime). */
const emitTime = (t0: number, rate: number, seq: number): number => (rate === 0 ? t0 : t0 + (seq * 1000) / rate)

async function scenario(name: string, ratePerSec: number) {
  const loadAverageBefore = loadavg().map((x) => round(x, 2))
  const { root, nodes } = await planCluster(NODES)
  const children: ChildProcess[] = []
  const rows: Row[][] = nodes.map(() => [])
  const rss: number[][] = nodes.map(() => [])
  const cpu0: number[] = nodes.map(() => 0)
  const heap: number[] = nodes.map(() => 0)
  const cpuAtComplete: number[] = nodes.map(() => NaN)
  try {
    const ready = nodes.map((n, i) => {
      const child = fork(NODE_SCRIPT, [], { execArgv: [...LOADER, ...(process.env['BENCH_NODE_FLAGS'] ?? '').split(' ').filter(Boolean), ...(process.env['BENCH_PROFILE'] && i === 0 ? ['--cpu-prof', '--cpu-prof-dir=/tmp/relayer-prof'] : [])], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
      children.push(child)
      const config = nodeConfig(nodes, i, { chains: [{ chainId: 10002, name: 'synthetic', kind: 'evm', rpcUrl: 'http://127.0.0.1:1', contracts: CONTRACTS, deliver: false }], watcher: { pollMs: 10 } })
      return new Promise<void>((resolve, reject) => {
        child.on('message', (m: { type: string; rows?: Row[]; rss?: number; heap?: number; cpuMs?: number }) => {
          if (m.type === 'ready') resolve()
          if (m.type === 'cpu0') cpu0[i] = m.cpuMs!
          if (m.type === 'rows') {
            rows[i]!.push(...m.rows!)
            rss[i]!.push(m.rss!)
            heap[i] = Math.max(heap[i]!, m.heap ?? 0)
            if (Number.isNaN(cpuAtComplete[i]!) && new Set(rows[i]!.map((x) => x[0])).size >= TOTAL) cpuAtComplete[i] = m.cpuMs!
          }
        })
        child.once('exit', (code) => reject(new Error(`node ${i} exited with ${code}`)))
        child.send({ config, guardianKeyHex: `0x${Buffer.from(n.key.secret).toString('hex')}`, chain: { chainId: 10002, t0: 0, total: TOTAL, ratePerSec, blockMs: 10, destinationChain: 10003 } })
      })
    })
    await Promise.all(ready)
    await waitForMesh(nodes.map((n) => n.opsPort))
    const t0 = Date.now() + 500
    for (const c of children) c.send({ type: 'go', t0 })
    const deadline = Date.now() + 60_000 + (TOTAL / (ratePerSec === 0 ? 1000 : ratePerSec)) * 1000
    while (rows.some((r) => new Set(r.map((x) => x[0])).size < TOTAL) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200))
    const steadyRss = rss.map((r) => r[r.length - 1] ?? NaN)
    const perNode = rows.map((r, i) => {
      const lat = r.map(([seq, , v]) => v - emitTime(t0, ratePerSec, seq))
      const own = r.filter(([, f]) => f >= 0).map(([, f, v]) => v - f)
      const last = Math.max(...r.map((x) => x[2]))
      return {
        node: i,
        vaas: new Set(r.map((x) => x[0])).size,
        secondsToAll: round((last - t0) / 1000, 3),
        vaasPerSecond: round(r.length / ((last - t0) / 1000)),
        latencyMs: { p50: round(pct(lat, 50)), p99: round(pct(lat, 99)) },
        fetchToVaaMs: { p50: round(pct(own, 50)), p99: round(pct(own, 99)), n: own.length },
        rssMB: { max: round(Math.max(...rss[i]!) / 2 ** 20), steady: round(steadyRss[i]! / 2 ** 20), maxHeapUsed: round(heap[i]! / 2 ** 20) },
        cpuMsPerVaa: round((cpuAtComplete[i]! - cpu0[i]!) / TOTAL, 3),
      }
    })
    const allLat = rows.flat().map(([seq, , v]) => v - emitTime(t0, ratePerSec, seq))
    const result = {
      scenario: name,
      offeredRate: ratePerSec === 0 ? 'all at once' : ratePerSec,
      latencyDefinition: 'from the message appearing on the source chain to the VAA held by a node (all nodes, all messages)',
      observations: TOTAL,
      complete: perNode.every((n) => n.vaas === TOTAL),
      quorumThroughputVaasPerSecond: round(Math.min(...perNode.map((n) => n.vaasPerSecond))),
      latencyMs: { p50: round(pct(allLat, 50)), p99: round(pct(allLat, 99)) },
      maxRssMB: round(Math.max(...perNode.map((n) => n.rssMB.max))),
      cpuMsPerVaaPerNode: round(perNode.reduce((a, n) => a + n.cpuMsPerVaa, 0) / perNode.length, 3),
      loadAverageBefore,
      loadAverageAfter: loadavg().map((x) => round(x, 2)),
      perNode,
    }
    return result
  } finally {
    await Promise.all(children.map((c) => stopChild(c)))
    await rm(root, { recursive: true, force: true })
  }
}

async function waitForMesh(ports: number[]): Promise<void> {
  const end = Date.now() + 20_000
  while (Date.now() < end) {
    const peers = await Promise.all(ports.map(async (p) => ((await (await fetch(`http://127.0.0.1:${p}/status`)).json()) as { peers: string[] }).peers.length))
    if (peers.every((n) => n === ports.length - 1)) return await new Promise((r) => setTimeout(r, 1500))
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error('nodes did not connect')
}

async function stopChild(c: ChildProcess): Promise<void> {
  if (c.exitCode !== null || !c.connected) return
  const exited = new Promise<void>((r) => c.once('exit', () => r()))
  c.send({ type: 'stop' })
  const timer = setTimeout(() => c.kill('SIGKILL'), 10_000)
  await exited
  clearTimeout(timer)
}

const loadBefore = loadavg().map((x) => round(x, 2))
const secp = measureSecp()
/** BENCH_ONLY=saturation|paced runs one scenario (quicker iterations while profiling). */
const ONLY = process.env['BENCH_ONLY']
const saturation = ONLY === 'paced' ? null : await scenario('saturation', 0)
const paced = ONLY === 'saturation' ? null : await scenario(`paced-${RATE}`, RATE)
const report = {
  date: new Date().toISOString(),
  nodeRuntime: process.env['BENCH_BUNDLE'] ? 'bundled JavaScript (BENCH_BUNDLE=1)' : 'TypeScript through tsx',
  nodeFlags: process.env['BENCH_NODE_FLAGS'] ?? '',
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memGB: round(totalmem() / 2 ** 30), node: process.version, loadAverageBefore: loadBefore },
  note: 'cpuMsPerVaaPerNode is CPU time (user+system) a node spent per VAA; 4 x that / cores bounds the throughput on an otherwise idle machine',
  secp256k1OpsPerSecond: secp,
  secp256k1Choice: secp.native!.recover > secp.noble!.recover ? 'native (npm secp256k1, libsecp256k1)' : '@noble/curves',
  targets: { throughputVaasPerSecond: 1000, p99MsAt200: 250, rssMB: 200 },
  saturation,
  paced,
}
const dir = join(here, '..', 'bench-results')
await mkdir(dir, { recursive: true })
const file = join(dir, `relayer-${report.date.replace(/[:.]/g, '-')}.json`)
await writeFile(file, JSON.stringify(report, null, 2) + '\n')
console.log(`secp256k1 recover/s: native ${secp.native!.recover}, noble ${secp.noble!.recover} -> ${report.secp256k1Choice}`)
console.log(`load average before: ${loadBefore.join(' ')} (other processes on this machine compete for its ${cpus().length} cores)`)
console.log(`node flags: ${report.nodeFlags || '(none)'}, runtime: ${report.nodeRuntime}`)
if (saturation) console.log(`saturation: ${saturation.observations} observations, complete=${saturation.complete}, quorum throughput ${saturation.quorumThroughputVaasPerSecond} VAAs/s (slowest node), latency p50 ${saturation.latencyMs.p50} ms p99 ${saturation.latencyMs.p99} ms, max RSS ${saturation.maxRssMB} MB, CPU ${saturation.cpuMsPerVaaPerNode} ms per VAA per node`)
if (paced) console.log(`paced ${RATE}/s: complete=${paced.complete}, latency p50 ${paced.latencyMs.p50} ms p99 ${paced.latencyMs.p99} ms, max RSS ${paced.maxRssMB} MB, CPU ${paced.cpuMsPerVaaPerNode} ms per VAA per node`)
console.log(`written ${file}`)
