import { WAD } from '@bulwark/core'
import { createPublicClient, createWalletClient, http, type Address, type PublicClient } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAnvil, type AnvilHandle } from '@bulwark/contracts-evm'
import { mockV3Aggregator } from '../../../test/helpers/mock-v3-aggregator.js'
import { ChainlinkSource } from './chainlink.js'

// anvil's first default account (public test key)
const DEV_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80'
let anvil: AnvilHandle
let client: PublicClient
let feed: Address
const { abi, bytecode } = mockV3Aggregator()
const wallet = () => createWalletClient({ account: privateKeyToAccount(DEV_KEY), chain: foundry, transport: http(anvil.url) })

async function write(functionName: 'updateAnswer' | 'updateRoundData', args: readonly unknown[]) {
  const hash = await wallet().writeContract({ address: feed, abi, functionName, args })
  await client.waitForTransactionReceipt({ hash })
}
const chainNow = async () => Number((await client.getBlock()).timestamp)

beforeAll(async () => {
  anvil = await startAnvil()
  client = createPublicClient({ chain: foundry, transport: http(anvil.url) }) as PublicClient
  const hash = await wallet().deployContract({ abi, bytecode, args: [8, 3_030_012_345_678n] })
  feed = (await client.waitForTransactionReceipt({ hash })).contractAddress!
})
afterAll(() => anvil?.stop())

describe('Chainlink AggregatorV3 source (MockV3Aggregator from @chainlink/contracts on anvil)', () => {
  it('reads latestRoundData and scales by decimals() to WAD', async () => {
    const src = new ChainlinkSource({ marketId: 1, feed, client, label: 'BTC/USD' })
    const now = await chainNow()
    const r = await src.fetch(now)
    expect(r.price).toBe(30300n * WAD + 123456780000000000n)
    expect(r.source).toBe('chainlink:BTC/USD')
    expect(r.publishTime).toBeLessThanOrEqual(now)
  })

  it('follows updateAnswer', async () => {
    await write('updateAnswer', [2_900_000_000_000n])
    const r = await new ChainlinkSource({ marketId: 1, feed, client }).fetch(await chainNow())
    expect(r.price).toBe(29000n * WAD)
  })

  it('a round updated longer ago than maxAge is SourceStale, not a price', async () => {
    const now = await chainNow()
    await write('updateRoundData', [10n, 2_950_000_000_000n, BigInt(now - 3600), BigInt(now - 3600)])
    await expect(new ChainlinkSource({ marketId: 1, feed, client, policy: { maxAgeSeconds: 60 } }).fetch(now)).rejects.toMatchObject({ name: 'SourceStale', field: 'publishTime' })
  })

  it('a non-positive answer is MalformedResponse naming answer', async () => {
    await write('updateAnswer', [-5n])
    await expect(new ChainlinkSource({ marketId: 1, feed, client }).fetch(await chainNow())).rejects.toMatchObject({ name: 'MalformedResponse', field: 'answer' })
  })

  it('an address with no aggregator fails after retries (no price)', async () => {
    const src = new ChainlinkSource({ marketId: 1, feed: '0x000000000000000000000000000000000000dEaD', client, policy: { retries: 1, backoffMs: 1 } })
    await expect(src.fetch(await chainNow())).rejects.toMatchObject({ name: 'MalformedResponse', field: 'feed' })
  })

  it('an unreachable RPC fails with the transport error after retries (no price)', async () => {
    const dead = createPublicClient({ chain: foundry, transport: http('http://127.0.0.1:9', { retryCount: 0 }) }) as PublicClient
    const src = new ChainlinkSource({ marketId: 1, feed, client: dead, policy: { retries: 1, backoffMs: 1, timeoutMs: 300 } })
    const e = await src.fetch(await chainNow()).catch((x: unknown) => x)
    expect((e as { walk(f: (x: unknown) => boolean): unknown }).walk((x) => (x as Error).name === 'HttpRequestError')).toBeTruthy()
  })
})
