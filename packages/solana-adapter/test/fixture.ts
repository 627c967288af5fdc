/**
 * A configured Bulwark program behind the local RPC, set up only through transactions sent with
 * @solana/kit: initialize, a registered vault emitter on chain A, a foreign asset, market 0, and a
 * real SPL mint (System createAccount + SPL Token initialize) that users lock.
 */
import { fileURLToPath } from 'node:url'
import { buildSignedVaa, bytesToHex, encodePayload, quorum, addressOfPrivateKey, hexToBytes, type Hex } from '@bulwark/core'
import { testGuardianKeys } from '@bulwark/core/testing'
import { addressBytes, decodeConfig, instructions as ix, pdas } from '@bulwark/programs-solana'
import { getCreateAccountInstruction } from '@solana-program/system'
import { getInitializeAccount3Instruction, getInitializeMint2Instruction, getMintToInstruction, TOKEN_PROGRAM_ADDRESS } from '@solana-program/token'
import { address, airdropFactory, generateKeyPairSigner, lamports, type Address, type Instruction, type KeyPairSigner } from '@solana/kit'
import { startSolanaRpc, type SolanaRpcHandle } from '../src/index.js'
import { clients, signed } from './kit-client.js'

export const PROGRAM = address('Bu1wark111111111111111111111111111111111111')
export const SO = fileURLToPath(new URL('../../programs-solana/dist/bulwark.so', import.meta.url))
export const CHAIN = 1
export const CHAIN_A = 10002
export const VAULT_A: Hex = `0x${'00'.repeat(12)}${'a1'.repeat(20)}`
export const ENGINE_A: Hex = `0x${'00'.repeat(12)}${'e1'.repeat(20)}`
export const GOV_EMITTER: Hex = `0x${'04'.repeat(32)}`
export const USDC_A: Hex = `0x${'00'.repeat(12)}${'11'.repeat(20)}`
const WAD = 10n ** 18n
export const ORACLE_EMITTER: Hex = `0x${'05'.repeat(32)}`

export type Fixture = Awaited<ReturnType<typeof startFixture>>

