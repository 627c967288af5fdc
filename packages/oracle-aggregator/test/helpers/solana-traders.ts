/**
 * Margin accounts on the real Bulwark Solana program (litesvm behind the local RPC): a remote vault
 * and its USDC registered, traders credited by guardian-signed CollateralLocked VAAs (through a
 * SolanaAdapter, as a relayer would) who open longs with their own keys, and the program's own
 * read-only `health` instruction to say who is below 1.
 */
import { buildSignedVaa, encodePayload, hexToBytes, WAD, type Hex } from '@bulwark/core'
import { addressBytes, instructions as ix, pdas } from '@bulwark/programs-solana'
import type { SolanaAdapter } from '@bulwark/solana-adapter'
import {
  appendTransactionMessageInstructions, createSolanaRpc, createTransactionMessage, generateKeyPairSigner, getBase64EncodedWireTransaction, pipe,
  setTransactionMessageFeePayerSigner, setTransactionMessageLifetimeUsingBlockhash, signTransactionMessageWithSigners, type Address, type KeyPairSigner,
} from '@solana/kit'
import { PROGRAM, type SolanaProgram } from './solana-program.js'

export const REMOTE = 10003
export const REMOTE_VAULT: Hex = `0x${'00'.repeat(30)}beef`
export const USDC: Hex = `0x${'00'.repeat(30)}a0b8`

export type SolanaTrader = { owner: KeyPairSigner; id: Hex; pda: Address }

const hexOf = (a: Address): Hex => `0x${Buffer.from(addressBytes(a)).toString('hex')}`
let sequence = 1n

/** Registers REMOTE's vault (role 1) and its USDC (6 decimals, weight 1, priced by `usdMarket`). */
export async function registerRemoteUsdc(p: SolanaProgram, usdMarket: number): Promise<void> {
  const config = await pdas.config(PROGRAM)
  await p.send([
    ix.registerEmitter(PROGRAM, { admin: p.admin, config, emitter: await pdas.emitter(PROGRAM, REMOTE, hexToBytes(REMOTE_VAULT)) }, { chain: REMOTE, address: hexToBytes(REMOTE_VAULT), role: 1 }),
    ix.configureAsset(PROGRAM, { admin: p.admin, config, asset: await pdas.asset(PROGRAM, hexToBytes(USDC)) }, { assetId: hexToBytes(USDC), isLocal: false, decimals: 6, cap: 0n, priceMarket: usdMarket, weight: WAD, pendingWeight: WAD / 2n, originChain: REMOTE }),
  ])
}

/**
 * Each trader: a funded key, `usdc` USDC credited by a VAA the `guardians` sign (submitted through
 * `relayer`), then a long of `leverageX10[i] / 10 x usdc` notional in `market` at `price` (USD).
 */
export async function openTraders(
  p: SolanaProgram,
  relayer: SolanaAdapter,
  o: { chainId: number; guardians: Uint8Array[]; leverageX10: number[]; usdc: bigint; market: number; usdMarket: number; price: bigint },
): Promise<SolanaTrader[]> {
  const out: SolanaTrader[] = []
  const keys = o.guardians.map((privateKey, index) => ({ index, privateKey }))
  const rest = [await pdas.market(PROGRAM, o.market), await pdas.asset(PROGRAM, hexToBytes(USDC)), await pdas.market(PROGRAM, o.usdMarket)]
  const config = await pdas.config(PROGRAM)
  for (const lev of o.leverageX10) {
    const owner = await generateKeyPairSigner()
    await p.fund(owner.address)
    const id = hexOf(owner.address)
    const payload = encodePayload({ type: 'CollateralLocked', destinationChain: o.chainId, account: id, asset: USDC, amount: o.usdc * 10n ** 6n, depositor: id })
    const body = { timestamp: Math.floor(Date.now() / 1000), nonce: 0, emitterChain: REMOTE, emitterAddress: REMOTE_VAULT, sequence: sequence++, consistencyLevel: 1, payload }
    await relayer.submitVaa(buildSignedVaa(body, 0, keys.slice(0, Math.floor((2 * keys.length) / 3) + 1)))
    const pda = await pdas.account(PROGRAM, addressBytes(owner.address))
    const size = (BigInt(lev) * o.usdc * WAD) / 10n / o.price
    await p.sendAs(owner, [ix.openPosition(PROGRAM, { owner, account: pda, config, rest }, { market: o.market, size })])
    out.push({ owner, id, pda })
  }
  return out
}

/** The program's own health figures for a trader (read-only `health` instruction, simulated). */
export async function programHealth(p: SolanaProgram, t: SolanaTrader, rest: Address[]): Promise<ReturnType<typeof ix.decodeHealth>> {
  const rpc = createSolanaRpc(p.server.url)
  const { value: latest } = await rpc.getLatestBlockhash({ commitment: 'confirmed' }).send()
  const msg = pipe(createTransactionMessage({ version: 0 }), (m) => setTransactionMessageFeePayerSigner(p.admin, m), (m) => setTransactionMessageLifetimeUsingBlockhash(latest, m), (m) => appendTransactionMessageInstructions([ix.health(PROGRAM, { account: t.pda, rest })], m))
  const wire = getBase64EncodedWireTransaction(await signTransactionMessageWithSigners(msg))
  const r = await rpc.simulateTransaction(wire, { encoding: 'base64', commitment: 'confirmed' }).send()
  if (r.value.err || !r.value.returnData) throw new Error(`health simulation failed: ${JSON.stringify(r.value.err)} ${r.value.logs?.join(' | ')}`)
  return ix.decodeHealth(new Uint8Array(Buffer.from(r.value.returnData.data[0], 'base64')))
}

/** Traders whose on-chain health (the program's own math) is below 1 with a non-zero requirement. */
export async function belowOne(p: SolanaProgram, traders: readonly SolanaTrader[], rest: Address[]): Promise<Set<Hex>> {
  const out = new Set<Hex>()
  for (const t of traders) {
    const h = await programHealth(p, t, rest)
    if (h.mmReq > 0n && h.health !== 'max' && h.health < WAD) out.add(t.id)
  }
  return out
}
