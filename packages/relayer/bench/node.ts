import '../src/polyfill.js'
import { bytesToUint } from '@bulwark/core'
import { writeHeapSnapshot } from 'node:v8'
import pino from 'pino'
import { parseConfig } from '../src/config.js'
import { startRelayer } from '../src/relayer.js'
import { GuardianKey } from '../src/services/signer/guardian-key.js'
import { SyntheticChain, type SyntheticInit } from './synthetic-chain.js'

/**
 * One benchmark node (a separate process, forked by bench/run.ts): a real relayer watching the
 * synthetic chain. Reports [sequence, fetchedAt (-1 if the VAA came before its own watcher saw it), vaaAt] per VAA and its RSS to the parent.
 */
type Start = { config: unknown; guardianKeyHex: string; chain: SyntheticInit }

process.once('message', async (m: Start) => {
  const chain = new SyntheticChain(m.chain)
  const relayer = await startRelayer({
    config: parseConfig(m.config),
    guardianKey: GuardianKey.fromHex(m.guardianKeyHex),
    adapters: new Map([[chain.chainId, chain]]),
    logger: pino({ level: 'warn' }),
  })
  let rows: [number, number, number][] = []
  let held = 0
  relayer.events.on('vaa', (_d, vaa) => {
    // BENCH_HEAPSNAP=<dir>: node 0 writes a heap snapshot once it holds every VAA (memory analysis).
    if (++held === m.chain.total && process.env['BENCH_HEAPSNAP'] && relayer.index === 0) setTimeout(() => writeHeapSnapshot(`${process.env['BENCH_HEAPSNAP']}/node0-${Date.now()}.heapsnapshot`), 500)
    const seq = bytesToUint(vaa, 6 + vaa[5]! * 66 + 42, 8) // body.sequence, without re-hashing the VAA
    rows.push([Number(seq), chain.fetchedAt.get(seq) ?? -1, performance.timeOrigin + performance.now()])
  })
  const report = setInterval(() => {
    const cpu = process.cpuUsage()
    process.send!({ type: 'rows', rows, rss: process.memoryUsage.rss(), heap: process.memoryUsage().heapUsed, cpuMs: (cpu.user + cpu.system) / 1000 })
    rows = []
  }, 100)
  process.on('message', async (msg: { type: string; t0?: number }) => {
    if (msg.type === 'go') {
      const cpu = process.cpuUsage()
      process.send!({ type: 'cpu0', cpuMs: (cpu.user + cpu.system) / 1000 })
      return chain.begin(msg.t0!)
    }
    if (msg.type !== 'stop') return
    clearInterval(report)
    process.send!({ type: 'rows', rows, rss: process.memoryUsage.rss() })
    await relayer.stop()
    process.send!({ type: 'stopped' })
    process.disconnect()
  })
  process.send!({ type: 'ready' })
})
