import { assembleVaa, encodePayload, encodeVaaBody, parseVaa, toBytes32, vaaDigest, bytesToHex, WAD, type Hex } from '@bulwark/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Guardians } from '../src/crypto/guardians.js'
import { backoffDelay } from '../src/services/delivery/backoff.js'
import { deliveryRank, DeliveryWorker, listDeadLetters, retryDeadLetter } from '../src/services/delivery/worker.js'
import { Governor } from '../src/services/governor/governor.js'
import { K } from '../src/services/store/store.js'
import { testGuardianKey } from './support/cluster.js'
import { metrics, silent, tempStore } from './support/env.js'
import { MemoryChain } from './support/memory-chain.js'

const keys = [0, 1, 2, 3].map(testGuardianKey)
const guardians = new Guardians(keys.map((k) => k.address))
const asset = toBytes32('0x02')

function makeVaa(seq: bigint, amount = 10n ** 18n, destinationChain = 10003) {
  const payload = encodePayload({ type: 'CollateralLocked', destinationChain, account: toBytes32('0x01'), asset, amount, depositor: toBytes32('0x03') })
  const body = encodeVaaBody({ timestamp: 1, nonce: 0, emitterChain: 10002, emitterAddress: toBytes32('0xaa'), sequence: seq, consistencyLevel: 1, payload })
  const digest = vaaDigest(body)
  const vaa = assembleVaa(body, 0, [0, 1, 2].map((i) => ({ guardianIndex: i, signature: keys[i]!.sign(digest) })))
  return { vaa, digest: bytesToHex(digest) as Hex }
}

describe('backoffDelay', () => {
  it('grows exponentially, is capped, and jitters within [d/2, d]', () => {
    expect(backoffDelay(1, 100, 10_000, () => 1)).toBe(100)
    expect(backoffDelay(4, 100, 10_000, () => 1)).toBe(800)
    expect(backoffDelay(4, 100, 10_000, () => 0)).toBe(400)
    expect(backoffDelay(30, 100, 10_000, () => 1)).toBe(10_000)
  })
})

describe('deliveryRank', () => {
  const digest = `0x${'00'.repeat(31)}06` as Hex // primary 6 mod n

  it('the primary goes first and the others follow in index order, mod n', () => {
    expect([0, 1, 2, 3].map((i) => deliveryRank(digest, i, 4))).toEqual([2, 3, 0, 1]) // primary 6 mod 4 = 2
    expect([0, 1, 2, 3, 4].map((i) => deliveryRank(digest, i, 5))).toEqual([4, 0, 1, 2, 3]) // primary 1
  })

  it('a node outside the current set goes last', () => {
    expect(deliveryRank(digest, -1, 4)).toBe(4)
    expect(deliveryRank(digest, 4, 4)).toBe(4)
  })

  it('rejects an empty set by name', () => {
    expect(() => deliveryRank(digest, 0, 0)).toThrow(expect.objectContaining({ name: 'InvalidParameter', field: 'guardianCount' }))
  })
})

