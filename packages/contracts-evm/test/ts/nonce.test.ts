import * as core from '@bulwark/core'
import { createPublicClient, createWalletClient, http, pad, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EvmChainAdapter } from '../../ts/adapter.js'
import { ANVIL_KEY_0 } from '../../ts/deploy.js'
import { isNonceError, NonceTracker } from '../../ts/nonce.js'
import { CHAIN, REMOTE, REMOTE_USDC, REMOTE_VAULT, headTimestamp, startStack, type Stack } from './harness.js'

// anvil's default account 3 (well-known test key): used only by this file's adapters
const KEY: Hex = '0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6'
const sender = privateKeyToAccount(KEY)

describe('EvmChainAdapter nonces: several submissions in flight from one key (anvil)', () => {
  let s: Stack
  let seq = 0n
  const pub = () => createPublicClient({ transport: http(s.anvil.url) })
  const creditVaa = async (account: Hex, amount: bigint) =>
    core.buildSignedVaa({ timestamp: await headTimestamp(s.anvil.url), nonce: 0, emitterChain: REMOTE, emitterAddress: REMOTE_VAULT, sequence: seq++, consistencyLevel: 1, payload: core.encodePayload({ type: 'CollateralLocked', destinationChain: CHAIN, account, asset: REMOTE_USDC, amount, depositor: account }) }, 0, s.keys.slice(0, 4))
  const adapter = (o: { pollingInterval?: number } = {}) => new EvmChainAdapter({ deployment: s.deployment, privateKey: KEY, ...o })
  const nonceOf = async (hash: Hex) => (await pub().getTransaction({ hash })).nonce

  beforeAll(async () => {
    s = await startStack(5)
  })
  afterAll(async () => {
    await s?.anvil.stop()
  })

  it('polls at the configured interval (default 1,000 ms); a bad gas headroom is a typed error naming it', () => {
    expect(adapter().pollingInterval).toBe(1_000)
    expect(adapter({ pollingInterval: 50 }).pollingInterval).toBe(50)
    expect(() => new EvmChainAdapter({ deployment: s.deployment, privateKey: KEY, gasHeadroomPercent: -5 })).toThrow(expect.objectContaining({ name: 'InvalidParameter', field: 'gasHeadroomPercent' }))
  })

  it('sends with a gas limit above the estimate (default +25%)', async () => {
    const r = await adapter({ pollingInterval: 50 }).submitVaa(await creditVaa(pad('0xd010', { size: 32 }), 3n))
    const [tx, receipt] = await Promise.all([pub().getTransaction({ hash: r.txHash }), pub().getTransactionReceipt({ hash: r.txHash })])
    expect(tx.gas).toBeGreaterThan((receipt.gasUsed * 120n) / 100n)
  })

  it('twelve concurrent submissions from one adapter all land, with consecutive distinct nonces', async () => {
    const a = adapter({ pollingInterval: 50 })
    const start = await pub().getTransactionCount({ address: sender.address, blockTag: 'pending' })
    const accounts = Array.from({ length: 12 }, (_, i) => pad(`0xc0${(i + 1).toString(16).padStart(2, '0')}`, { size: 32 }))
    const vaas = await Promise.all(accounts.map((acc) => creditVaa(acc, 1_000_000n)))
    const results = await Promise.all(vaas.map((v) => a.submitVaa(v)))
    const nonces = (await Promise.all(results.map((r) => nonceOf(r.txHash)))).sort((x, y) => x - y)
    expect(nonces).toEqual(Array.from({ length: 12 }, (_, i) => start + i))
    for (const acc of accounts) expect((await a.readAccount(acc)).collateral.reduce((n, c) => n + c.amount, 0n)).toBe(1_000_000n)
  })

  it('a transaction sent with the same key elsewhere (nonce too low) is recovered: resync, retry, lands', async () => {
    const a = adapter({ pollingInterval: 50 })
    await a.submitVaa(await creditVaa(pad('0xd001', { size: 32 }), 1n)) // the adapter now counts locally
    const chain = { id: s.deployment.evmChainId, name: 'anvil', nativeCurrency: { name: 'E', symbol: 'E', decimals: 18 }, rpcUrls: { default: { http: [s.anvil.url] } } } as const
    const other = createWalletClient({ account: sender, chain, transport: http(s.anvil.url) })
    for (let i = 0; i < 2; i++) await pub().waitForTransactionReceipt({ hash: await other.sendTransaction({ to: sender.address, value: 1n }) })
    const r = await a.submitVaa(await creditVaa(pad('0xd002', { size: 32 }), 5n))
    expect((await pub().getTransactionReceipt({ hash: r.txHash })).status).toBe('success')
    expect(await nonceOf(r.txHash)).toBe((await pub().getTransactionCount({ address: sender.address })) - 1)
  })

  it('a refused submission (typed error) uses no nonce: the next one leaves no gap', async () => {
    const a = adapter({ pollingInterval: 50 })
    const vaa = await creditVaa(pad('0xd003', { size: 32 }), 7n)
    await a.submitVaa(vaa)
    const before = await pub().getTransactionCount({ address: sender.address, blockTag: 'pending' })
    await expect(a.submitVaa(vaa)).rejects.toMatchObject({ name: 'VaaAlreadyConsumed' })
    expect(await a.liquidate(pad('0xd003', { size: 32 })).then(() => 'no error', (e: unknown) => core.isBulwarkError(e))).toBe(true) // refused in simulation (no price here)
    const r = await a.submitVaa(await creditVaa(pad('0xd004', { size: 32 }), 7n))
    expect(await nonceOf(r.txHash)).toBe(before)
  })
})

describe('NonceTracker', () => {
  it('hands out consecutive nonces to concurrent takers, reading the chain once', async () => {
    let reads = 0
    const t = new NonceTracker(async () => (reads++, 10))
    expect(await Promise.all([t.take(), t.take(), t.take()])).toEqual([10, 11, 12])
    expect(reads).toBe(1)
  })
  it('reuses a released nonce first, and rereads the chain after resync', async () => {
    let chain = 5
    const t = new NonceTracker(async () => chain)
    const [a, b, c] = [await t.take(), await t.take(), await t.take()]
    expect([a, b, c]).toEqual([5, 6, 7])
    t.release(6)
    expect(await t.take()).toBe(6)
    expect(await t.take()).toBe(8)
    t.release(8) // the last one: the count steps back
    expect(await t.take()).toBe(8)
    chain = 20
    t.resync()
    expect(await t.take()).toBe(20)
  })
  it('a failed chain read fails that take only; the next take reads again', async () => {
    let fail = true
    const t = new NonceTracker(async () => {
      if (fail) throw new Error('rpc down')
      return 3
    })
    await expect(t.take()).rejects.toThrow('rpc down')
    fail = false
    expect(await t.take()).toBe(3)
  })
  it('recognises node nonce errors by name or message', () => {
    expect(isNonceError(new Error('nonce too low: next nonce 5, tx nonce 4'))).toBe(true)
    expect(isNonceError(new Error('replacement transaction underpriced'))).toBe(true)
    expect(isNonceError(new Error('execution reverted'))).toBe(false)
  })
})
