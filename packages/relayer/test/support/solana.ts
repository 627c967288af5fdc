/**
 * A real Bulwark program behind the litesvm JSON-RPC (@bulwark/solana-adapter's startSolanaRpc),
 * configured only through transactions sent with @solana/kit: the relayers' guardian set, a local
 * SPL mint users lock, and (once the EVM side is deployed) the EVM vault emitter and its asset.
 */
import { bytesToHex, hexToBytes, type Hex } from '@bulwark/core'
import { addressBytes, decodeConfig, instructions as ix, pdas } from '@bulwark/programs-solana'
import { startSolanaRpc, type SolanaRpcHandle } from '@bulwark/solana-adapter'
import { getCreateAccountInstruction } from '@solana-program/system'
import { getInitializeAccount3Instruction, getInitializeMint2Instruction, getMintToInstruction, TOKEN_PROGRAM_ADDRESS } from '@solana-program/token'
import {
  address, airdropFactory, appendTransactionMessageInstructions, createKeyPairSignerFromBytes, createSolanaRpc, createSolanaRpcSubscriptions, createTransactionMessage,
  generateKeyPairSigner, lamports, pipe, sendAndConfirmTransactionFactory, setTransactionMessageFeePayerSigner, setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners, type Instruction, type KeyPairSigner,
} from '@solana/kit'
import { generateKeyPairSync } from 'node:crypto'
import { join } from 'node:path'

export const PROGRAM = address('Bu1wark111111111111111111111111111111111111')
export const PROGRAM_SO = join(import.meta.dirname, '..', '..', '..', 'programs-solana', 'dist', 'bulwark.so')
export const SOLANA = 1
export const PROGRAM_EMITTER: Hex = bytesToHex(addressBytes(PROGRAM))
/** Governance emitter (chain 1) of the program, deployBulwark's default and the relayer config's default. */
export const GOVERNANCE_EMITTER: Hex = `0x${'00'.repeat(31)}04`
const WAD = 10n ** 18n

/** A fresh Solana keypair as the 64-byte secret a payerKeyEnv holds (JSON array, like solana-keygen). */
export async function newPayer(): Promise<{ secret: string; signer: KeyPairSigner }> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  const seed = privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(-32)
  const pub = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32)
  const bytes = Uint8Array.from([...seed, ...pub])
  return { secret: JSON.stringify([...bytes]), signer: await createKeyPairSignerFromBytes(bytes) }
}

export type SolanaChain = Awaited<ReturnType<typeof startSolanaChain>>

