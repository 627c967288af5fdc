import { addressOfPrivateKey, assembleVaa, parseVaa, WAD, type Hex } from '@bulwark/core'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import pino from 'pino'
import { createWalletClient, http, type Address } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseConfig, type OracleConfigInput } from '../src/config.js'
import { OracleNode } from '../src/services/node/oracle-node.js'
import type { EvmKeeperChain } from '../src/chains/evm-keeper-chain.js'
import { DEV_KEY, EvmStack } from './helpers/evm-stack.js'
import { ExchangeServer, PYTH_FEED } from './helpers/exchange-server.js'
import { mockV3Aggregator } from './helpers/mock-v3-aggregator.js'

const logger = pino({ level: 'silent' })
const keys = [1, 2, 3, 4].map((i) => secp256k1.utils.randomSecretKey(new Uint8Array(48).fill(40 + i)))
const signers = keys.map(addressOfPrivateKey)
const emitter = { chain: 10002, address: `0x${'00'.repeat(31)}0b` as Hex }
let stack: EvmStack
let oracle: EvmKeeperChain
let feed: Address
const exchanges = new ExchangeServer('30000')
const nodes: OracleNode[] = []

async function setChainlink(answer: bigint) {
  const { abi } = mockV3Aggregator()
  const w = createWalletClient({ account: privateKeyToAccount(DEV_KEY), chain: foundry, transport: http(stack.anvil.url) })
  await stack.pub.waitForTransactionReceipt({ hash: await w.writeContract({ address: feed, abi, functionName: 'updateAnswer', args: [answer] }) })
}
function setVenues(price: string) {
  const time = Math.floor(Date.now() / 1000)
  for (const v of ['coinbase', 'kraken', 'binance', 'okx'] as const) exchanges.set(v, { price, time })
  exchanges.set('pyth', { price: '41000', time }) // a persistent outlier
}
async function round(now: number) {
  const leader = nodes[now % nodes.length]!
  await Promise.all(nodes.filter((n) => n !== leader).map((n) => n.runRound(now)))
  return leader.runRound(now)
}
const chainNow = () => stack.now()

describe('oracle network: 4 nodes, real sources, quorum-signed reports on the EVM PriceOracle (anvil)', () => {
  beforeAll(async () => {
    stack = await EvmStack.start({ chainId: 10002, guardians: signers, oracleSigners: signers, oracleEmitter: emitter, priceMarkets: [1], breaker: { maxMoveBps: 1500, window: 300, haltDuration: 600, cooldown: 300, maxOracleGap: 120, liquidationGrace: 120 } })
    oracle = stack.adapter()
    const base = await exchanges.start()
    const { abi, bytecode } = mockV3Aggregator()
    const w = createWalletClient({ account: privateKeyToAccount(DEV_KEY), chain: foundry, transport: http(stack.anvil.url) })
    feed = (await stack.pub.waitForTransactionReceipt({ hash: await w.deployContract({ abi, bytecode, args: [8, 3_000_000_000_000n] }) })).contractAddress!
    for (let i = 0; i < 4; i++) {
      const input: OracleConfigInput = {
        guardianIndex: i,
        oracleSet: { keys: signers },
        emitter,
        ops: { port: 0 },
        markets: [
          {
            marketId: 1,
            name: 'BTC-USD',
            minSources: 3,
            sources: [
              { type: 'coinbase', baseUrl: base, product: 'BTC-USD' },
              { type: 'kraken', baseUrl: base, pair: 'XBTUSD' },
              { type: 'binance', baseUrl: base, symbol: 'BTCUSDT' },
              { type: 'okx', baseUrl: base, instId: 'BTC-USDT' },
              { type: 'pyth', baseUrl: base, feedId: PYTH_FEED },
              { type: 'chainlink', rpcUrl: stack.anvil.url, feed, label: 'BTC/USD' },
            ],
          },
        ],
      }
      const chain = stack.adapter()
      nodes.push(new OracleNode(parseConfig(input), { logger, privateKey: keys[i]!, chains: [chain], autoRounds: false }))
    }
    for (const n of nodes) await n.start()
    for (const n of nodes) n.config.peers.push(...nodes.filter((m) => m !== n).map((m) => m.peerUrl))
  })
  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.stop()))
    await exchanges.stop()
    await stack?.stop()
  })

  it('the round leader gathers a quorum and the PriceOracle accepts the median (outlier dropped)', async () => {
    setVenues('30010')
    await setChainlink(3_002_000_000_000n) // 30020
    const now = await chainNow()
    const r = await round(now)
    expect(r.leader).toBe(true)
    expect(r.published).toBe(1)
    const vaa = parseVaa(r.vaas[0]!)
    expect(vaa.signatures.length).toBeGreaterThanOrEqual(3)
    const p = await oracle.readPrice(1)
    expect(p).toMatchObject({ price: 30010n * WAD, volMultiplier: WAD, publishTime: BigInt(now) })
    const st = nodes[0]!.status().markets[0]!
    expect(st.rejected).toEqual([{ source: expect.stringMatching(/^pyth:/), reason: 'Outlier' }])
  })

  it('the chain refuses the same report with fewer than a quorum of oracle signatures', async () => {
    const now = (await chainNow()) + 1
    setVenues('30200')
    const r = await round(now)
    const vaa = parseVaa(r.vaas[0]!)
    await expect(oracle.submitVaa(assembleVaa(vaa.body, 0, vaa.signatures.slice(0, 2).map((s) => ({ guardianIndex: s.guardianIndex, signature: new Uint8Array([...s.r, ...s.s, s.v]) }))))).rejects.toMatchObject({ name: 'QuorumNotMet' })
  })

  it('inside the deviation threshold nothing is published; beyond it, it is', async () => {
    const before = await oracle.readPrice(1)
    setVenues('30210') // +0.03% vs 30200
    const r1 = await round((await chainNow()) + 2)
    expect(r1.published).toBe(0)
    expect(await oracle.readPrice(1)).toEqual(before)
    setVenues('30500') // +1%
    await setChainlink(3_050_000_000_000n)
    const r2 = await round((await chainNow()) + 3)
    expect(r2.published).toBe(1)
    expect((await oracle.readPrice(1))!.price).toBe(30500n * WAD)
  })

  it('an extreme move goes out with a higher multiplier and trips the breaker on chain', async () => {
    setVenues('24000') // -21%
    await setChainlink(2_400_000_000_000n)
    const r = await round((await chainNow()) + 4)
    expect(r.published).toBe(1)
    const p = (await oracle.readPrice(1))!
    expect(p.price).toBe(24000n * WAD)
    expect(p.volMultiplier).toBeGreaterThan(WAD)
    expect(await stack.breakerStatus(1)).toBe(1) // Halted
    expect(nodes[0]!.status().markets[0]!.breaker).toBe(1)
  })

  it('serves /metrics and /healthz', async () => {
    const m = await (await fetch(`${nodes[0]!.opsUrl}/metrics`)).text()
    expect(m).toMatch(/bulwark_oracle_rounds_total 5/)
    expect(m).toMatch(/bulwark_oracle_breaker_status\{market="1"\} 1/)
    const h = await fetch(`${nodes[0]!.opsUrl}/healthz`)
    expect([200, 503]).toContain(h.status) // rounds ran at chain time, which may be ahead of wall time
    expect(await h.json()).toHaveProperty('ok')
  })
})
