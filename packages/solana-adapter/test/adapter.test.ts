import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addressOfPrivateKey, bytesToHex, decodePayload, encodePayload, isBulwarkError, type Hex } from '@bulwark/core'
import { testGuardianKeys } from '@bulwark/core/testing'
import { generateKeyPairSigner, getBase58Encoder } from '@solana/kit'
import { SolanaAdapter } from '../src/index.js'
import { sendInstruction } from '../src/adapter/send.js'
import { instructionForVaa } from '../src/adapter/vaa-instruction.js'
import { CHAIN, CHAIN_A, ENGINE_A, GOV_EMITTER, PROGRAM, VAULT_A, hexOf, startFixture, type Fixture } from './fixture.js'

let f: Fixture
let adapter: SolanaAdapter

const errorName = (p: Promise<unknown>) => p.then(() => 'no error', (e: unknown) => (isBulwarkError(e) ? e.name : `untyped: ${(e as Error).message}`))
const total = async (a: Hex) => (await adapter.readAccount(a)).collateral.reduce((n, c) => n + c.amount, 0n)

beforeAll(async () => {
  f = await startFixture()
  adapter = new SolanaAdapter({ chainId: CHAIN, rpcUrl: f.server.url, wsUrl: f.server.wsUrl, programId: PROGRAM, payer: await f.fund(), assetChains: { [`0x${'00'.repeat(12)}${'11'.repeat(20)}`]: CHAIN_A } })
})
afterAll(async () => {
  await adapter?.close()
  await f?.server.stop()
})