export async function startFixture(nGuardians = 7) {
  const server: SolanaRpcHandle = await startSolanaRpc({ programs: [{ id: PROGRAM, path: SO }], finalizedDepth: 4 })
  const c = clients(server.url, server.wsUrl)
  const send = async (payer: KeyPairSigner, ixs: Instruction[]) => {
    const { tx } = await signed(c.rpc, payer, ixs)
    await c.sendAndConfirm(tx as never, { commitment: 'confirmed', abortSignal: AbortSignal.timeout(20_000) })
  }
  const fund = async () => {
    const s = await generateKeyPairSigner()
    await airdropFactory(c)({ recipientAddress: s.address, lamports: lamports(100_000_000_000n), commitment: 'confirmed' })
    return s
  }
  const keys = testGuardianKeys(nGuardians)
  const oracleKeys = testGuardianKeys(3, 'bulwark-test-oracle')
  const admin = await fund()
  const config = await pdas.config(PROGRAM)
  await send(admin, [ix.initialize(PROGRAM, { admin, config, guardianSet: await pdas.guardianSet(PROGRAM, 0), oracleSet: await pdas.oracleSet(PROGRAM, 0) }, {
    chainId: CHAIN, overlap: 86_400, governanceChain: 1, governanceEmitter: hexToBytes(GOV_EMITTER), oracleChain: 1, oracleEmitter: hexToBytes(ORACLE_EMITTER),
    priceMaxAge: 60, priceMaxFuture: 5, guardians: keys.map((k) => hexToBytes(addressOfPrivateKey(k.privateKey))), oracles: oracleKeys.map((k) => hexToBytes(addressOfPrivateKey(k.privateKey))),
  })])
  await send(admin, [
    ix.registerEmitter(PROGRAM, { admin, config, emitter: await pdas.emitter(PROGRAM, CHAIN_A, hexToBytes(VAULT_A)) }, { chain: CHAIN_A, address: hexToBytes(VAULT_A), role: 1 }),
    ix.registerEmitter(PROGRAM, { admin, config, emitter: await pdas.emitter(PROGRAM, CHAIN_A, hexToBytes(ENGINE_A)) }, { chain: CHAIN_A, address: hexToBytes(ENGINE_A), role: 2 }),
    ix.configureAsset(PROGRAM, { admin, config, asset: await pdas.asset(PROGRAM, hexToBytes(USDC_A)) }, { assetId: hexToBytes(USDC_A), isLocal: false, decimals: 6, cap: 0n, priceMarket: 0, weight: WAD, pendingWeight: WAD / 2n }),
    ix.configureMarket(PROGRAM, { admin, config, market: await pdas.market(PROGRAM, 0) }, { id: 0, imf: WAD / 10n, mmf: WAD / 20n, maxMoveBps: 1_000n, window: 60n, haltDuration: 60n, cooldown: 60n, maxOracleGap: 3_600n, liquidationGrace: 60n }),
  ])
  // A real SPL mint and a funded token account for the depositor.
  const mint = await generateKeyPairSigner()
  const user = await fund()
  const userToken = await generateKeyPairSigner()
  const rent = async (n: bigint) => c.rpc.getMinimumBalanceForRentExemption(n).send()
  await send(admin, [
    getCreateAccountInstruction({ payer: admin, newAccount: mint, lamports: await rent(82n), space: 82n, programAddress: TOKEN_PROGRAM_ADDRESS }),
    getInitializeMint2Instruction({ mint: mint.address, decimals: 6, mintAuthority: admin.address }),
    getCreateAccountInstruction({ payer: admin, newAccount: userToken, lamports: await rent(165n), space: 165n, programAddress: TOKEN_PROGRAM_ADDRESS }),
    getInitializeAccount3Instruction({ account: userToken.address, mint: mint.address, owner: user.address }),
    getMintToInstruction({ mint: mint.address, token: userToken.address, mintAuthority: admin, amount: 1_000_000_000_000n }),
  ])
  const mintBytes = addressBytes(mint.address)
  const localAsset = await pdas.asset(PROGRAM, mintBytes)
  const vault = await pdas.vault(PROGRAM, mintBytes)
  await send(admin, [ix.configureAsset(PROGRAM, { admin, config, asset: localAsset, mint: mint.address, vault, authority: await pdas.authority(PROGRAM) }, { assetId: mintBytes, isLocal: true, decimals: 6, cap: 10n ** 15n, priceMarket: 0, weight: WAD, pendingWeight: 0n })])

  let vaaSequence = 1_000n
  return {
    server, c, keys, admin, user, config, mint: mint.address, userToken: userToken.address, localAsset, vault, fund, send,
    /** Locks `amount` of the SPL token for `account` on chain A; the program emits one message. */
    async lock(amount: bigint, account: Hex = `0x${'cd'.repeat(32)}`) {
      const { value } = await c.rpc.getAccountInfo(config, { encoding: 'base64', commitment: 'confirmed' }).send()
      const seq = decodeConfig(new Uint8Array(Buffer.from(value!.data[0], 'base64'))).messageSequence
      await send(user, [ix.lockCollateral(PROGRAM, { depositor: user, config, asset: localAsset, source: userToken.address, vault, message: await pdas.message(PROGRAM, seq) }, { amount, destinationChain: CHAIN_A, account: hexToBytes(account), nonce: 7 })])
      return seq
    },
    /** Any body signed by the first `signers` guardians of set `setIndex` (default: the initial set, quorum). */
    signedVaa(body: { emitterChain: number; emitterAddress: Hex; payload: Uint8Array }, o: { signers?: number; setIndex?: number; keys?: typeof keys } = {}): Uint8Array {
      const k = o.keys ?? keys
      const full = { timestamp: Math.floor(Date.now() / 1000), nonce: 1, sequence: vaaSequence++, consistencyLevel: 1, ...body }
      return buildSignedVaa(full, o.setIndex ?? 0, k.slice(0, o.signers ?? quorum(k.length)))
    },
    /** A PriceReport VAA from the oracle emitter signed by all 3 oracle keys (quorum of 3). */
    priceVaa(entries: { marketId: number; price: bigint }[], publishTime = BigInt(Math.floor(Date.now() / 1000) - 1)): Uint8Array {
      const payload = encodePayload({ type: 'PriceReport', publishTime, prices: entries.map((e) => ({ marketId: e.marketId, price: e.price, conf: e.price / 1000n, emaPrice: e.price, volMultiplier: WAD })) })
      const body = { timestamp: Number(publishTime), nonce: 0, emitterChain: 1, emitterAddress: ORACLE_EMITTER, sequence: vaaSequence++, consistencyLevel: 1, payload }
      return buildSignedVaa(body, 0, oracleKeys)
    },
    /** A quorum-signed CollateralLocked VAA from chain A's vault crediting `account` here. */
    creditVaa(account: Hex, amount: bigint, o: { emitter?: Hex; destination?: number; signers?: number } = {}): Uint8Array {
      const payload = encodePayload({ type: 'CollateralLocked', destinationChain: o.destination ?? CHAIN, account, asset: USDC_A, amount, depositor: `0x${'00'.repeat(12)}${'33'.repeat(20)}` })
      const body = { timestamp: Math.floor(Date.now() / 1000), nonce: 7, emitterChain: CHAIN_A, emitterAddress: o.emitter ?? VAULT_A, sequence: vaaSequence++, consistencyLevel: 1, payload }
      return buildSignedVaa(body, 0, keys.slice(0, o.signers ?? quorum(keys.length)))
    },
  }
}

export const hexOf = (a: Address): Hex => bytesToHex(addressBytes(a))
