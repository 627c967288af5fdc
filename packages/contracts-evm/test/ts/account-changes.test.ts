import * as core from '@bulwark/core'
import { createPublicClient, createWalletClient, http, pad, type Hex } from 'viem'
import { mnemonicToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { marginEngineAbi } from '../../ts/generated/abi.js'
import { CHAIN, ORACLE_EMITTER, REMOTE, REMOTE_USDC, REMOTE_VAULT, USD_MARKET, headTimestamp, startStack, type Stack } from './harness.js'

const E18 = 10n ** 18n
// anvil's default account 1 trades (well-known test mnemonic); account 0 relays
const trader = mnemonicToAccount('test test test test test test test test test test test junk', { addressIndex: 1 })
const ALICE = pad(trader.address, { size: 32 }).toLowerCase() as Hex
const BOB = pad('0xb0b', { size: 32 })

describe('EvmChainAdapter account changes and withdrawal finalization (anvil)', () => {
  let s: Stack
  let seq = 0n
  const pub = () => createPublicClient({ transport: http(s.anvil.url) })
  const head = () => pub().getBlockNumber({ cacheTime: 0 })
  const sign = async (emitterChain: number, emitterAddress: Hex, payload: Uint8Array, sequence: bigint) =>
    core.buildSignedVaa({ timestamp: await headTimestamp(s.anvil.url), nonce: 0, emitterChain, emitterAddress, sequence, consistencyLevel: 1, payload }, 0, s.keys.slice(0, 4))
  const credit = async (account: Hex, amount: bigint) =>
    s.adapter.submitVaa(await sign(REMOTE, REMOTE_VAULT, core.encodePayload({ type: 'CollateralLocked', destinationChain: CHAIN, account, asset: REMOTE_USDC, amount, depositor: account }), seq++))
  const asTrader = async (functionName: 'trade' | 'requestWithdrawal', args: readonly unknown[]) => {
    const chain = { id: s.deployment.evmChainId, name: 'anvil', nativeCurrency: { name: 'E', symbol: 'E', decimals: 18 }, rpcUrls: { default: { http: [s.anvil.url] } } } as const
    const wallet = createWalletClient({ account: trader, chain, transport: http(s.anvil.url) })
    const hash = await wallet.writeContract({ address: s.deployment.contracts.engine, abi: marginEngineAbi, functionName, args } as never)
    expect((await pub().waitForTransactionReceipt({ hash })).status).toBe('success')
  }

  beforeAll(async () => {
    s = await startStack(5)
    const t = await headTimestamp(s.anvil.url)
    const prices = [1, USD_MARKET].map((marketId) => ({ marketId, price: marketId === 1 ? 3000n * E18 : E18, conf: 0n, emaPrice: marketId === 1 ? 3000n * E18 : E18, volMultiplier: E18 }))
    await s.adapter.submitVaa(await sign(CHAIN, ORACLE_EMITTER, core.encodePayload({ type: 'PriceReport', publishTime: BigInt(t), prices }), BigInt(t)))
  })
  afterAll(async () => {
    await s?.anvil.stop()
  })

  it('lists each changed account once per range: credits, trades, withdrawals', async () => {
    const h0 = await head()
    await credit(ALICE, 10_000_000_000n)
    await credit(BOB, 5_000_000n)
    await credit(BOB, 5_000_000n)
    const h1 = await head()
    await asTrader('trade', [1, E18])
    await asTrader('requestWithdrawal', [1, 100_000_000n, ALICE])
    const h2 = await head()
    expect(await s.adapter.getAccountChanges(h0 + 1n, h1)).toEqual([ALICE, BOB])
    expect(await s.adapter.getAccountChanges(h1 + 1n, h2)).toEqual([ALICE])
    expect(await s.adapter.getAccountChanges(h0 + 1n, h2)).toEqual([ALICE, BOB])
    expect(await s.adapter.getAccountChanges(h2 + 1n, h2 + 100n)).toEqual([]) // nothing there yet
    await expect(s.adapter.getAccountChanges(h2, h1)).rejects.toBeInstanceOf(core.InvalidParameterError)
  })

  it('routes CollateralReleased to finalizeWithdrawal, once', async () => {
    const released = (withdrawalId: bigint, amount: bigint) =>
      sign(REMOTE, REMOTE_VAULT, core.encodePayload({ type: 'CollateralReleased', positionChain: CHAIN, withdrawalId, asset: REMOTE_USDC, amount, recipient: ALICE }), seq++)
    const engine = s.deployment.contracts.engine
    const finalized = () => pub().readContract({ address: engine, abi: marginEngineAbi, functionName: 'isFinalized', args: [0n] })
    const wrong = await released(0n, 99_000_000n)
    await expect(s.adapter.submitVaa(wrong)).rejects.toBeInstanceOf(core.InvalidParameterError)
    expect(await finalized()).toBe(false)
    const vaa = await released(0n, 100_000_000n)
    expect(await s.adapter.isVaaConsumed(vaa)).toBe(false)
    const h = await head()
    await s.adapter.submitVaa(vaa)
    expect(await finalized()).toBe(true)
    expect(await s.adapter.isVaaConsumed(vaa)).toBe(true)
    await expect(s.adapter.submitVaa(vaa)).rejects.toBeInstanceOf(core.VaaAlreadyConsumedError)
    expect(await s.adapter.getAccountChanges(h + 1n, await head())).toEqual([]) // no margin change
  })
})
