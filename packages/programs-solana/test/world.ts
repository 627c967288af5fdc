import { generateKeyPairSigner, type Address, type KeyPairSigner } from '@solana/kit';
import type { LiteSVM } from 'litesvm';
import * as ix from '../src/client/instructions.js';
import { addressBytes, pdas } from '../src/client/pdas.js';
import { encodeBody, encodeVaa, payloads, signBody, testGuardians, bodyHash, type Guardian } from '../src/client/vaa.js';
import { PROGRAM, funded, newSvm, send, setMint, setTokenAccount } from './harness.js';

export const CHAIN = 1;
export const CHAIN_A = 10002;
export const VAULT_A = new Uint8Array(32).fill(0).map((_, i) => (i >= 12 ? 0xa0 + (i % 16) : 0));
export const ENGINE_A = new Uint8Array(32).map((_, i) => (i >= 12 ? 0xe0 + (i % 16) : 0));
export const GOV_EMITTER = new Uint8Array(32).fill(4);
export const ORACLE_EMITTER = new Uint8Array(32).fill(5);
export const USDC_A = new Uint8Array(32).map((_, i) => (i >= 12 ? 0x11 : 0));
export const WAD = 10n ** 18n;

export interface World {
  svm: LiteSVM;
  admin: KeyPairSigner;
  guardians: Guardian[];
  oracles: Guardian[];
  config: Address;
  gs0: Address;
  os0: Address;
  vaultEmitter: Address;
  engineEmitter: Address;
  foreignAsset: Address;
  mint: Address;
  localAsset: Address;
  vault: Address;
  authority: Address;
  user: KeyPairSigner;
  userToken: Address;
}

/**
 * A configured program: n guardians, a registered vault + engine on chain A, a foreign and a local asset.
 * `targetHealth`: sent to initialize (default: the client's, RISK_PROFILE's 1.5e18).
 */
export async function world(nGuardians = 7, o: { targetHealth?: bigint } = {}): Promise<World> {
  const svm = newSvm();
  const admin = await funded(svm);
  const guardians = testGuardians(nGuardians);
  const oracles = testGuardians(3, 1);
  const config = await pdas.config(PROGRAM);
  const gs0 = await pdas.guardianSet(PROGRAM, 0);
  const os0 = await pdas.oracleSet(PROGRAM, 0);
  const must = async (p: Promise<{ ok: boolean; failure?: string; error?: string; logs: string[] }>) => {
    const r = await p;
    if (!r.ok) throw new Error(`setup failed: ${r.error ?? r.failure} ${r.logs.join('\n')}`);
  };
  await must(send(svm, admin, [ix.initialize(PROGRAM, { admin, config, guardianSet: gs0, oracleSet: os0 }, {
    chainId: CHAIN, overlap: 86_400, governanceChain: 1, governanceEmitter: GOV_EMITTER, oracleChain: 1, oracleEmitter: ORACLE_EMITTER,
    priceMaxAge: 60, priceMaxFuture: 5, guardians: guardians.map((g) => g.address), oracles: oracles.map((g) => g.address),
    targetHealth: o.targetHealth,
  })]));
  const vaultEmitter = await pdas.emitter(PROGRAM, CHAIN_A, VAULT_A);
  const engineEmitter = await pdas.emitter(PROGRAM, CHAIN_A, ENGINE_A);
  await must(send(svm, admin, [
    ix.registerEmitter(PROGRAM, { admin, config, emitter: vaultEmitter }, { chain: CHAIN_A, address: VAULT_A, role: 1 }),
    ix.registerEmitter(PROGRAM, { admin, config, emitter: engineEmitter }, { chain: CHAIN_A, address: ENGINE_A, role: 2 }),
  ]));
  const foreignAsset = await pdas.asset(PROGRAM, USDC_A);
  await must(send(svm, admin, [ix.configureAsset(PROGRAM, { admin, config, asset: foreignAsset }, { assetId: USDC_A, isLocal: false, decimals: 6, cap: 0n, priceMarket: 0, weight: WAD, pendingWeight: WAD / 2n, originChain: CHAIN_A })]));
  const mint = (await generateKeyPairSigner()).address;
  setMint(svm, mint, admin.address, 6, 1_000_000_000_000n);
  const mintBytes = addressBytes(mint);
  const localAsset = await pdas.asset(PROGRAM, mintBytes);
  const vault = await pdas.vault(PROGRAM, mintBytes);
  const authority = await pdas.authority(PROGRAM);
  await must(send(svm, admin, [ix.configureAsset(PROGRAM, { admin, config, asset: localAsset, mint, vault, authority }, { assetId: mintBytes, isLocal: true, decimals: 6, cap: 1_000_000_000n, priceMarket: 0, weight: WAD, pendingWeight: 0n })]));
  const user = await funded(svm);
  const userToken = (await generateKeyPairSigner()).address;
  setTokenAccount(svm, userToken, mint, user.address, 5_000_000_000n);
  return { svm, admin, guardians, oracles, config, gs0, os0, vaultEmitter, engineEmitter, foreignAsset, mint, localAsset, vault, authority, user, userToken };
}

