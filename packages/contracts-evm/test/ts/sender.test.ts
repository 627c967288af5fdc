import * as core from '@bulwark/core'
import { createPublicClient, createWalletClient, http, pad, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { EvmChainAdapter, type EvmAdapterOptions } from '../../ts/adapter.js'
import { EvmSender, bumpFee, type SentTransaction } from '../../ts/sender.js'
import { CHAIN, REMOTE, REMOTE_USDC, REMOTE_VAULT, headTimestamp, startStack, type Stack } from './harness.js'

// anvil's default account 4 (well-known test key): used only by this file
const KEY: Hex = '0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a'
const sender = privateKeyToAccount(KEY)

describe('EvmSender: replace-and-bump, concurrent nonces (anvil)', () => {
  let s: Stack
  let seq = 0n
  const pub = () => createPublicClient({ transport: http(s.anvil.url) })
  const rpc = (method: string, params: unknown[] = []) => pub().request({ method: method as never, params: params as never })
  const creditVaa = async (account: Hex, amount = 1n) =>
    core.buildSignedVaa({ timestamp: await headTimestamp(s.anvil.url), nonce: 0, emitterChain: REMOTE, emitterAddress: REMOTE_VAULT, sequence: seq++, consistencyLevel: 1, payload: core.encodePayload({ type: 'CollateralLocked', destinationChain: CHAIN, account, asset: REMOTE_USDC, amount, depositor: account }) }, 0, s.keys.slice(0, 4))
  /** An adapter on KEY recording every version it sends. */
  const adapter = (o: Partial<EvmAdapterOptions> = {}) => {
    const sent: SentTransaction[] = []
    const a = new EvmChainAdapter({ deployment: s.deployment, privateKey: KEY, pollingInterval: 20, bumpAfterMs: 300, maxBumps: 10, onSend: (t) => sent.push(t), ...o })
    return { a, sent }
  }
  const pending = () => pub().getTransactionCount({ address: sender.address, blockTag: 'pending' })
  /** Bounded wait (at most 400 x 25 ms) for a condition the code under test brings about. */
  const until = async (cond: () => boolean) => {
    for (let i = 0; i < 400 && !cond(); i++) await new Promise((r) => setTimeout(r, 25))
    expect(cond()).toBe(true)
  }
  let n = 0
  const acc = () => pad(`0xe0${(++n).toString(16).padStart(4, '0')}`, { size: 32 })

  beforeAll(async () => {
    s = await startStack(5)
  })
  afterEach(async () => {
    await rpc('evm_setAutomine', [true])
    await rpc('evm_mine') // nothing a test left in the pool carries over
  })
  afterAll(async () => {
    await s?.anvil.stop()
  })

  it('rejects bad options with InvalidParameter naming the field', () => {
    const wallet = createWalletClient({ account: sender, transport: http(s.anvil.url) })
    const make = (o: object) => () => new EvmSender({ publicClient: pub() as never, walletClient: wallet }, o)
    for (const [field, value] of [
      ['bumpPercent', 9],
      ['bumpPercent', 12.5],
      ['maxBumps', -1],
      ['bumpAfterMs', 0],
      ['receiptTimeoutMs', Number.NaN],
      ['pollingInterval', 0],
      ['gasHeadroomPercent', -1],
      ['nonceRetries', 1.5],
    ] as const) {
      expect(make({ [field]: value })).toThrow(expect.objectContaining({ name: 'InvalidParameter', field }))
    }
    expect(() => new EvmSender({ publicClient: pub() as never, walletClient: createWalletClient({ transport: http(s.anvil.url) }) })).toThrow(expect.objectContaining({ name: 'InvalidParameter', field: 'walletClient' }))
    expect(() => adapter({ bumpPercent: 5 })).toThrow(expect.objectContaining({ name: 'InvalidParameter', field: 'bumpPercent' }))
    expect(make({ bumpPercent: 10, maxBumps: 0 })).not.toThrow()
    expect(bumpFee(101n, 10)).toBe(112n) // 111.1 rounded up
  })

  it('a transaction that is not mined is replaced (same nonce, higher fees) and the replacement is mined; later sends go through', async () => {
    const { a, sent } = adapter()
    await rpc('evm_setAutomine', [false])
    const v = await creditVaa(acc())
    const result = a.submitVaa(v)
    result.catch(() => {}) // awaited below; not an unhandled rejection if the test fails first
    await until(() => sent.length >= 2)
    await rpc('evm_mine')
    const r = await result
    await rpc('evm_setAutomine', [true])
    const mined = await pub().getTransaction({ hash: r.txHash })
    expect(mined.nonce).toBe(sent[0]!.nonce)
    expect(mined.maxFeePerGas!).toBeGreaterThanOrEqual(bumpFee(sent[0]!.maxFeePerGas, 20))
    expect(mined.maxPriorityFeePerGas!).toBeGreaterThan(sent[0]!.maxPriorityFeePerGas)
    expect(sent.every((t) => t.nonce === sent[0]!.nonce)).toBe(true)
    expect(sent.map((t) => t.hash)).toContain(r.txHash)
    await expect(pub().getTransactionReceipt({ hash: sent[0]!.hash })).rejects.toThrow() // the first version is gone
    expect(await a.isVaaConsumed(v)).toBe(true)
    const later = await a.submitVaa(await creditVaa(acc()))
    expect((await pub().getTransaction({ hash: later.txHash })).nonce).toBe(sent[0]!.nonce + 1)
  })

  it('gives up with TransactionStuck after maxBumps; the next send replaces the stuck nonce and nothing after it is blocked', async () => {
    const { a, sent } = adapter({ bumpAfterMs: 100, maxBumps: 1 })
    await rpc('evm_setAutomine', [false])
    const stuckVaa = await creditVaa(acc())
    const err = await a.submitVaa(stuckVaa).then(() => undefined, (e: unknown) => e)
    expect(err).toMatchObject({ name: 'TransactionStuck', field: 'maxFeePerGas', nonce: sent[0]!.nonce })
    expect(sent.map((t) => t.bump)).toEqual([0, 1])
    const stuckNonce = sent[0]!.nonce
    const next = a.submitVaa(await creditVaa(acc()))
    next.catch(() => {}) // awaited below; not an unhandled rejection if the test fails first
    await until(() => sent.length >= 3)
    expect(sent[2]).toMatchObject({ nonce: stuckNonce, bump: 0 })
    expect(sent[2]!.maxFeePerGas).toBeGreaterThanOrEqual(bumpFee(sent[1]!.maxFeePerGas, 20))
    await rpc('evm_mine')
    const r = await next
    await rpc('evm_setAutomine', [true])
    expect((await pub().getTransaction({ hash: r.txHash })).nonce).toBe(stuckNonce)
    expect(await a.isVaaConsumed(stuckVaa)).toBe(false) // its transaction was replaced, not mined
    const again = await a.submitVaa(stuckVaa)
    expect((await pub().getTransaction({ hash: again.txHash })).nonce).toBe(stuckNonce + 1)
    expect(await pending()).toBe(stuckNonce + 2)
  })

  it('eight concurrent sends, one refused in simulation: seven mined with consecutive nonces, no gap', async () => {
    const { a, sent } = adapter()
    const consumed = await creditVaa(acc())
    await a.submitVaa(consumed)
    const start = await pending()
    const vaas = await Promise.all(Array.from({ length: 7 }, () => creditVaa(acc(), 5n)))
    vaas.splice(3, 0, consumed) // the fourth one reverts in simulation
    const results = await Promise.allSettled(vaas.map((v) => a.submitVaa(v)))
    expect(results[3]).toMatchObject({ status: 'rejected', reason: { name: 'VaaAlreadyConsumed' } })
    const ok = results.filter((r): r is PromiseFulfilledResult<core.SubmitResult> => r.status === 'fulfilled')
    expect(ok).toHaveLength(7)
    const nonces = (await Promise.all(ok.map(async (r) => (await pub().getTransaction({ hash: r.value.txHash })).nonce))).sort((x, y) => x - y)
    expect(nonces).toEqual(Array.from({ length: 7 }, (_, i) => start + i))
    expect(sent).toHaveLength(8) // the first credit + seven: the refused one sent nothing
    expect(await pending()).toBe(start + 7)
    expect(await a.submitVaa(await creditVaa(acc())).then(async (r) => (await pub().getTransaction({ hash: r.txHash })).nonce)).toBe(start + 7)
  })

  it('a nonce error (the key used elsewhere behind its back) resyncs and the send succeeds', async () => {
    const { a, sent } = adapter()
    await a.submitVaa(await creditVaa(acc())) // the sender now counts locally
    const chain = { id: s.deployment.evmChainId, name: 'anvil', nativeCurrency: { name: 'E', symbol: 'E', decimals: 18 }, rpcUrls: { default: { http: [s.anvil.url] } } } as const
    const other = createWalletClient({ account: sender, chain, transport: http(s.anvil.url) })
    await pub().waitForTransactionReceipt({ hash: await other.sendTransaction({ to: sender.address, value: 1n }) })
    const r = await a.submitVaa(await creditVaa(acc()))
    expect((await pub().getTransactionReceipt({ hash: r.txHash })).status).toBe('success')
    expect((await pub().getTransaction({ hash: r.txHash })).nonce).toBe(sent[0]!.nonce + 2)
  })

  it('a pending transaction replaced by someone else with the same key is sent again with the next nonce', async () => {
    const { a, sent } = adapter({ bumpAfterMs: 200 })
    await rpc('evm_setAutomine', [false])
    const v = await creditVaa(acc())
    const result = a.submitVaa(v)
    result.catch(() => {}) // awaited below; not an unhandled rejection if the test fails first
    await until(() => sent.length >= 1)
    const first = sent[0]!
    const chain = { id: s.deployment.evmChainId, name: 'anvil', nativeCurrency: { name: 'E', symbol: 'E', decimals: 18 }, rpcUrls: { default: { http: [s.anvil.url] } } } as const
    const other = createWalletClient({ account: sender, chain, transport: http(s.anvil.url) })
    const theirs = await other.sendTransaction({ to: sender.address, value: 1n, nonce: first.nonce, maxFeePerGas: first.maxFeePerGas * 10n, maxPriorityFeePerGas: first.maxPriorityFeePerGas * 10n })
    await rpc('evm_mine')
    await rpc('evm_setAutomine', [true])
    const r = await result
    expect((await pub().getTransaction({ hash: theirs })).nonce).toBe(first.nonce)
    expect((await pub().getTransaction({ hash: r.txHash })).nonce).toBe(first.nonce + 1)
    expect(await a.isVaaConsumed(v)).toBe(true)
  })

  it('estimates gas for the block the transaction lands in: credits that open a new hour\'s window (more gas) do not run out', async () => {
    const { a } = adapter()
    for (let k = 0; k < 3; k++) {
      const nextHour = ((await pub().getBlock()).timestamp / 3600n + 1n) * 3600n
      await rpc('evm_setNextBlockTimestamp', [Number(nextHour - 1n)])
      await rpc('evm_mine') // the latest block is in the old hour, the credit's block in the new one
      await rpc('evm_setNextBlockTimestamp', [Number(nextHour + 1n)])
      const r = await a.submitVaa(await creditVaa(acc(), 5n))
      expect((await pub().getBlock({ blockNumber: r.height })).timestamp).toBe(nextHour + 1n)
    }
  })
})
