import { RISK_PROFILE } from '@bulwark/core';
import {
  appendTransactionMessageInstructions, compressTransactionMessageUsingAddressLookupTables, createTransactionMessage,
  getTransactionEncoder, pipe, setTransactionMessageFeePayerSigner, setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners, lamports, generateKeyPairSigner, type Address, type KeyPairSigner,
} from '@solana/kit';
import * as ix from '../src/client/instructions.js';
import { encodeAsset, encodeMarginAccount, encodeMarket } from '../src/client/accounts.js';
import { addressBytes, pdas, SYSTEM_PROGRAM_ID } from '../src/client/pdas.js';
import { quorum } from '../src/client/vaa.js';
import { getSetComputeUnitLimitInstruction } from './compute-budget.js';
import { PROGRAM, funded, outcome, send, type Outcome } from './harness.js';
import { BREAKER, CHAIN_A, USDC_A, WAD, creditIx, lockedVaa, world, type World } from './world.js';

const ALT_PROGRAM = 'AddressLookupTab1e1111111111111111111111111' as Address;

/** Installs an address lookup table account (LookupTableMeta + addresses) resolved by the real runtime. */
async function installLookupTable(w: World, authority: Address, addresses: Address[]): Promise<Address> {
  const table = (await generateKeyPairSigner()).address;
  const d = new Uint8Array(56 + 32 * addresses.length);
  const v = new DataView(d.buffer);
  v.setUint32(0, 1, true);
  v.setBigUint64(4, (1n << 64n) - 1n, true);
  v.setBigUint64(12, 0n, true);
  d[21] = 1;
  d.set(addressBytes(authority), 22);
  addresses.forEach((a, i) => d.set(addressBytes(a), 56 + 32 * i));
  w.svm.setAccount({ address: table, data: d, executable: false, lamports: lamports(10_000_000n), programAddress: ALT_PROGRAM, space: BigInt(d.length) } as never);
  w.svm.warpToSlot(w.svm.getClock().slot + 2n);
  return table;
}

export interface CreditMeasurement {
  guardians: number; signatures: number; transactions: number; txBytes: number; cu: bigint; ok: boolean; error?: string;
  /** Per transaction: what it does, its serialized size and compute units. */
  steps: { what: string; txBytes: number; cu: bigint }[];
}

/** Sends a v0 transaction (optionally with a lookup table); returns its serialized size and outcome. */
async function sendV0(w: World, payer: KeyPairSigner, ixs: Parameters<typeof appendTransactionMessageInstructions>[0], table?: { address: Address; entries: Address[] }) {
  const msg = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayerSigner(payer, m),
    (m) => setTransactionMessageLifetimeUsingBlockhash({ blockhash: w.svm.latestBlockhash(), lastValidBlockHeight: 1_000_000n }, m),
    (m) => appendTransactionMessageInstructions(ixs, m),
    (m) => (table ? compressTransactionMessageUsingAddressLookupTables(m, { [table.address]: table.entries }) : m),
  );
  const tx = await signTransactionMessageWithSigners(msg);
  const bytes = getTransactionEncoder().encode(tx).length;
  const o = outcome(w.svm.sendTransaction(tx));
  w.svm.expireBlockhash();
  return { bytes, o };
}

/**
 * verify + credit of a CollateralLocked VAA in ONE v0 transaction with a lookup table. For a new
 * owner the margin account is first created by `open_account` in its own small transaction, so
 * the credit carries no owner bytes and stays below 1,232 bytes.
 */
export async function measureCredit(n: number, existingAccount: boolean): Promise<CreditMeasurement> {
  const w = await world(n);
  const relayer = await funded(w.svm);
  const owner = addressBytes(w.user.address);
  const signers = Array.from({ length: quorum(n) }, (_, i) => i);
  const steps: CreditMeasurement['steps'] = [];
  if (existingAccount) {
    const first = lockedVaa(w, { owner, amount: 1n, sequence: 100n, signers });
    const r = await send(w.svm, relayer, [await creditIx(w, relayer, first, owner, 1n)], 1_400_000);
    if (!r.ok) throw new Error(`seed credit failed: ${r.error ?? r.failure}`);
  } else {
    const open = await sendV0(w, relayer, [ix.openAccount(PROGRAM, { payer: relayer, account: await pdas.account(PROGRAM, owner) }, owner)]);
    if (!open.o.ok) throw new Error(`open_account failed: ${open.o.error ?? open.o.failure}`);
    steps.push({ what: 'open_account', txBytes: open.bytes, cu: open.o.cu });
  }
  const v = lockedVaa(w, { owner, amount: 1_000_000_000_000_000_000_000n, sequence: 101n, signers });
  const credit = await creditIx(w, relayer, v, owner, 1_000_000_000_000_000_000_000n, { includeOwner: false });
  const entries = [w.config, w.gs0, w.vaultEmitter, w.foreignAsset, SYSTEM_PROGRAM_ID];
  const table = await installLookupTable(w, w.admin.address, entries);
  const c = await sendV0(w, relayer, [getSetComputeUnitLimitInstruction(n > 10 ? 400_000 : 200_000), credit], { address: table, entries });
  steps.push({ what: 'verify + credit', txBytes: c.bytes, cu: c.o.cu });
  const ok = c.o.ok;
  return {
    guardians: n, signatures: signers.length, transactions: steps.length, txBytes: Math.max(...steps.map((s) => s.txBytes)),
    cu: steps.reduce((a, s) => a + s.cu, 0n), ok, error: c.o.error ?? c.o.failure, steps,
  };
}

