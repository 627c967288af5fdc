import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  address, airdropFactory, generateKeyPairSigner, getSignatureFromTransaction, isSolanaError, lamports,
  SOLANA_ERROR__JSON_RPC__SERVER_ERROR_SEND_TRANSACTION_PREFLIGHT_FAILURE, SOLANA_ERROR__INSTRUCTION_ERROR__CUSTOM,
} from '@solana/kit'
import { getTransferSolInstruction } from '@solana-program/system'
import { CONFIG_LEN, instructions as bix, pdas } from '@bulwark/programs-solana'
import { startSolanaRpc, type SolanaRpcHandle } from '../src/index.js'
import { clients, signed } from './kit-client.js'

const PROGRAM = address('Bu1wark111111111111111111111111111111111111')
const SO = fileURLToPath(new URL('../../programs-solana/dist/bulwark.so', import.meta.url))
const SOL = 1_000_000_000n

let rpcServer: SolanaRpcHandle
let c: ReturnType<typeof clients>

const post = async (body: string) => (await fetch(rpcServer.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).json() as Promise<Record<string, any>>
const within = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`timed out waiting for ${what}`)), ms).unref())])

beforeAll(async () => {
  rpcServer = await startSolanaRpc({ programs: [{ id: PROGRAM, path: SO }], finalizedDepth: 3 })
  c = clients(rpcServer.url, rpcServer.wsUrl)
})
afterAll(async () => {
  await rpcServer?.stop()
})

