import { addressOfPrivateKey, bytesToHex, GuardianSetRegistry, parseVaa, decodePayload, WAD, type PriceEntry } from '@bulwark/core'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PeerServer } from './peer-server.js'
import { buildReportBodies, MAX_MARKETS_PER_REPORT, type OracleEmitter } from './report-builder.js'
import { collectQuorum } from './round.js'
import { SigningService } from './signing-service.js'
import type { OracleSet } from './signature-collector.js'

const logger = pino({ level: 'silent' })
const emitter: OracleEmitter = { chain: 10002, address: `0x${'00'.repeat(31)}0a` }
const keys = Array.from({ length: 4 }, (_, i) => secp256k1.utils.randomSecretKey(new Uint8Array(48).fill(i + 1)))
const set: OracleSet = { index: 0, keys: keys.map(addressOfPrivateKey) }
const now = 1_700_000_000
const entry = (marketId: number, price: bigint): PriceEntry => ({ marketId, price, conf: WAD, emaPrice: price, volMultiplier: WAD })

// each node's own view; node 3 sees a very different BTC price and will refuse
const views: Map<number, PriceEntry>[] = [0, 1, 2, 3].map((n) => new Map([[1, entry(1, n === 3 ? 40_000n * WAD : 30_000n * WAD + BigInt(n) * WAD)], [2, entry(2, 2_000n * WAD)]]))
const services = keys.map((privateKey, i) => new SigningService({ guardianIndex: i, privateKey, emitter }, { ownView: (m) => views[i]!.get(m), now: () => now, logger }))
const servers = services.map((s) => new PeerServer(s))
let urls: string[] = []

beforeAll(async () => {
  urls = await Promise.all(servers.map((s) => s.start(0)))
})
afterAll(() => Promise.all(servers.map((s) => s.stop())))

describe('report bodies', () => {
  it('sort markets, hold at most 14 per report (15 exceed 1,024 bytes) and use deterministic sequences', () => {
    const entries = Array.from({ length: 31 }, (_, i) => entry(100 - i, 1000n * WAD))
    const bodies = buildReportBodies(entries, now, emitter)
    expect(bodies).toHaveLength(3)
    const p = bodies.map((b) => decodePayload(b.subarray(51)))
    expect(p.map((x) => (x.type === 'PriceReport' ? x.prices.length : 0))).toEqual([MAX_MARKETS_PER_REPORT, MAX_MARKETS_PER_REPORT, 3])
    expect(p.map((x) => (x.type === 'PriceReport' ? x.prices[0]!.marketId : 0))).toEqual([70, 84, 98])
    expect(bytesToHex(bodies[0]!)).toBe(bytesToHex(buildReportBodies([...entries].reverse(), now, emitter)[0]!))
  })
  it('refuse a market listed twice', () => {
    expect(() => buildReportBodies([entry(1, WAD), entry(1, WAD)], now, emitter)).toThrow(expect.objectContaining({ name: 'InvalidParameter' }))
  })
})

describe('quorum over HTTP between oracle nodes on loopback', () => {
  it('the leader assembles a VAA that a registry of the oracle set accepts (3 of 4, the dissenter refused)', async () => {
    const bodies = buildReportBodies([entry(1, 30_000n * WAD), entry(2, 2_000n * WAD)], now, emitter)
    const [vaa] = await collectQuorum(bodies, { signing: services[0]!, set, peers: urls.slice(1), timeoutMs: 2000, logger })
    const parsed = parseVaa(vaa!)
    expect(parsed.signatures.map((s) => s.guardianIndex)).toEqual([0, 1, 2])
    new GuardianSetRegistry(set.keys).verify(parsed, now)
  })

  it('a peer refuses a price far from its own with the typed reason', async () => {
    const [body] = buildReportBodies([entry(1, 30_000n * WAD)], now, emitter)
    const res = await fetch(`${urls[3]}/v1/sign`, { method: 'POST', body: JSON.stringify({ bodies: [bytesToHex(body!)] }) })
    expect(res.status).toBe(409)
    expect(await res.json()).toMatchObject({ error: 'PriceDivergence', field: 'prices[0].price' })
  })

  it('refuses unknown markets, stale proposals, foreign emitters and garbage', async () => {
    const post = async (bodies: unknown) => {
      const r = await fetch(`${urls[1]}/v1/sign`, { method: 'POST', body: typeof bodies === 'string' ? bodies : JSON.stringify({ bodies }) })
      return { status: r.status, body: (await r.json()) as { error: string } }
    }
    const hex = (b: Uint8Array[]) => b.map((x) => bytesToHex(x))
    expect((await post(hex(buildReportBodies([entry(9, WAD)], now, emitter)))).body.error).toBe('UnknownMarket')
    expect((await post(hex(buildReportBodies([entry(1, 30_000n * WAD)], now - 600, emitter)))).body.error).toBe('StalePrice')
    expect((await post(hex(buildReportBodies([entry(1, 30_000n * WAD)], now, { ...emitter, chain: 10003 })))).body.error).toBe('UnknownEmitter')
    expect(await post('{not json')).toMatchObject({ status: 400 })
    expect(await post(['0x01'])).toMatchObject({ status: 409, body: { error: 'InvalidParameter' } })
    expect(await post([])).toMatchObject({ status: 400 })
  })

  it('without a quorum there is no VAA: QuorumNotMet', async () => {
    const bodies = buildReportBodies([entry(1, 30_000n * WAD)], now + 1, emitter)
    await expect(collectQuorum(bodies, { signing: services[0]!, set, peers: [urls[3]!, 'http://127.0.0.1:9'], timeoutMs: 500, logger })).rejects.toMatchObject({ name: 'QuorumNotMet' })
  })

  it('a node never signs two different bodies for one sequence', async () => {
    const a = buildReportBodies([entry(1, 30_000n * WAD)], now + 2, emitter)
    const b = buildReportBodies([entry(1, 30_001n * WAD)], now + 2, emitter)
    await collectQuorum(a, { signing: services[0]!, set, peers: urls.slice(1, 3), timeoutMs: 2000, logger })
    const r = await fetch(`${urls[1]}/v1/sign`, { method: 'POST', body: JSON.stringify({ bodies: [bytesToHex(b[0]!)] }) })
    expect(await r.json()).toMatchObject({ error: 'InvalidParameter', field: 'sequence' })
  })
})
