import { bumpFee, deployBulwark, startAnvil, toBytes32, type AnvilHandle, type BulwarkDeployment } from '@bulwark/contracts-evm'
import { buildSignedVaa, encodePayload, type ChainAdapter, type Hex } from '@bulwark/core'
import { createPublicClient, http } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createAdapters } from '../src/chains.js'
import { parseConfig } from '../src/config.js'
import { testGuardianKey } from './support/cluster.js'
import { anvilKey } from './support/e2e.js'

/**
 * Real anvil, real contracts: an EVM chain's adapter as createAdapters builds it from the config
 * (`feeBump`) replaces a stuck delivery with the same nonce and higher fees, and manages nonces
 * locally. What is sent is watched in anvil's pool (txpool_content), with automine off.
 */
const keys = [0, 1, 2, 3].map(testGuardianKey)
const REMOTE_VAULT = toBytes32('0xbeef')
const TOKEN = toBytes32('0xa0b8')
const account = toBytes32('0xa11ce')
const KEY = anvilKey(3)
const SENDER = privateKeyToAccount(KEY).address.toLowerCase()

type Pooled = { nonce: number; hash: Hex; maxFeePerGas: bigint }

describe('EVM delivery: config feeBump -> adapter (anvil)', () => {
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
  const make = async (feeBump: { afterMs?: number; maxBumps?: number } = {}): Promise<ChainAdapter> => {
    const config = parseConfig({
      network: 'bulwark-test',
      dataDir: '/tmp/unused',
      guardianKey: { env: 'UNUSED' },
      guardians: [{ address: '0x' + '11'.repeat(20), peerId: '12D3KooWabc' }],
      chains: [{ chainId: 10003, name: 'b', kind: 'evm', rpcUrl: anvil.url, contracts: dep.contracts, senderKeyEnv: 'K', feeBump: { afterMs: 400, maxBumps: 10, ...feeBump } }],
    })
    return (await createAdapters(config, new Map([[10003, KEY]]))).get(10003)!
  }
  /** This key's transactions waiting in anvil's pool. */
  const pooled = async (): Promise<Pooled[]> => {
    const c = (await rpc('txpool_content')) as { pending: Record<string, Record<string, { hash: Hex; maxFeePerGas: Hex }>> }
    const mine = Object.entries(c.pending).find(([a]) => a.toLowerCase() === SENDER)?.[1] ?? {}
    return Object.entries(mine).map(([n, tx]) => ({ nonce: Number(n), hash: tx.hash, maxFeePerGas: BigInt(tx.maxFeePerGas) }))
  }
  /** Bounded poll (at most 400 x 25 ms) of the pool until `cond` holds; returns what it saw. */
  const poolUntil = async (cond: (p: Pooled[]) => boolean): Promise<Pooled[]> => {
    let p = await pooled()
    for (let i = 0; i < 400 && !cond(p); i++) {
      await new Promise((r) => setTimeout(r, 25))
      p = await pooled()
    }
    expect(cond(p)).toBe(true)
    return p
  }
  const pendingCount = () => pub().getTransactionCount({ address: privateKeyToAccount(KEY).address, blockTag: 'pending' })

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
  afterEach(async () => {
    await rpc('evm_setAutomine', [true]).catch(() => {})
    await rpc('evm_mine').catch(() => {})
  })
  afterAll(async () => {
    await anvil?.stop()
  })

  it('replaces a transaction that is not mined with the same nonce and higher fees', async () => {
    const s = await make()
    await rpc('evm_setAutomine', [false])
    const v = vaa()
    const result = s.submitVaa(v)
    result.catch(() => {}) // awaited below; not an unhandled rejection if the test fails first
    const [first] = await poolUntil((p) => p.length === 1)
    await poolUntil((p) => p.length === 1 && p[0]!.hash !== first!.hash)
    await rpc('evm_mine')
    const r = await result
    await rpc('evm_setAutomine', [true])
    const mined = await pub().getTransaction({ hash: r.txHash })
    expect(mined.nonce).toBe(first!.nonce)
    expect(mined.maxFeePerGas!).toBeGreaterThanOrEqual(bumpFee(first!.maxFeePerGas, 20))
    expect(await s.isVaaConsumed(v)).toBe(true)
    await expect(pub().getTransactionReceipt({ hash: first!.hash })).rejects.toThrow()
  })

  it('hands out consecutive nonces to concurrent submissions', async () => {
    const s = await make()
    const before = await pendingCount()
    const [a, b] = await Promise.all([s.submitVaa(vaa()), s.submitVaa(vaa())])
    expect(a.txHash).not.toBe(b.txHash)
    const nonces = await Promise.all([a, b].map(async (r) => (await pub().getTransaction({ hash: r.txHash })).nonce))
    expect(nonces.sort()).toEqual([before, before + 1])
  })

  it('refuses a consumed VAA with VaaAlreadyConsumed before spending a nonce', async () => {
    const s = await make()
    const v = vaa()
    await s.submitVaa(v)
    const before = await pendingCount()
    await expect(s.submitVaa(v)).rejects.toMatchObject({ name: 'VaaAlreadyConsumed' })
    expect(await pendingCount()).toBe(before)
  })

  it('routes a CollateralReleased VAA to the engine: an unknown withdrawal is refused by finalizeWithdrawal with a typed error', async () => {
    const s = await make()
    const released = buildSignedVaa(
      { timestamp: 1, nonce: 0, emitterChain: 10002, emitterAddress: REMOTE_VAULT, sequence: seq++, consistencyLevel: 1, payload: encodePayload({ type: 'CollateralReleased', positionChain: 10003, withdrawalId: 999n, asset: TOKEN, amount: 5n, recipient: account }) },
      0,
      keys.slice(0, 3).map((k, index) => ({ index, privateKey: k.secret })),
    )
    // reaching the contract's own check (InvalidParameter: no such withdrawal) proves the route
    await expect(s.submitVaa(released)).rejects.toMatchObject({ name: 'InvalidParameter', message: expect.stringContaining('finalizeWithdrawal') })
  })

  it('gives up with TransactionStuck after its bumps, and the next send replaces the stuck nonce', async () => {
    const s = await make({ afterMs: 100, maxBumps: 1 })
    await rpc('evm_setAutomine', [false])
    const v = vaa()
    const err = await s.submitVaa(v).then(() => undefined, (e: unknown) => e as { nonce: number; hashes: Hex[] })
    expect(err).toMatchObject({ name: 'TransactionStuck', field: 'maxFeePerGas' })
    expect(err!.hashes).toHaveLength(2)
    const [stuck] = await poolUntil((p) => p.length === 1)
    expect(stuck).toMatchObject({ nonce: err!.nonce, hash: err!.hashes[1] })
    const retry = s.submitVaa(v)
    retry.catch(() => {})
    await poolUntil((p) => p.length === 1 && p[0]!.hash !== stuck!.hash)
    await rpc('evm_mine')
    const r = await retry
    await rpc('evm_setAutomine', [true])
    expect((await pub().getTransaction({ hash: r.txHash })).nonce).toBe(err!.nonce)
    expect(await s.isVaaConsumed(v)).toBe(true)
  })
})
