import { EvmChainAdapter, deployBulwark, startAnvil, toBytes32, type AnvilHandle, type BulwarkDeployment } from '@bulwark/contracts-evm'
import { buildSignedVaa, encodePayload, type Hex } from '@bulwark/core'
import { createPublicClient, http } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FeeBumpingSubmitter } from '../src/services/delivery/evm-submitter.js'
import { testGuardianKey } from './support/cluster.js'
import { anvilKey } from './support/e2e.js'

/** Real anvil, real contracts: fee bumping of a stuck delivery and local nonce management. */
const keys = [0, 1, 2, 3].map(testGuardianKey)
const REMOTE_VAULT = toBytes32('0xbeef')
const TOKEN = toBytes32('0xa0b8')
const account = toBytes32('0xa11ce')

describe('FeeBumpingSubmitter (anvil)', () => {
  let anvil: AnvilHandle
  let dep: BulwarkDeployment
  let seq = 0n
  const pub = () => createPublicClient({ transport: http(anvil.url) })
  const rpc = (method: string, params: unknown[] = []) => pub().request({ method: method as never, params: params as never })
  const vaa = (amount = 10n ** 6n) =>
    buildSignedVaa(
      { timestamp: 1, nonce: 0, emitterChain: 10002, emitterAddress: REMOTE_VAULT, sequence: seq++, consistencyLevel: 1, payload: encodePayload({ type: 'CollateralLocked', destinationChain: 10003, account, asset: TOKEN, amount, depositor: account }) },
      0,
      keys.slice(0, 3).map((k, index) => ({ index, privateKey: k.secret })),
    )
  const make = (over: { bumpAfterMs?: number; maxBumps?: number } = {}) =>
    new FeeBumpingSubmitter(new EvmChainAdapter({ deployment: dep }), { rpcUrl: anvil.url, evmChainId: 31337, privateKey: anvilKey(3), contracts: dep.contracts, bumpAfterMs: 400, maxBumps: 10, ...over })
  const until = async (cond: () => boolean) => {
    for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 25))
    expect(cond()).toBe(true)
  }

  beforeAll(async () => {
    anvil = await startAnvil()
    dep = await deployBulwark({
      rpcUrl: anvil.url,
      chainId: 10003,
      guardians: keys.map((k) => k.address),
      priceMarkets: [1],
      assets: [{ chain: 10002, token: TOKEN, priceMarket: 1, weight: 10n ** 18n, pendingWeight: 0n, decimals: 6, govPriceE8: 10n ** 8n }],
      remoteVaults: [{ chain: 10002, address: REMOTE_VAULT, limitUsd: 10_000_000n, largeTransferUsd: 1_000_000n }],
    })
  }, 60_000)
  afterAll(async () => {
    await rpc('evm_setAutomine', [true]).catch(() => {})
    await anvil?.stop()
  })

  it('replaces a transaction that is not mined with the same nonce and higher fees', async () => {
    const s = make()
    await rpc('evm_setAutomine', [false])
    const v = vaa()
    const result = s.submitVaa(v)
    await until(() => s.sent.length >= 2)
    await rpc('evm_mine')
    const r = await result
    await rpc('evm_setAutomine', [true])
    expect(new Set(s.sent.map((x) => x.nonce)).size).toBe(1)
    expect(s.sent[1]!.maxFeePerGas).toBeGreaterThanOrEqual((s.sent[0]!.maxFeePerGas * 120n) / 100n)
    expect(r.txHash).toBe(s.sent[s.sent.length - 1]!.hash)
    expect(await s.isVaaConsumed(v)).toBe(true)
    await expect(pub().getTransactionReceipt({ hash: s.sent[0]!.hash })).rejects.toThrow()
  })

  it('hands out consecutive nonces to concurrent submissions', async () => {
    const s = make()
    const before = await pub().getTransactionCount({ address: privateKeyToAccount(anvilKey(3)).address })
    const [a, b] = await Promise.all([s.submitVaa(vaa()), s.submitVaa(vaa())])
    expect(a.txHash).not.toBe(b.txHash)
    expect(s.sent.map((x) => x.nonce)).toEqual([before, before + 1])
  })

  it('refuses a consumed VAA with VaaAlreadyConsumed before spending a nonce', async () => {
    const s = make()
    const v = vaa()
    await s.submitVaa(v)
    await expect(s.submitVaa(v)).rejects.toMatchObject({ name: 'VaaAlreadyConsumed' })
    expect(s.sent).toHaveLength(1)
  })

  it('routes a CollateralReleased VAA to the engine: an unknown withdrawal is refused by finalizeWithdrawal with a typed error', async () => {
    const s = make()
    const released = buildSignedVaa(
      { timestamp: 1, nonce: 0, emitterChain: 10002, emitterAddress: REMOTE_VAULT, sequence: seq++, consistencyLevel: 1, payload: encodePayload({ type: 'CollateralReleased', positionChain: 10003, withdrawalId: 999n, asset: TOKEN, amount: 5n, recipient: account }) },
      0,
      keys.slice(0, 3).map((k, index) => ({ index, privateKey: k.secret })),
    )
    // reaching the contract's own check (InvalidParameter: no such withdrawal) proves the route; before, the submitter refused the payload type itself
    await expect(s.submitVaa(released)).rejects.toMatchObject({ name: 'InvalidParameter' })
    await expect(s.submitVaa(released)).rejects.not.toMatchObject({ message: expect.stringContaining('does not deliver') })
  })

  it('gives up with TransactionStuck after its bumps, and the next send replaces the stuck nonce', async () => {
    const s = make({ bumpAfterMs: 100, maxBumps: 1 })
    await rpc('evm_setAutomine', [false])
    const v = vaa()
    await expect(s.submitVaa(v)).rejects.toMatchObject({ name: 'TransactionStuck' })
    const stuckNonce = s.sent[0]!.nonce
    const retry = s.submitVaa(v)
    await until(() => s.sent.length >= 3)
    await rpc('evm_mine')
    await retry
    await rpc('evm_setAutomine', [true])
    expect(s.sent.map((x) => x.nonce)).toEqual([stuckNonce, stuckNonce, stuckNonce])
    expect(await s.isVaaConsumed(v)).toBe(true)
  })
})