export async function measureLock(): Promise<Outcome> {
  const w = await world();
  const message = await pdas.message(PROGRAM, 0n);
  return send(w.svm, w.user, [ix.lockCollateral(PROGRAM, { depositor: w.user, config: w.config, asset: w.localAsset, source: w.userToken, vault: w.vault, message }, { amount: 1_000_000n, destinationChain: CHAIN_A, account: new Uint8Array(32), nonce: 0 })]);
}

/** An underwater account (1,000 USDC, 10 ETH long from 3,000 at mark 2,910) liquidated for real. */
export async function liquidationScenario(): Promise<{ w: World; liquidator: KeyPairSigner; outcome: Outcome; account: Address; liqAccount: Address }> {
  const w = await world();
  const liquidator = await funded(w.svm);
  const owner = (await generateKeyPairSigner()).address;
  const account = await pdas.account(PROGRAM, addressBytes(owner));
  const liqAccount = await pdas.account(PROGRAM, addressBytes(liquidator.address));
  const put = (address: Address, d: Uint8Array) => w.svm.setAccount({ address, data: d, executable: false, lamports: lamports(10_000_000n), programAddress: PROGRAM, space: BigInt(d.length) } as never);
  const m0 = await pdas.market(PROGRAM, 0);
  const m1 = await pdas.market(PROGRAM, 1);
  put(m0, encodeMarket({ id: 0, imf: WAD / 10n, mmf: WAD / 20n, markPrice: WAD, volMultiplier: WAD }));
  put(m1, encodeMarket({ id: 1, imf: WAD / 10n, mmf: WAD / 20n, markPrice: 2910n * WAD, volMultiplier: WAD }));
  put(w.foreignAsset, encodeAsset({ decimals: 6, isLocal: false, priceMarket: 0, assetId: USDC_A, vault: new Uint8Array(32), cap: 0n, totalLocked: 0n, weight: WAD, pendingWeight: WAD / 2n }));
  put(account, encodeMarginAccount({ owner: addressBytes(owner), settlement: 0n, collateral: [{ assetId: USDC_A, amount: 1_000_000_000n, pending: false }], positions: [{ market: 1, size: 10n * WAD, entryPrice: 3000n * WAD }] }));
  put(liqAccount, encodeMarginAccount({ owner: addressBytes(liquidator.address), settlement: 0n, collateral: [], positions: [] }));
  const o = await send(w.svm, liquidator, [ix.liquidate(PROGRAM, { liquidator, account, config: w.config, liquidatorAccount: liqAccount, rest: [w.foreignAsset, m0, m1] })]);
  return { w, liquidator, outcome: o, account, liqAccount };
}

/** set_liquidation_params to RISK_PROFILE.liquidation shown `n` markets (14: the most one instruction can pass). */
export async function measureSetLiquidationParams(n = 14): Promise<Outcome> {
  const w = await world(7, { targetHealth: 0n });
  const markets: { id: number; address: Address }[] = [];
  for (let id = 0; id < n; id++) {
    const address = await pdas.market(PROGRAM, id);
    const r = await send(w.svm, w.admin, [ix.configureMarket(PROGRAM, { admin: w.admin, config: w.config, market: address }, { id, imf: WAD / 10n, mmf: WAD / 20n, ...BREAKER })]);
    if (!r.ok) throw new Error(`market ${id}: ${r.error ?? r.failure}`);
    markets.push({ id, address });
  }
  return send(w.svm, w.admin, [ix.setLiquidationParams(PROGRAM, { admin: w.admin, config: w.config, markets }, RISK_PROFILE.liquidation)]);
}
