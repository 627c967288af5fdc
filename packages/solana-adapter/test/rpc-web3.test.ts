import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Connection, Keypair, LAMPORTS_PER_SOL, PublicKey, SendTransactionError, SystemProgram, Transaction, TransactionInstruction, sendAndConfirmTransaction } from '@solana/web3.js'
import { startSolanaRpc, type SolanaRpcHandle } from '../src/index.js'
import { PROGRAM, SO } from './fixture.js'

let server: SolanaRpcHandle
let conn: Connection

beforeAll(async () => {
  server = await startSolanaRpc({ programs: [{ id: PROGRAM, path: SO }], finalizedDepth: 2 })
  conn = new Connection(server.url, { commitment: 'confirmed', wsEndpoint: server.wsUrl })
})
afterAll(async () => {
  await server?.stop()
})

const within = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`timed out waiting for ${what}`)), ms).unref())])

describe('local Solana RPC driven by @solana/web3.js 1.x Connection', () => {
  it('airdrops, confirms, transfers and reads back history and logs', async () => {
    const alice = Keypair.generate()
    const bob = Keypair.generate()
    const airdrop = await conn.requestAirdrop(alice.publicKey, 2 * LAMPORTS_PER_SOL)
    const latest = await conn.getLatestBlockhash()
    await within(conn.confirmTransaction({ signature: airdrop, ...latest }), 15_000, 'airdrop confirmation')
    expect(await conn.getBalance(alice.publicKey)).toBe(2 * LAMPORTS_PER_SOL)

    const logs: string[][] = []
    const subId = conn.onLogs(bob.publicKey, (l) => logs.push(l.logs), 'confirmed')
    const tx = new Transaction().add(SystemProgram.transfer({ fromPubkey: alice.publicKey, toPubkey: bob.publicKey, lamports: LAMPORTS_PER_SOL / 4 }))
    const sig = await within(sendAndConfirmTransaction(conn, tx, [alice]), 15_000, 'transfer')
    expect(await conn.getBalance(bob.publicKey)).toBe(LAMPORTS_PER_SOL / 4)
    const got = await conn.getTransaction(sig, { commitment: 'confirmed', maxSupportedTransactionVersion: 0 })
    expect(got?.meta?.err).toBeNull()
    expect(got?.meta?.fee).toBe(5000)
    expect((await conn.getSignaturesForAddress(bob.publicKey)).map((s) => s.signature)).toEqual([sig])
    expect((await conn.getSignatureStatus(sig)).value?.confirmationStatus).toBe('confirmed')
    for (let i = 0; i < 50 && logs.length === 0; i++) await new Promise((r) => setTimeout(r, 20))
    expect(logs[0]?.[0]).toContain('Program 11111111111111111111111111111111 invoke [1]')
    await conn.removeOnLogsListener(subId)
    expect((await conn.getAccountInfo(new PublicKey(PROGRAM)))?.executable).toBe(true)
  })

  it('surfaces the program custom error and logs as SendTransactionError', async () => {
    const payer = Keypair.generate()
    const a = await conn.requestAirdrop(payer.publicKey, LAMPORTS_PER_SOL)
    await within(conn.confirmTransaction({ signature: a, ...(await conn.getLatestBlockhash()) }), 15_000, 'airdrop')
    // Unknown instruction tag 200: the program answers InvalidParameter (custom error 7).
    const ix = new TransactionInstruction({ programId: new PublicKey(PROGRAM), keys: [], data: Buffer.from([200]) })
    const err = await sendAndConfirmTransaction(conn, new Transaction().add(ix), [payer]).then(() => null, (e: unknown) => e)
    expect(err).toBeInstanceOf(SendTransactionError)
    expect((err as SendTransactionError).message).toContain('custom program error: 0x7')
    expect((err as SendTransactionError).logs?.some((l) => l.includes('InvalidParameter'))).toBe(true)
  })
})
