import { buildSignedVaa, encodePayload, parseVaa, WAD, type Hex } from '@bulwark/core'
import type { SolanaAdapter } from '@bulwark/solana-adapter'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OracleNetwork } from './helpers/oracle-network.js'
import { SolanaProgram } from './helpers/solana-program.js'

const SOLANA = 1
const network = new OracleNetwork({ chain: SOLANA, address: `0x${'05'.repeat(32)}` as Hex }, [
  { marketId: 0, name: 'SOL-USD', price: '150.25' },
  { marketId: 7, name: 'ETH-USD', price: '2000' },
])
let program: SolanaProgram
let reader: SolanaAdapter
const adapters: SolanaAdapter[] = []
const errorName = (p: Promise<unknown>) => p.then(() => 'no error', (e: unknown) => (e as Error).name)

beforeAll(async () => {
  program = await SolanaProgram.start({ chainId: SOLANA, oracleSigners: network.signers, oracleEmitter: network.emitter, markets: [0, 7] })
  for (let i = 0; i < network.keys.length; i++) adapters.push(await program.adapter(SOLANA))
  reader = await program.adapter(SOLANA)
  await network.start((i) => [adapters[i]!])
}, 60_000)
afterAll(async () => {
  await network.stop() // closes the nodes' adapters
  await reader?.close()
  await program?.stop()
})

describe('publishing to the real Solana program through SolanaAdapter (litesvm RPC)', () => {
  it('the program accepts the quorum-signed PriceReport: both markets in one transaction', async () => {
    const now = Math.floor(Date.now() / 1000) - 1
    const r = await network.round(now)
    expect(r.leader).toBe(true)
    expect(r.published).toBe(2)
    expect(r.vaas).toHaveLength(1) // several markets per report
    expect(parseVaa(r.vaas[0]!).signatures.length).toBeGreaterThanOrEqual(3)
    expect(await reader.readPrice(0)).toMatchObject({ price: 15025n * 10n ** 16n, volMultiplier: WAD, publishTime: BigInt(now) })
    expect(await reader.readPrice(7)).toMatchObject({ price: 2000n * WAD, publishTime: BigInt(now) })
  })

  it('the program refuses a report with fewer than a quorum of oracle signatures (QuorumNotMet); the same body at quorum lands', async () => {
    network.setPrice(0, '151')
    const r = await network.round(Math.floor(Date.now() / 1000))
    const signed = parseVaa(r.vaas[0]!)
    const body = { ...signed, sequence: signed.sequence + 1n, payload: encodePayload({ type: 'PriceReport', publishTime: BigInt(Math.floor(Date.now() / 1000) + 1), prices: [{ marketId: 0, price: 152n * WAD, conf: 0n, emaPrice: 152n * WAD, volMultiplier: WAD }] }) }
    const keys = network.keys.map((privateKey, index) => ({ index, privateKey }))
    const fresh = await program.adapter(SOLANA)
    const before = await reader.readPrice(0)
    expect(await errorName(fresh.submitVaa(buildSignedVaa(body, 0, keys.slice(0, 2))))).toBe('QuorumNotMet')
    expect(await reader.readPrice(0)).toEqual(before)
    await fresh.submitVaa(buildSignedVaa(body, 0, keys.slice(0, 3)))
    expect((await reader.readPrice(0))!.price).toBe(152n * WAD)
    await fresh.close()
  })

  it('a report already landed by another node is skipped, not an error', async () => {
    const vaa = network.nodes.flatMap((n) => n.lastVaas).at(-1)!
    const out = await network.nodes[0]!.publisher.publish([Uint8Array.from(Buffer.from(vaa.slice(2), 'hex'))])
    expect(out).toEqual([{ chainId: SOLANA, skipped: expect.stringMatching(/VaaAlreadyConsumed|StaleUpdate/) }])
  })
})
