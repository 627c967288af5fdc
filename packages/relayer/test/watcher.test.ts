import { CONSISTENCY, toBytes32, type ObservedMessage } from '@bulwark/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ConflictingObservationError } from '../src/errors.js'
import { Watcher } from '../src/services/watcher/watcher.js'
import { counter, metrics, silent, tempStore } from './support/env.js'
import { MemoryChain } from './support/memory-chain.js'

const emitter = toBytes32('0xaa')
const p = Uint8Array.of(1)

describe('Watcher', () => {
  let env: Awaited<ReturnType<typeof tempStore>>
  let chain: MemoryChain
  let signed: ObservedMessage[]
  let reobs: [number, string, bigint, bigint][]
  let m: ReturnType<typeof metrics>
  const make = () => new Watcher({ cursorPersistMs: 0 }, {
    adapter: chain, store: env.store, metrics: m, log: silent,
    sign: async (msg) => { signed.push(msg) },
    requestReobservation: (c, e, f, t) => reobs.push([c, e, f, t]),
  })
  /** start() loads the cursor and runs one tick; stop() ends the timer so the test drives poll(). */
  const start = async () => {
    const w = make()
    await w.start()
    await w.stop()
    return { w }
  }
  beforeEach(async () => {
    env = await tempStore()
    chain = new MemoryChain(10002, { safeLag: 2, finalizedLag: 4 })
    signed = []
    reobs = []
    m = metrics()
  })
  afterEach(() => env.cleanup())

  it('signs each message only at its consistency level', async () => {
    const { w } = await start()
    signed.length = 0
    chain.mine([
      { emitter, payload: p, consistencyLevel: CONSISTENCY.instant },
      { emitter, payload: p, consistencyLevel: CONSISTENCY.safe },
      { emitter, payload: p, consistencyLevel: CONSISTENCY.finalized },
      { emitter, payload: p, consistencyLevel: 3 },
    ])
    await w.poll()
    expect(signed.map((s) => s.sequence)).toEqual([0n])
    chain.mine()
    await w.poll()
    expect(signed.map((s) => s.sequence)).toEqual([0n])
    chain.mine()
    await w.poll()
    expect(signed.map((s) => s.sequence)).toEqual([0n, 1n, 3n])
    chain.mine()
    chain.mine()
    await w.poll()
    expect(signed.map((s) => s.sequence)).toEqual([0n, 1n, 3n, 2n])
  })

  it('never signs a message whose block was reorged out before finality', async () => {
    const { w } = await start()
    const [gone] = chain.mine([{ emitter, payload: Uint8Array.of(7) }])
    chain.mine()
    await w.poll()
    chain.reorg(2)
    const [replacement] = chain.mine([{ emitter, payload: Uint8Array.of(8) }])
    for (let i = 0; i < 6; i++) {
      chain.mine()
      await w.poll()
    }
    expect(signed.map((s) => s.payload[0])).toEqual([8])
    expect(signed[0]!.blockHash).toBe(replacement!.blockHash)
    expect(signed.some((s) => s.blockHash === gone!.blockHash)).toBe(false)
  })

  it('detects a reorg between scan and finality by block hash and rescans', async () => {
    const { w } = await start()
    chain.mine([{ emitter, payload: Uint8Array.of(1) }])
    await w.poll()
    chain.reorg(1)
    chain.mine([{ emitter, payload: Uint8Array.of(2) }])
    for (let i = 0; i < 6; i++) chain.mine()
    await w.poll()
    await w.poll()
    expect(signed.map((s) => s.payload[0])).toEqual([2])
    expect(await counter(m, 'bulwark_relayer_reorged_messages_total', { chain: '10002' })).toBeGreaterThanOrEqual(1)
  })

  it('resumes from its persisted cursor after a restart: nothing skipped, nothing re-signed', async () => {
    let { w } = await start()
    chain.mine([{ emitter, payload: p }])
    for (let i = 0; i < 5; i++) chain.mine()
    chain.mine([{ emitter, payload: p }])
    await w.poll()
    expect(signed.map((s) => s.sequence)).toEqual([0n])
    await env.reopen()
    for (let i = 0; i < 5; i++) chain.mine()
    ;({ w } = await start())
    await w.poll()
    expect(signed.map((s) => s.sequence)).toEqual([0n, 1n])
    expect(w.cursor).toBe(chain.head)
  })

  it('requests reobservation of a sequence gap', async () => {
    const { w } = await start()
    chain.mine([{ emitter, payload: p, sequence: 0n }])
    chain.mine([{ emitter, payload: p, sequence: 4n }])
    for (let i = 0; i < 5; i++) chain.mine()
    await w.poll()
    expect(reobs).toEqual([[10002, emitter, 1n, 3n]])
    expect(await counter(m, 'bulwark_relayer_sequence_gaps_total', { chain: '10002' })).toBe(1)
  })

  it('skips a conflicting message without stopping the chain', async () => {
    const w = new Watcher({}, {
      adapter: chain, store: env.store, metrics: m, log: silent,
      sign: async (msg) => {
        if (msg.sequence === 0n) throw new ConflictingObservationError('conflict', { field: 'sequence' })
        signed.push(msg)
      },
      requestReobservation: () => {},
    })
    await w.start()
    await w.stop()
    chain.mine([{ emitter, payload: p }, { emitter, payload: p }])
    for (let i = 0; i < 5; i++) chain.mine()
    await w.poll()
    expect(signed.map((s) => s.sequence)).toEqual([1n])
  })
})
