import { createRequire } from 'node:module'
import { join } from 'node:path'
import { addressBytes, BULWARK_PROGRAM_ID, instructions as ix, pdas } from '@bulwark/programs-solana'
import { getCreateAccountInstruction } from '@solana-program/system'
import { getInitializeMint2Instruction, TOKEN_PROGRAM_ADDRESS } from '@solana-program/token'
import {
  address, airdropFactory, appendTransactionMessageInstructions, createSolanaRpc, createSolanaRpcSubscriptions, createTransactionMessage,
  generateKeyPairSigner, lamports, pipe, sendAndConfirmTransactionFactory, setTransactionMessageFeePayerSigner, setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners, type Instruction, type KeyPairSigner,
} from '@solana/kit'
import { toHex, type Hex } from 'viem'
import { packageDir, tsNode } from '../nodes/bins.js'
import type { ServiceSpec } from '../supervisor/supervisor.js'
import { jsonRpc } from '../util/wait.js'

const WAD = 10n ** 18n
const req = createRequire(import.meta.url)
/** The committed build of Bulwark's program (packages/programs-solana/dist/bulwark.so). */
const programSo = () => req.resolve('@bulwark/programs-solana/program.so')
const rpcCli = () => join(packageDir('@bulwark/solana-adapter'), 'bin', 'cli.ts')

export type SolanaRpcPlan = { port: number; wsPort: number; slotMs: number; logFile?: string }

/** `bulwark-solana-rpc` (litesvm behind JSON-RPC + WebSocket) with Bulwark's program loaded; healthy when getHealth answers ok. */
export function solanaRpcService(o: SolanaRpcPlan, healthTimeoutMs: number): ServiceSpec {
  const args = ['--port', String(o.port), '--ws-port', String(o.wsPort), '--slot-ms', String(o.slotMs), '--finalized-depth', '4', '--program', `${BULWARK_PROGRAM_ID}=${programSo()}`]
  return { name: 'solana', ...tsNode(rpcCli(), args), logFile: o.logFile, stopTimeoutMs: 3000, healthTimeoutMs, health: async () => (await jsonRpc<string>(`http://127.0.0.1:${o.port}`, 'getHealth', [], 500)) === 'ok' }
}

export type SolanaSetup = {
  chainId: number
  /** The demo SPL token's mint keypair (chosen before the EVM deploy, which lists it on the engine). */
  mint: KeyPairSigner
  guardians: Hex[]
  oracleSigners: Hex[]
  oracleEmitter: { chain: number; address: Hex }
  /** The position chain's engine, whose WithdrawalApproved messages the program honours. */
  engineEmitter: { chain: number; address: Hex }
  markets: { id: number; imf: bigint; mmf: bigint }[]
  /** Oracle market that prices the demo SPL token. */
  tokenMarket: number
  /** Liquidation target health (WAD) set at initialize; 0n = off (the close factor). @default 1.5e18 (the client's: RISK_PROFILE) */
  targetHealth?: bigint
}

export type DeployedSolana = {
  name: 'solana'
  chainId: number
  rpcUrl: string
  wsUrl: string
  programId: string
  /** The program's emitter address (its id as bytes32): what the engine registers. */
  emitter: Hex
  admin: KeyPairSigner
  /** The demo SPL token traders lock (mint authority: admin). */
  mint: string
  mintDecimals: number
  tokenMarket: number
  fund(to: string, sol?: bigint): Promise<void>
  send(ixs: Instruction[], signer?: KeyPairSigner): Promise<void>
}