/** A signed CollateralLocked VAA from chain A's vault crediting `owner` on Solana. */
export function lockedVaa(w: World, o: { owner: Uint8Array; amount: bigint; sequence: bigint; signers: number[]; emitter?: Uint8Array; destination?: number; asset?: Uint8Array }) {
  const depositor = new Uint8Array(32).map((_, i) => (i >= 12 ? 0x33 : 0));
  const payload = payloads.collateralLocked({ destinationChain: o.destination ?? CHAIN, account: o.owner, asset: o.asset ?? USDC_A, amount: o.amount, depositor });
  const body = encodeBody({ timestamp: 1_700_000_000, nonce: 7, emitterChain: CHAIN_A, emitterAddress: o.emitter ?? VAULT_A, sequence: o.sequence, consistencyLevel: 1, payload });
  const sigs = signBody(body, w.guardians, o.signers);
  return { body, sigs, depositor, vaa: encodeVaa(0, sigs, body), hash: bodyHash(body) };
}

export async function creditIx(w: World, payer: KeyPairSigner, v: ReturnType<typeof lockedVaa>, owner: Uint8Array, amount: bigint, opts: { includeOwner?: boolean; emitter?: Address; guardianSet?: Address } = {}) {
  const data = ix.encodeCompactCredit({ owner: opts.includeOwner === false ? undefined : owner, guardianSetIndex: 0, body: v.body, amount, depositor: v.depositor, sigs: v.sigs });
  return ix.creditCollateral(PROGRAM, {
    payer, config: w.config, guardianSet: opts.guardianSet ?? w.gs0, emitter: opts.emitter ?? w.vaultEmitter, asset: w.foreignAsset,
    consumed: await pdas.consumed(PROGRAM, v.hash), account: await pdas.account(PROGRAM, owner),
  }, data);
}

/** Sets the cluster clock's unix time (the program reads it through the Clock sysvar). */
export function setTime(w: World, t: number | bigint): void {
  const c = w.svm.getClock();
  c.unixTimestamp = BigInt(t);
  w.svm.setClock(c);
}

export const BREAKER = { maxMoveBps: 1500n, window: 300n, haltDuration: 600n, cooldown: 300n, maxOracleGap: 120n, liquidationGrace: 120n };

/** Markets 0 (USDC, the foreign asset's price) and 1 (ETH perp, imf 10%, mmf 5%). */
export async function withMarkets(w: World, feeRate = 0n): Promise<{ m0: Address; m1: Address }> {
  const m0 = await pdas.market(PROGRAM, 0);
  const m1 = await pdas.market(PROGRAM, 1);
  const r = await send(w.svm, w.admin, [
    ix.configureMarket(PROGRAM, { admin: w.admin, config: w.config, market: m0 }, { id: 0, imf: WAD / 10n, mmf: WAD / 20n, ...BREAKER, feeRate }),
    ix.configureMarket(PROGRAM, { admin: w.admin, config: w.config, market: m1 }, { id: 1, imf: WAD / 10n, mmf: WAD / 20n, ...BREAKER, feeRate }),
  ]);
  if (!r.ok) throw new Error(`markets: ${r.error ?? r.failure}`);
  return { m0, m1 };
}

/** A PriceReport VAA signed by the oracle set (all 3 signers unless given). */
export function priceVaa(w: World, publishTime: number, prices: [number, bigint][], o: { signers?: number[]; emitter?: Uint8Array; sequence?: bigint } = {}): Uint8Array {
  const payload = payloads.priceReport(BigInt(publishTime), prices.map(([marketId, price]) => ({ marketId, price, conf: WAD, emaPrice: price, volMultiplier: WAD })));
  const body = encodeBody({ timestamp: publishTime, nonce: 0, emitterChain: 1, emitterAddress: o.emitter ?? ORACLE_EMITTER, sequence: o.sequence ?? BigInt(publishTime), consistencyLevel: 1, payload });
  return encodeVaa(0, signBody(body, w.oracles, o.signers ?? [0, 1, 2]), body);
}

export async function postPrices(w: World, publishTime: number, prices: [number, bigint][], markets: Address[], o: Parameters<typeof priceVaa>[3] & { oracleSet?: Address } = {}) {
  return send(w.svm, w.admin, [ix.updatePrice(PROGRAM, { payer: w.admin, config: w.config, oracleSet: o.oracleSet ?? w.os0, markets }, priceVaa(w, publishTime, prices, o))], 400_000);
}