describe('local Solana RPC driven by @solana/kit', () => {
  it('airdrops and transfers with sendAndConfirm; balances, statuses, history and the transaction agree', async () => {
    const alice = await generateKeyPairSigner()
    const bob = await generateKeyPairSigner()
    const before = await c.rpc.getSlot({ commitment: 'processed' }).send()
    await airdropFactory(c)({ recipientAddress: alice.address, lamports: lamports(2n * SOL), commitment: 'confirmed' })
    expect((await c.rpc.getBalance(alice.address, { commitment: 'confirmed' }).send()).value).toBe(2n * SOL)
    const { tx } = await signed(c.rpc, alice, [getTransferSolInstruction({ source: alice, destination: bob.address, amount: lamports(SOL / 2n) })])
    await within(c.sendAndConfirm(tx as never, { commitment: 'confirmed' }), 20_000, 'confirmation')
    const sig = getSignatureFromTransaction(tx)
    expect((await c.rpc.getBalance(bob.address, { commitment: 'confirmed' }).send()).value).toBe(SOL / 2n)
    expect((await c.rpc.getBalance(alice.address, { commitment: 'confirmed' }).send()).value).toBe(2n * SOL - SOL / 2n - 5_000n)
    expect(await c.rpc.getSlot({ commitment: 'processed' }).send()).toBeGreaterThanOrEqual(before + 2n)
    const [st] = (await c.rpc.getSignatureStatuses([sig]).send()).value
    expect(st?.err).toBeNull()
    const history = await c.rpc.getSignaturesForAddress(bob.address, { commitment: 'confirmed' }).send()
    expect(history.map((h) => h.signature)).toEqual([sig])
    const got = await c.rpc.getTransaction(sig, { commitment: 'confirmed', maxSupportedTransactionVersion: 0, encoding: 'json' }).send()
    expect(got?.meta?.err).toBeNull()
    expect(got?.transaction.message.accountKeys).toContain(bob.address)
    expect(got?.meta?.logMessages?.[0]).toContain('Program 11111111111111111111111111111111 invoke')
    const block = await c.rpc.getBlock(got!.slot, { commitment: 'confirmed', transactionDetails: 'signatures', maxSupportedTransactionVersion: 0, rewards: false }).send()
    expect(block?.signatures).toContain(sig)
  })

  it('runs the Bulwark program, streams its logs and signature, and reports its custom error on failure', async () => {
    const admin = await generateKeyPairSigner()
    await airdropFactory(c)({ recipientAddress: admin.address, lamports: lamports(10n * SOL), commitment: 'confirmed' })
    const config = await pdas.config(PROGRAM)
    const init = bix.initialize(PROGRAM, { admin, config, guardianSet: await pdas.guardianSet(PROGRAM, 0), oracleSet: await pdas.oracleSet(PROGRAM, 0) }, {
      chainId: 1, overlap: 86_400, governanceChain: 1, governanceEmitter: new Uint8Array(32).fill(4), oracleChain: 1, oracleEmitter: new Uint8Array(32).fill(5),
      priceMaxAge: 60, priceMaxFuture: 5, guardians: [new Uint8Array(20).fill(9)], oracles: [new Uint8Array(20).fill(8)],
    })
    const abort = new AbortController()
    const logs = await c.rpcSubscriptions.logsNotifications({ mentions: [PROGRAM] }, { commitment: 'confirmed' }).subscribe({ abortSignal: abort.signal })
    const { tx, wire: initWire } = await signed(c.rpc, admin, [init])
    const sig = getSignatureFromTransaction(tx)
    const sigs = await c.rpcSubscriptions.signatureNotifications(sig, { commitment: 'confirmed' }).subscribe({ abortSignal: abort.signal })
    const firstSig = within((async () => { for await (const n of sigs) return n })(), 10_000, 'signatureNotification')
    const firstLog = within((async () => { for await (const n of logs) return n })(), 10_000, 'logsNotification')
    await c.rpc.sendTransaction(initWire, { encoding: 'base64' }).send()
    expect((await firstSig)!.value.err).toBeNull()
    const log = (await firstLog)!
    expect(log.value.signature).toBe(sig)
    expect(log.value.logs.some((l) => l.startsWith(`Program ${PROGRAM} success`))).toBe(true)
    abort.abort()

    const accounts = await c.rpc.getProgramAccounts(PROGRAM, { encoding: 'base64', filters: [{ dataSize: BigInt(CONFIG_LEN) }] }).send()
    expect(accounts.map((a) => a.pubkey)).toEqual([config])

    // A stranger registering an emitter: the program answers Unauthorized (custom error 44).
    const stranger = await generateKeyPairSigner()
    await airdropFactory(c)({ recipientAddress: stranger.address, lamports: lamports(SOL), commitment: 'confirmed' })
    const reg = bix.registerEmitter(PROGRAM, { admin: stranger, config, emitter: await pdas.emitter(PROGRAM, 2, new Uint8Array(32).fill(1)) }, { chain: 2, address: new Uint8Array(32).fill(1), role: 1 })
    const bad = await signed(c.rpc, stranger, [reg])
    const err = await c.rpc.sendTransaction(bad.wire, { encoding: 'base64' }).send().then(() => null, (e: unknown) => e)
    expect(isSolanaError(err, SOLANA_ERROR__JSON_RPC__SERVER_ERROR_SEND_TRANSACTION_PREFLIGHT_FAILURE)).toBe(true)
    const cause = (err as Error).cause
    expect(isSolanaError(cause, SOLANA_ERROR__INSTRUCTION_ERROR__CUSTOM)).toBe(true)
    expect((cause as { context: { code: number } }).context.code).toBe(44)
    // With skipPreflight the failure lands and its status carries the error.
    const landed = await c.rpc.sendTransaction(bad.wire, { encoding: 'base64', skipPreflight: true }).send()
    const [st] = (await c.rpc.getSignatureStatuses([landed]).send()).value
    expect(st?.err).toEqual({ InstructionError: [0n, { Custom: 44n }] })
  })

  it('simulates without committing and refuses an unknown blockhash', async () => {
    const alice = await generateKeyPairSigner()
    await airdropFactory(c)({ recipientAddress: alice.address, lamports: lamports(SOL), commitment: 'confirmed' })
    const { wire } = await signed(c.rpc, alice, [getTransferSolInstruction({ source: alice, destination: address('11111111111111111111111111111112'), amount: lamports(SOL * 5n) })])
    const sim = await c.rpc.simulateTransaction(wire, { encoding: 'base64', sigVerify: true }).send()
    expect(sim.value.err).toEqual({ InstructionError: [0n, { Custom: 1n }] })
    expect((await c.rpc.getBalance(alice.address, { commitment: 'processed' }).send()).value).toBe(SOL)
    const mangled = Buffer.from(wire, 'base64')
    const o = 1 + 64 + 1 + 3 + 1 + 32 * mangled[1 + 64 + 1 + 3]!
    mangled.fill(7, o, o + 32)
    const forged = Buffer.from(wire, 'base64')
    forged[1] = forged[1]! ^ 1
    const bad = await post(JSON.stringify({ jsonrpc: '2.0', id: 8, method: 'sendTransaction', params: [forged.toString('base64'), { encoding: 'base64', skipPreflight: true }] }))
    expect(bad.error.code).toBe(-32003)
    const r = await post(JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'sendTransaction', params: [mangled.toString('base64'), { encoding: 'base64' }] }))
    expect(r.error.code).toBe(-32002)
    expect(r.error.data.err).toBe('BlockhashNotFound')
  })

  it('answers bad requests with JSON-RPC error objects', async () => {
    expect((await post('{"jsonrpc":"2.0","id":1,"method":"getNope"}')).error).toEqual({ code: -32601, message: 'Method not found' })
    expect((await post('{not json')).error.code).toBe(-32700)
    expect((await post('{"jsonrpc":"2.0","id":2,"method":"getBalance","params":["not-a-key"]}')).error.code).toBe(-32602)
    expect((await post('{"jsonrpc":"2.0","id":3,"method":"getSlot","params":{"x":1}}')).error.code).toBe(-32602)
    expect((await post('{"id":4,"method":"getSlot"}')).error.code).toBe(-32600)
    const batch = (await post('[{"jsonrpc":"2.0","id":5,"method":"getHealth"},{"jsonrpc":"2.0","id":6,"method":"nope"}]')) as unknown as Record<string, any>[]
    expect(batch[0]!.result).toBe('ok')
    expect(batch[1]!.error.code).toBe(-32601)
  })

  it('orders commitments by depth and notifies slot subscribers', async () => {
    const abort = new AbortController()
    const slots = await c.rpcSubscriptions.slotNotifications().subscribe({ abortSignal: abort.signal })
    const next = within((async () => { for await (const n of slots) return n })(), 10_000, 'slotNotification')
    await c.rpc.requestAirdrop((await generateKeyPairSigner()).address, lamports(SOL)).send()
    const n = (await next)!
    abort.abort()
    const processed = await c.rpc.getSlot({ commitment: 'processed' }).send()
    expect(n.slot).toBe(processed)
    expect(await c.rpc.getSlot({ commitment: 'finalized' }).send()).toBe(processed - 3n)
  })

  it('delivers finalized notifications only once the block is finalizedDepth deep; account changes stream too', async () => {
    const alice = await generateKeyPairSigner()
    await airdropFactory(c)({ recipientAddress: alice.address, lamports: lamports(SOL), commitment: 'confirmed' })
    const bob = await generateKeyPairSigner()
    const abort = new AbortController()
    const { tx, wire } = await signed(c.rpc, alice, [getTransferSolInstruction({ source: alice, destination: bob.address, amount: lamports(SOL / 10n) })])
    const sig = getSignatureFromTransaction(tx)
    const fin = await c.rpcSubscriptions.signatureNotifications(sig, { commitment: 'finalized' }).subscribe({ abortSignal: abort.signal })
    const acct = await c.rpcSubscriptions.accountNotifications(bob.address, { commitment: 'confirmed', encoding: 'base64' }).subscribe({ abortSignal: abort.signal })
    let finalized = false
    const finDone = (async () => { for await (const n of fin) { finalized = true; return n } })()
    const acctDone = within((async () => { for await (const n of acct) return n })(), 10_000, 'accountNotification')
    await c.rpc.sendTransaction(wire, { encoding: 'base64' }).send()
    expect((await acctDone)!.value?.lamports).toBe(SOL / 10n)
    rpcServer.chain.advance(2)
    await new Promise((r) => setTimeout(r, 100))
    expect(finalized).toBe(false)
    expect((await c.rpc.getTransaction(sig, { commitment: 'finalized', encoding: 'json', maxSupportedTransactionVersion: 0 }).send())).toBeNull()
    rpcServer.chain.advance(1)
    expect((await within(finDone, 10_000, 'finalized signatureNotification'))!.value.err).toBeNull()
    const [st] = (await c.rpc.getSignatureStatuses([sig]).send()).value
    expect(st?.confirmationStatus).toBe('finalized')
    abort.abort()
  })
})