describe('DeliveryWorker', () => {
  let env: Awaited<ReturnType<typeof tempStore>>
  let chain: MemoryChain
  const make = (governor = new Governor([], env.store, silent), over: Partial<ConstructorParameters<typeof DeliveryWorker>[0]> = {}) =>
    new DeliveryWorker(
      { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2, staggerMs: 0, pollMs: 5, assets: [{ chain: 10002, asset, marketId: 1, decimals: 18 }], ...over },
      { store: env.store, adapters: new Map([[10003, chain]]), governor, readPrice: (id) => chain.readPrice(id), index: 0, guardianCount: 4, metrics: metrics(), log: silent },
    )
  const store = async (v: ReturnType<typeof makeVaa>) => env.store.commit([{ type: 'put', key: K.vaa(v.digest), value: { vaa: bytesToHex(v.vaa), assembledAt: 0, source: 'quorum' } }])
  const drain = async (w: DeliveryWorker, rounds = 20) => {
    for (let i = 0; i < rounds; i++) {
      await w.runDue(Date.now() + 60_000)
      await new Promise((r) => setTimeout(r, 3))
    }
  }
  beforeEach(async () => {
    env = await tempStore()
    chain = new MemoryChain(10003, { guardians })
  })
  afterEach(() => env.cleanup())

  it('retries transient failures with backoff and delivers', async () => {
    const v = makeVaa(1n)
    await store(v)
    chain.failSubmits = 2
    const w = make()
    await w.enqueue(v.digest, v.vaa)
    await drain(w)
    expect(chain.submissions).toHaveLength(3)
    expect(chain.consumed.has(parseVaa(v.vaa).hash)).toBe(true)
    expect(await env.store.get(K.delivery(v.digest))).toMatchObject({ status: 'delivered', deliveredBy: 'self', attempts: 2 })
  })

  it('dead-letters after the retry budget; an operator retry (node stopped) delivers it', async () => {
    const v = makeVaa(2n)
    await store(v)
    chain.failSubmits = 100
    let w = make()
    await w.enqueue(v.digest, v.vaa)
    await drain(w)
    expect(chain.submissions).toHaveLength(3)
    const dead = await listDeadLetters(env.store)
    expect(dead.map((d) => [d.digest, d.status, d.lastError])).toEqual([[v.digest, 'dead', 'Error: rpc unavailable']])
    await expect(retryDeadLetter(env.store, toBytes32('0x99'))).rejects.toMatchObject({ name: 'NotFound' })
    chain.failSubmits = 0
    await retryDeadLetter(env.store, v.digest)
    expect(await listDeadLetters(env.store)).toEqual([])
    w = make()
    await w.start()
    await w.stop()
    await drain(w)
    expect(chain.consumed.size).toBe(1)
  })

  it('checks on-chain consumption first: a VAA consumed elsewhere is never submitted', async () => {
    const v = makeVaa(3n)
    await store(v)
    await chain.submitVaa(v.vaa)
    chain.submissions.length = 0
    const w = make()
    await w.enqueue(v.digest, v.vaa)
    await drain(w)
    expect(chain.submissions).toEqual([])
    expect(await env.store.get(K.delivery(v.digest))).toMatchObject({ status: 'delivered', deliveredBy: 'other' })
  })

  it('treats VaaAlreadyConsumed from the chain as delivered (a race with another node)', async () => {
    const v = makeVaa(4n)
    await store(v)
    const w = make()
    await w.enqueue(v.digest, v.vaa)
    const real = chain.isVaaConsumed.bind(chain)
    chain.isVaaConsumed = async () => false
    await chain.submitVaa(v.vaa)
    await drain(w)
    chain.isVaaConsumed = real
    expect(chain.consumed.size).toBe(1)
    expect(await env.store.get(K.delivery(v.digest))).toMatchObject({ status: 'delivered', deliveredBy: 'other' })
  })

  it('after a restart with a pending delivery that had landed, it does not deliver twice', async () => {
    const v = makeVaa(5n)
    await store(v)
    await make().enqueue(v.digest, v.vaa)
    await chain.submitVaa(v.vaa) // landed, then the node died before recording it
    await env.reopen()
    const w = make()
    await w.start()
    await w.stop()
    await drain(w)
    expect(chain.submissions).toHaveLength(1)
  })

  it('holds transfers over the governor limit and releases them later, never dropping one', async () => {
    chain.prices.set(1, { marketId: 1, price: 1000n * WAD, conf: 0n, emaPrice: 1000n * WAD, volMultiplier: WAD, publishTime: 0n })
    const gov = new Governor([{ chain: 10002, limit: 2500n * WAD, largeTransfer: 5000n * WAD, delay: 3600, window: 86_400 }], env.store, silent)
    const w = make(gov)
    const vs = [1n, 2n, 3n].map((s) => makeVaa(100n + s, 10n ** 18n))
    for (const v of vs) { await store(v); await w.enqueue(v.digest, v.vaa) }
    await drain(w, 5)
    expect(chain.consumed.size).toBe(2)
    expect(gov.queued().map((q) => q.id)).toEqual([vs[2]!.digest])
    expect(await env.store.get(K.delivery(vs[2]!.digest))).toMatchObject({ status: 'governed' })
    await w.runDue(Date.now() + 3601_000)
    await drain(w, 3)
    expect(chain.consumed.size).toBe(3)
  })
})

describe('DeliveryWorker after a guardian-set upgrade', () => {
  it('takes its turn from the current set at each enqueue, not from the set it started with', async () => {
    const env = await tempStore()
    try {
      const chain = new MemoryChain(10003, { guardians })
      const node = { index: 3, count: 4 }
      const w = new DeliveryWorker(
        { staggerMs: 1000, assets: [] },
        {
          store: env.store,
          adapters: new Map([[10003, chain]]),
          governor: new Governor([], env.store, silent),
          readPrice: () => Promise.resolve(null),
          get index() {
            return node.index
          },
          get guardianCount() {
            return node.count
          },
          metrics: metrics(),
          log: silent,
        },
      )
      const wait = async (v: ReturnType<typeof makeVaa>) => {
        const d = (await w.enqueue(v.digest, v.vaa))!
        return (d.nextAt - d.createdAt) / 1000 // stagger periods
      }
      const a = makeVaa(11n)
      const expected = (digest: Hex, index: number, n: number) => deliveryRank(digest, index, n)
      expect(await wait(a)).toBe(expected(a.digest, 3, 4))
      // upgrade: a set of 5 where this node is index 0
      Object.assign(node, { index: 0, count: 5 })
      const b = makeVaa(12n)
      expect(expected(b.digest, 0, 5)).not.toBe(expected(b.digest, 3, 4)) // the case tells the two sets apart
      expect(await wait(b)).toBe(expected(b.digest, 0, 5))
      // upgrade that leaves this node out: last of the 5
      node.index = -1
      const c = makeVaa(13n)
      expect(await wait(c)).toBe(5)
    } finally {
      await env.cleanup()
    }
  })
})