/** Initializes Bulwark's program over RPC: guardian and oracle sets, the engine emitter, markets, and a demo SPL token as local collateral. */
export async function setupSolana(rpcUrl: string, wsUrl: string, s: SolanaSetup): Promise<DeployedSolana> {
  const rpc = createSolanaRpc(rpcUrl)
  const rpcSubscriptions = createSolanaRpcSubscriptions(wsUrl)
  const sendAndConfirm = sendAndConfirmTransactionFactory({ rpc, rpcSubscriptions })
  const airdrop = airdropFactory({ rpc, rpcSubscriptions })
  const P = BULWARK_PROGRAM_ID
  const admin = await generateKeyPairSigner()
  const fund = async (to: string, sol = 100n) => void (await airdrop({ recipientAddress: address(to), lamports: lamports(sol * 1_000_000_000n), commitment: 'confirmed', abortSignal: AbortSignal.timeout(20_000) }))
  const send = async (ixs: Instruction[], signer: KeyPairSigner = admin) => {
    const { value: latest } = await rpc.getLatestBlockhash({ commitment: 'confirmed' }).send()
    const msg = pipe(createTransactionMessage({ version: 0 }), (m) => setTransactionMessageFeePayerSigner(signer, m), (m) => setTransactionMessageLifetimeUsingBlockhash(latest, m), (m) => appendTransactionMessageInstructions(ixs, m))
    await sendAndConfirm((await signTransactionMessageWithSigners(msg)) as never, { commitment: 'confirmed', abortSignal: AbortSignal.timeout(20_000) })
  }
  await fund(admin.address, 1000n)
  const bytes = (h: Hex) => Uint8Array.from(Buffer.from(h.slice(2), 'hex'))
  const config = await pdas.config(P)
  await send([ix.initialize(P, { admin, config, guardianSet: await pdas.guardianSet(P, 0), oracleSet: await pdas.oracleSet(P, 0) }, {
    chainId: s.chainId, overlap: 86_400, governanceChain: s.chainId, governanceEmitter: new Uint8Array(32).fill(4), oracleChain: s.oracleEmitter.chain,
    oracleEmitter: bytes(s.oracleEmitter.address), priceMaxAge: 60, priceMaxFuture: 5, guardians: s.guardians.map(bytes), oracles: s.oracleSigners.map(bytes),
    ...(s.targetHealth === undefined ? {} : { targetHealth: s.targetHealth }),
  })])
  const engine = bytes(s.engineEmitter.address)
  await send([ix.registerEmitter(P, { admin, config, emitter: await pdas.emitter(P, s.engineEmitter.chain, engine) }, { chain: s.engineEmitter.chain, address: engine, role: 2 })])
  for (const m of s.markets) {
    await send([ix.configureMarket(P, { admin, config, market: await pdas.market(P, m.id) }, {
      id: m.id, imf: m.imf, mmf: m.mmf, maxMoveBps: 5_000n, window: 120n, haltDuration: 30n, cooldown: 10n, maxOracleGap: 120n, liquidationGrace: 0n,
    })])
  }
  // the demo SPL token: a fresh mint, listed as local collateral (the program creates its vault)
  const mint = s.mint
  const decimals = 9
  const rent = await rpc.getMinimumBalanceForRentExemption(82n).send()
  await send([
    getCreateAccountInstruction({ payer: admin, newAccount: mint, lamports: rent, space: 82, programAddress: TOKEN_PROGRAM_ADDRESS }),
    getInitializeMint2Instruction({ mint: mint.address, decimals, mintAuthority: admin.address }),
  ])
  const assetId = addressBytes(mint.address)
  await send([ix.configureAsset(P, { admin, config, asset: await pdas.asset(P, assetId), mint: mint.address, vault: await pdas.vault(P, assetId), authority: await pdas.authority(P) }, {
    assetId, isLocal: true, decimals, cap: 10n ** 18n, priceMarket: s.tokenMarket, weight: (8n * WAD) / 10n, pendingWeight: 0n,
  })])
  return { name: 'solana', chainId: s.chainId, rpcUrl, wsUrl, programId: P, emitter: toHex(addressBytes(P)), admin, mint: mint.address, mintDecimals: decimals, tokenMarket: s.tokenMarket, fund, send }
}

/** The demo token's id as the engine lists it (the mint's 32 bytes). */
export const mintAssetId = (mint: string): Hex => toHex(addressBytes(address(mint)))

