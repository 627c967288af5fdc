import { defineAdapterCompliance } from '@bulwark/core/testing'
import { generateKeyPairSigner } from '@solana/kit'
import { SolanaAdapter } from '../src/index.js'
import { CHAIN, PROGRAM, hexOf, startFixture } from './fixture.js'

defineAdapterCompliance('solana (Bulwark program in litesvm behind the local RPC)', async () => {
  const f = await startFixture()
  const relayer = await f.fund()
  const adapter = new SolanaAdapter({ chainId: CHAIN, rpcUrl: f.server.url, wsUrl: f.server.wsUrl, programId: PROGRAM, payer: relayer })
  // The liquidator (the relayer here) needs a margin account of its own.
  await adapter.submitVaa(f.creditVaa(hexOf(relayer.address), 1n))
  // Collateral is priced through market 0, which needs a price before any health check.
  await adapter.submitVaa(f.priceVaa([{ marketId: 0, price: 10n ** 18n }]))
  return {
    adapter,
    account: hexOf((await generateKeyPairSigner()).address),
    lock: async (amount) => {
      await f.lock(amount)
      return {}
    },
    advance: async (blocks) => f.server.chain.advance(blocks),
    creditVaa: async (account, amount) => f.creditVaa(account, amount),
    teardown: () => f.server.stop(),
  }
})