export async function startSolanaChain(guardians: Hex[]) {
  const server: SolanaRpcHandle = await startSolanaRpc({ programs: [{ id: PROGRAM, path: PROGRAM_SO }], slotIntervalMs: 100, finalizedDepth: 4 })
  try {
    const rpc = createSolanaRpc(server.url)
    const rpcSubscriptions = createSolanaRpcSubscriptions(server.wsUrl)
    const confirm = sendAndConfirmTransactionFactory({ rpc, rpcSubscriptions })
    const send = async (payer: KeyPairSigner, ixs: Instruction[]) => {
      const { value: latest } = await rpc.getLatestBlockhash({ commitment: 'confirmed' }).send()
      const msg = pipe(createTransactionMessage({ version: 0 }), (m) => setTransactionMessageFeePayerSigner(payer, m), (m) => setTransactionMessageLifetimeUsingBlockhash(latest, m), (m) => appendTransactionMessageInstructions(ixs, m))
      await confirm((await signTransactionMessageWithSigners(msg)) as never, { commitment: 'confirmed', abortSignal: AbortSignal.timeout(20_000) })
    }
    const airdrop = airdropFactory({ rpc, rpcSubscriptions })
    const fund = async (a: KeyPairSigner['address']) => void (await airdrop({ recipientAddress: a, lamports: lamports(100_000_000_000n), commitment: 'confirmed' }))
    const admin = await generateKeyPairSigner()
    await fund(admin.address)
    const config = await pdas.config(PROGRAM)
    await send(admin, [ix.initialize(PROGRAM, { admin, config, guardianSet: await pdas.guardianSet(PROGRAM, 0), oracleSet: await pdas.oracleSet(PROGRAM, 0) }, {
      chainId: SOLANA, overlap: 86_400, governanceChain: 1, governanceEmitter: hexToBytes(GOVERNANCE_EMITTER), oracleChain: 1, oracleEmitter: hexToBytes(`0x${'05'.repeat(32)}`),
      priceMaxAge: 60, priceMaxFuture: 5, guardians: guardians.map((g) => hexToBytes(g)), oracles: guardians.map((g) => hexToBytes(g)),
    })])
    // The SPL token users lock, and a depositor holding some.
    const [mint, user, userToken] = await Promise.all([generateKeyPairSigner(), generateKeyPairSigner(), generateKeyPairSigner()])
    await fund(user.address)
    const rent = (n: bigint) => rpc.getMinimumBalanceForRentExemption(n).send()
    await send(admin, [
      getCreateAccountInstruction({ payer: admin, newAccount: mint, lamports: await rent(82n), space: 82n, programAddress: TOKEN_PROGRAM_ADDRESS }),
      getInitializeMint2Instruction({ mint: mint.address, decimals: 6, mintAuthority: admin.address }),
      getCreateAccountInstruction({ payer: admin, newAccount: userToken, lamports: await rent(165n), space: 165n, programAddress: TOKEN_PROGRAM_ADDRESS }),
      getInitializeAccount3Instruction({ account: userToken.address, mint: mint.address, owner: user.address }),
      getMintToInstruction({ mint: mint.address, token: userToken.address, mintAuthority: admin, amount: 10n ** 12n }),
    ])
    const mintBytes = addressBytes(mint.address)
    const localAsset = await pdas.asset(PROGRAM, mintBytes)
    const vault = await pdas.vault(PROGRAM, mintBytes)
    await send(admin, [ix.configureAsset(PROGRAM, { admin, config, asset: localAsset, mint: mint.address, vault, authority: await pdas.authority(PROGRAM) }, { assetId: mintBytes, isLocal: true, decimals: 6, cap: 10n ** 15n, priceMarket: 0, weight: WAD, pendingWeight: 0n })])
    return {
      server, rpc, fund, mintId: bytesToHex(mintBytes),
      /** Lets the program credit locks from an EVM vault (emitter role 1) of `asset` (bytes32) with `decimals`. */
      async registerEvmVault(chain: number, vaultBytes32: Hex, asset: Hex, decimals: number) {
        await send(admin, [
          ix.registerEmitter(PROGRAM, { admin, config, emitter: await pdas.emitter(PROGRAM, chain, hexToBytes(vaultBytes32)) }, { chain, address: hexToBytes(vaultBytes32), role: 1 }),
          ix.configureAsset(PROGRAM, { admin, config, asset: await pdas.asset(PROGRAM, hexToBytes(asset)) }, { assetId: hexToBytes(asset), isLocal: false, decimals, cap: 0n, priceMarket: 0, weight: WAD, pendingWeight: WAD / 2n }),
          ix.configureMarket(PROGRAM, { admin, config, market: await pdas.market(PROGRAM, 0) }, { id: 0, imf: WAD / 10n, mmf: WAD / 20n, maxMoveBps: 1_000n, window: 60n, haltDuration: 60n, cooldown: 60n, maxOracleGap: 3_600n, liquidationGrace: 60n }),
        ])
      },
      /** Locks `amount` of the SPL token for `account` on `destinationChain`; returns the program's message sequence. */
      async lock(amount: bigint, destinationChain: number, account: Hex): Promise<bigint> {
        const { value } = await rpc.getAccountInfo(config, { encoding: 'base64', commitment: 'confirmed' }).send()
        const seq = decodeConfig(new Uint8Array(Buffer.from(value!.data[0], 'base64'))).messageSequence
        await send(user, [ix.lockCollateral(PROGRAM, { depositor: user, config, asset: localAsset, source: userToken.address, vault, message: await pdas.message(PROGRAM, seq) }, { amount, destinationChain, account: hexToBytes(account), nonce: 7 })])
        return seq
      },
    }
  } catch (e) {
    await server.stop()
    throw e
  }
}
