import { afterAll, expect, it } from 'vitest'
import { generateKeyPairSigner, getBase58Decoder, type Signature } from '@solana/kit'
import { hexToBytes } from '@bulwark/core'
import { SolanaAdapter } from '../src/index.js'
import { CHAIN, PROGRAM, hexOf, startFixture, type Fixture } from './fixture.js'

let f: Fixture | undefined
afterAll(async () => {
  await f?.server.stop()
})

it('credits a 13-of-19 VAA in one transaction, for a new and for an existing account', async () => {
  f = await startFixture(19)
  const adapter = new SolanaAdapter({ chainId: CHAIN, rpcUrl: f.server.url, wsUrl: f.server.wsUrl, programId: PROGRAM, payer: await f.fund() })
  const acct = hexOf((await generateKeyPairSigner()).address)
  for (const amount of [5n, 6n]) {
    const r = await adapter.submitVaa(f.creditVaa(acct, amount))
    const sig = getBase58Decoder().decode(hexToBytes(r.txHash)) as Signature
    const tx = await adapter.rpc.getTransaction(sig, { commitment: 'confirmed', encoding: 'base64', maxSupportedTransactionVersion: 0 }).send()
    const bytes = Buffer.from(tx!.transaction[0], 'base64').length
    expect(bytes).toBeLessThanOrEqual(1232)
    expect(tx!.meta!.computeUnitsConsumed).toBeLessThan(400_000n)
    console.log(`13-of-19 credit (${amount === 5n ? 'new' : 'existing'} account): ${bytes} bytes, ${tx!.meta!.computeUnitsConsumed} CU`)
  }
  expect((await adapter.readAccount(acct)).collateral[0]?.amount).toBe(11n)
})
