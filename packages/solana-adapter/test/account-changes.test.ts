import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hexToBytes, isBulwarkError, type Hex } from '@bulwark/core'
import { encodeMarginAccount, instructions as ix, pdas, addressBytes } from '@bulwark/programs-solana'
import { generateKeyPairSigner, lamports, type KeyPairSigner } from '@solana/kit'
import { SolanaAdapter, writableAccounts } from '../src/index.js'
import { CHAIN, CHAIN_A, PROGRAM, USDC_A, hexOf, startFixture, type Fixture } from './fixture.js'

const WAD = 10n ** 18n
let f: Fixture
let adapter: SolanaAdapter
let keeper: KeyPairSigner
const errorName = (p: Promise<unknown>) => p.then(() => 'no error', (e: unknown) => (isBulwarkError(e) ? e.name : `untyped: ${(e as Error).message}`))
let publishTime = BigInt(Math.floor(Date.now() / 1000)) - 30n
const price = (p: bigint) => f.priceVaa([{ marketId: 0, price: p }], publishTime++)
const head = () => adapter.getHeight('instant')

/** Accounts the program changed by the transactions `act` sends. */
async function changesOf(act: () => Promise<unknown>): Promise<Hex[]> {
  const from = (await head()) + 1n
  await act()
  const to = await head()
  return to < from ? [] : adapter.getAccountChanges(from, to)
}

async function trader(collateral: bigint): Promise<{ owner: KeyPairSigner; id: Hex }> {
  const owner = await f.fund()
  const id = hexOf(owner.address)
  await adapter.submitVaa(f.creditVaa(id, collateral))
  return { owner, id }
}

const open = async (owner: KeyPairSigner, size: bigint) =>
  f.send(owner, [ix.openPosition(PROGRAM, { owner, account: await pdas.account(PROGRAM, addressBytes(owner.address)), config: f.config, rest: [await pdas.market(PROGRAM, 0), await pdas.asset(PROGRAM, hexToBytes(USDC_A))] }, { market: 0, size })])

beforeAll(async () => {
  f = await startFixture()
  keeper = await f.fund()
  adapter = new SolanaAdapter({ chainId: CHAIN, rpcUrl: f.server.url, wsUrl: f.server.wsUrl, programId: PROGRAM, payer: keeper, assetChains: { [USDC_A]: CHAIN_A } })
  await adapter.submitVaa(price(WAD))
})
afterAll(async () => {
  await adapter?.close()
  await f?.server.stop()
})

describe('SolanaAdapter.getAccountChanges (margin accounts from the program transactions)', () => {
  it('names the credited account once, and nothing for a lock or a price report', async () => {
    const id = hexOf((await generateKeyPairSigner()).address)
    expect(await changesOf(async () => {
      await adapter.submitVaa(f.creditVaa(id, 1_000n))
      await adapter.submitVaa(f.creditVaa(id, 2_000n))
    })).toEqual([id])
    expect(await changesOf(() => f.lock(5_000n))).toEqual([])
    expect(await changesOf(() => adapter.submitVaa(price(WAD)))).toEqual([])
  })

  it('names a trader on a trade and both the liquidated account and the liquidator on a liquidation', async () => {
    await adapter.submitVaa(f.creditVaa(hexOf(keeper.address), 1n)) // the liquidator's own margin account
    const t = await trader(1_000_000_000n) // 1,000 USD at price 1
    expect(await changesOf(() => open(t.owner, 9_000n * WAD))).toEqual([t.id])
    expect(await errorName(adapter.liquidate(t.id))).toBe('AccountHealthy')
    await adapter.submitVaa(price((WAD * 93n) / 100n))
    const changed = await changesOf(() => adapter.liquidate(t.id))
    expect(changed.sort()).toEqual([t.id, hexOf(keeper.address)].sort())
    // a refused liquidation (the liquidator itself is healthy) lands nothing and changes nothing
    expect(await changesOf(() => errorName(adapter.liquidate(hexOf(keeper.address))))).toEqual([])
  })

  it('from slot 0: every margin account the program holds (getProgramAccounts)', async () => {
    const a = await trader(10n)
    const all = await adapter.getAccountChanges(0n, await head())
    expect(all).toContain(a.id)
    expect(all).toContain(hexOf(keeper.address))
    expect(new Set(all).size).toBe(all.length)
    expect(all.length).toBeGreaterThanOrEqual(4)
  })

  it('refuses an inverted range with a typed error, and an empty range is empty', async () => {
    expect(await errorName(adapter.getAccountChanges(10n, 5n))).toBe('InvalidParameter')
    const h = await head()
    expect(await adapter.getAccountChanges(h + 1n, h + 1n)).toEqual([])
  })

  it('malformed margin account data is a typed error naming the account; it is never reported as an account', async () => {
    const owner = new Uint8Array(32).fill(0x42)
    const pda = await pdas.account(PROGRAM, owner)
    const data = encodeMarginAccount({ owner, settlement: 0n, collateral: [], positions: [] }).subarray(0, 300)
    f.server.chain.svm.setAccount({ address: pda, data, executable: false, lamports: lamports(10_000_000n), programAddress: PROGRAM, space: BigInt(data.length) } as never)
    const id: Hex = `0x${'42'.repeat(32)}`
    expect(await errorName(adapter.readAccount(id))).toBe('InvalidParameter')
    await expect(adapter.readAccount(id)).rejects.toThrow(/malformed margin account data for 0x4242/)
    expect(await adapter.getAccountChanges(0n, await head())).not.toContain(id)
  })

  it('an adapter of a program id with nothing deployed reports no accounts', async () => {
    const other = new SolanaAdapter({ chainId: CHAIN, rpcUrl: f.server.url, wsUrl: f.server.wsUrl, programId: (await generateKeyPairSigner()).address, payer: keeper })
    expect(await other.getAccountChanges(0n, await head())).toEqual([])
    expect(await other.getAccountChanges(1n, await head())).toEqual([])
    expect(await errorName(other.ensureOwnAccount())).toBe('UnknownAccount')
    await expect(other.ensureOwnAccount()).rejects.toThrow(/no program deployed at/)
    await other.close()
    expect(await errorName(other.getAccountChanges(1n, 2n))).toBe('InvalidParameter')
  })
})

describe('SolanaAdapter.ensureOwnAccount', () => {
  it("opens the payer's margin account once (what liquidate credits the reward to)", async () => {
    const payer = await f.fund()
    const a = new SolanaAdapter({ chainId: CHAIN, rpcUrl: f.server.url, wsUrl: f.server.wsUrl, programId: PROGRAM, payer })
    expect(await a.ensureOwnAccount()).toEqual({ account: hexOf(payer.address), opened: true })
    expect(await a.ensureOwnAccount()).toEqual({ account: hexOf(payer.address), opened: false })
    expect(await a.readAccount(hexOf(payer.address))).toEqual({ account: hexOf(payer.address), collateral: [], positions: [], settlement: 0n })
    await a.close()
  })
})

describe('writableAccounts', () => {
  it('follows the message header: writable signers, writable non-signers, then writable lookups', () => {
    const tx = {
      transaction: { message: { accountKeys: ['s0', 's1r', 'w2', 'w3', 'r4'], header: { numRequiredSignatures: 2, numReadonlySignedAccounts: 1, numReadonlyUnsignedAccounts: 1 } } },
      meta: { loadedAddresses: { writable: ['l5'], readonly: ['l6'] } },
    }
    expect(writableAccounts(tx)).toEqual(['s0', 'w2', 'w3', 'l5'])
  })
})