describe('SolanaAdapter against the Bulwark program', () => {
  it('observes a lock as the protocol message the relayers sign', async () => {
    const from = (await adapter.getHeight('instant')) + 1n
    const account: Hex = `0x${'ab'.repeat(32)}`
    const seq = await f.lock(123_456n, account)
    const [m, ...more] = await adapter.getMessages(from, await adapter.getHeight('instant'))
    expect(more).toEqual([])
    expect(m!.emitterChain).toBe(CHAIN)
    expect(m!.emitterAddress).toBe(bytesToHex(new Uint8Array(getBase58Encoder().encode(PROGRAM))))
    expect(m!.sequence).toBe(seq)
    expect(m!.nonce).toBe(7)
    expect(decodePayload(m!.payload)).toEqual({ type: 'CollateralLocked', destinationChain: CHAIN_A, account, asset: hexOf(f.mint), amount: 123_456n, depositor: hexOf(f.user.address) })
    expect(Math.abs(m!.timestamp - Date.now() / 1000)).toBeLessThan(60)
    expect(await adapter.getBlockHash(m!.height)).toBe(m!.blockHash)
    expect(await adapter.getBlockHash((await adapter.getHeight('instant')) + 1_000n)).toBeNull()
  })

  it('credits, reads the account with origin chains, and maps program refusals to typed errors', async () => {
    const acct = hexOf((await generateKeyPairSigner()).address)
    await adapter.submitVaa(f.creditVaa(acct, 9_000n))
    expect((await adapter.readAccount(acct)).collateral).toEqual([{ originChain: CHAIN_A, asset: `0x${'00'.repeat(12)}${'11'.repeat(20)}`, amount: 9_000n, pending: false }])
    const replay = f.creditVaa(acct, 1n)
    await adapter.submitVaa(replay)
    expect(await errorName(adapter.submitVaa(replay))).toBe('VaaAlreadyConsumed')
    expect(await errorName(adapter.submitVaa(f.creditVaa(acct, 5n, { emitter: `0x${'77'.repeat(32)}` })))).toBe('UnknownEmitter')
    expect(await errorName(adapter.submitVaa(f.creditVaa(acct, 5n, { signers: 4 })))).toBe('QuorumNotMet')
    expect(await errorName(adapter.submitVaa(f.creditVaa(acct, 5n, { destination: 10003 })))).toBe('WrongDestinationChain')
    expect(await total(acct)).toBe(9_001n)
  })

  it("maps the program's own replay refusal (no adapter pre-check) to VaaAlreadyConsumed", async () => {
    const vaa = f.creditVaa(hexOf((await generateKeyPairSigner()).address), 3n)
    await adapter.submitVaa(vaa)
    const payer = await f.fund()
    const { instruction, computeUnits } = await instructionForVaa({ rpc: adapter.rpc, program: PROGRAM, payer, chainId: CHAIN }, vaa)
    const p = sendInstruction(adapter, { instruction, computeUnits, payer, timeoutMs: 20_000 })
    expect(await errorName(p)).toBe('VaaAlreadyConsumed')
  })

  it('refuses malformed VAAs and payloads with typed errors before sending anything', async () => {
    const good = f.creditVaa(`0x${'01'.repeat(32)}`, 1n)
    expect(await errorName(adapter.submitVaa(Uint8Array.of(2, ...good.subarray(1))))).toBe('InvalidVaaVersion')
    expect(await errorName(adapter.submitVaa(good.subarray(0, 40)))).toBe('TruncatedVaa')
    expect(await errorName(adapter.isVaaConsumed(good.subarray(0, 3)))).toBe('TruncatedVaa')
    const unknownType = f.signedVaa({ emitterChain: CHAIN_A, emitterAddress: VAULT_A, payload: Uint8Array.of(9, 1, 0) })
    expect(await errorName(adapter.submitVaa(unknownType))).toBe('UnknownPayloadType')
    const trailing = f.signedVaa({ emitterChain: CHAIN_A, emitterAddress: VAULT_A, payload: new Uint8Array([...encodePayload({ type: 'CollateralLocked', destinationChain: 1, account: `0x${'01'.repeat(32)}`, asset: `0x${'11'.repeat(32)}`, amount: 1n, depositor: `0x${'02'.repeat(32)}` }), 0]) })
    expect(await errorName(adapter.submitVaa(trailing))).toBe('TrailingBytes')
    expect(await errorName(adapter.liquidate(`0x${'5a'.repeat(32)}`))).toBe('UnknownAccount')
  })

  it('applies a price report and reads it back; a stale one is refused', async () => {
    const now = BigInt(Math.floor(Date.now() / 1000))
    await adapter.submitVaa(f.priceVaa([{ marketId: 0, price: 10n ** 18n }], now - 1n))
    expect(await adapter.readPrice(0)).toEqual({ marketId: 0, price: 10n ** 18n, conf: 10n ** 15n, emaPrice: 10n ** 18n, volMultiplier: 10n ** 18n, publishTime: now - 1n })
    expect(await errorName(adapter.submitVaa(f.priceVaa([{ marketId: 0, price: 10n ** 18n }], now - 3_600n)))).toBe('StalePrice')
  })

  it('releases a WithdrawalApproved to the recipient token account and emits CollateralReleased', async () => {
    await f.lock(50_000n)
    const before = await tokenAmount(f)
    const from = (await adapter.getHeight('instant')) + 1n
    const payload = encodePayload({ type: 'WithdrawalApproved', originChain: CHAIN, account: `0x${'ab'.repeat(32)}`, asset: hexOf(f.mint), amount: 20_000n, recipient: hexOf(f.user.address), withdrawalId: 1n })
    const vaa = f.signedVaa({ emitterChain: CHAIN_A, emitterAddress: ENGINE_A, payload })
    await adapter.submitVaa(vaa)
    expect(await tokenAmount(f)).toBe(before + 20_000n)
    // The same balance through the SPL Token read methods of the RPC.
    const bal = await f.c.rpc.getTokenAccountBalance(f.userToken, { commitment: 'confirmed' }).send()
    expect(BigInt(bal.value.amount)).toBe(before + 20_000n)
    const mine = await f.c.rpc.getTokenAccountsByOwner(f.user.address, { mint: f.mint }, { encoding: 'base64' }).send()
    expect(mine.value.map((a) => a.pubkey)).toEqual([f.userToken])
    expect(await adapter.isVaaConsumed(vaa)).toBe(true)
    const msgs = await adapter.getMessages(from, await adapter.getHeight('instant'))
    expect(msgs.map((m) => decodePayload(m.payload).type)).toEqual(['CollateralReleased'])
    const fromVault = f.signedVaa({ emitterChain: CHAIN_A, emitterAddress: VAULT_A, payload: encodePayload({ type: 'WithdrawalApproved', originChain: CHAIN, account: `0x${'ab'.repeat(32)}`, asset: hexOf(f.mint), amount: 1n, recipient: hexOf(f.user.address), withdrawalId: 2n }) })
    expect(await errorName(adapter.submitVaa(fromVault))).toBe('UnknownEmitter')
  })

  it('upgrades the guardian set by governance VAA; the new set then credits', async () => {
    const next = testGuardianKeys(4, 'bulwark-next-set')
    const upgrade = f.signedVaa({ emitterChain: 1, emitterAddress: GOV_EMITTER, payload: encodePayload({ type: 'GuardianSetUpgrade', targetChain: CHAIN, newIndex: 1, keys: next.map((k) => addressOfPrivateKey(k.privateKey)) }) })
    await adapter.submitVaa(upgrade)
    expect(await errorName(adapter.submitVaa(upgrade))).toBe('VaaAlreadyConsumed')
    const acct = hexOf((await generateKeyPairSigner()).address)
    const payload = encodePayload({ type: 'CollateralLocked', destinationChain: CHAIN, account: acct, asset: `0x${'00'.repeat(12)}${'11'.repeat(20)}`, amount: 77n, depositor: `0x${'00'.repeat(12)}${'33'.repeat(20)}` })
    await adapter.submitVaa(f.signedVaa({ emitterChain: CHAIN_A, emitterAddress: VAULT_A, payload }, { keys: next, setIndex: 1 }))
    expect(await total(acct)).toBe(77n)
  })
})

async function tokenAmount(fx: Fixture): Promise<bigint> {
  const { value } = await fx.c.rpc.getAccountInfo(fx.userToken, { encoding: 'base64', commitment: 'confirmed' }).send()
  const d = Buffer.from(value!.data[0], 'base64')
  return d.readBigUInt64LE(64)
}
