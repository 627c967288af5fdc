import { describe, expect, it } from 'vitest';
import * as ix from '../src/client/instructions.js';
import { decodeAsset, decodeMarginAccount, decodeMessage, encodeAsset } from '../src/client/accounts.js';
import { put } from './install.js';
import { addressBytes, pdas } from '../src/client/pdas.js';
import { encodeBody, encodeVaa, payloads, signBody, bodyHash } from '../src/client/vaa.js';
import { PROGRAM, data, funded, send, tokenAmount } from './harness.js';
import { CHAIN, CHAIN_A, ENGINE_A, USDC_A, VAULT_A, WAD, creditIx, lockedVaa, world, type World } from './world.js';
import { trader } from './trader.js';

/** A WithdrawalApproved VAA from chain A's engine releasing `amount` of the local mint to the user. */
function approvedVaa(w: World, o: { amount: bigint; sequence?: bigint; originChain?: number; emitter?: Uint8Array; signers?: number[]; asset?: Uint8Array; recipient?: Uint8Array }) {
  const payload = payloads.withdrawalApproved({ originChain: o.originChain ?? CHAIN, account: new Uint8Array(32).fill(9), asset: o.asset ?? addressBytes(w.mint), amount: o.amount, recipient: o.recipient ?? addressBytes(w.user.address), withdrawalId: o.sequence ?? 1n });
  const body = encodeBody({ timestamp: 1_700_000_000, nonce: 0, emitterChain: CHAIN_A, emitterAddress: o.emitter ?? ENGINE_A, sequence: o.sequence ?? 1n, consistencyLevel: 1, payload });
  return { vaa: encodeVaa(0, signBody(body, w.guardians, o.signers ?? [0, 1, 2, 3, 4]), body), hash: bodyHash(body) };
}

async function locked(): Promise<World> {
  const w = await world();
  const message = await pdas.message(PROGRAM, 0n);
  const r = await send(w.svm, w.user, [ix.lockCollateral(PROGRAM, { depositor: w.user, config: w.config, asset: w.localAsset, source: w.userToken, vault: w.vault, message }, { amount: 1_000_000n, destinationChain: CHAIN_A, account: new Uint8Array(32), nonce: 0 })]);
  if (!r.ok) throw new Error('lock failed');
  return w;
}

async function release(w: World, v: { vaa: Uint8Array; hash: Uint8Array }, o: { emitter?: string; asset?: string; recipient?: string } = {}) {
  const relayer = await funded(w.svm);
  return send(w.svm, relayer, [ix.releaseCollateral(PROGRAM, {
    payer: relayer, config: w.config, guardianSet: w.gs0, emitter: (o.emitter ?? w.engineEmitter) as never, asset: (o.asset ?? w.localAsset) as never,
    consumed: await pdas.consumed(PROGRAM, v.hash), vault: w.vault, recipient: (o.recipient ?? w.userToken) as never, authority: w.authority, message: await pdas.message(PROGRAM, 1n),
  }, v.vaa)], 400_000);
}

describe('release_collateral', () => {
  it('pays a WithdrawalApproved from the registered engine, emits CollateralReleased, refuses a replay', async () => {
    const w = await locked();
    const v = approvedVaa(w, { amount: 400_000n });
    const r = await release(w, v);
    expect(r.error ?? r.failure).toBeUndefined();
    expect(tokenAmount(w.svm, w.vault)).toBe(600_000n);
    expect(tokenAmount(w.svm, w.userToken)).toBe(4_999_400_000n);
    expect(decodeAsset(data(w.svm, w.localAsset)).totalLocked).toBe(600_000n);
    const m = decodeMessage(data(w.svm, await pdas.message(PROGRAM, 1n)));
    expect([m.payload[0], m.payload.length, (m.payload[2]! << 8) | m.payload[3]!]).toEqual([3, 92, CHAIN_A]);
    expect((await release(w, v)).error).toBe('VaaAlreadyConsumed');
    expect(tokenAmount(w.svm, w.vault)).toBe(600_000n);
  });

  const cases: [string, Parameters<typeof approvedVaa>[1], Parameters<typeof release>[2]][] = [
    ['UnknownEmitter', { amount: 1n, emitter: VAULT_A }, { emitter: 'vault' }],
    ['WrongDestinationChain', { amount: 1n, originChain: 10003 }, {}],
    ['UnknownAsset', { amount: 1n, asset: USDC_A }, { asset: 'foreign' }],
    ['InsufficientCollateral', { amount: 1_000_001n }, {}],
    ['ZeroAmount', { amount: 0n }, {}],
    ['QuorumNotMet', { amount: 1n, signers: [0, 1, 2, 3] }, {}],
    ['InvalidParameter', { amount: 1n, recipient: new Uint8Array(32).fill(1) }, {}],
  ];
  it.each(cases)('refuses %s and moves no token', async (name, v, o) => {
    const w = await locked();
    const acc = { emitter: o?.emitter === 'vault' ? w.vaultEmitter : undefined, asset: o?.asset === 'foreign' ? w.foreignAsset : undefined };
    const r = await release(w, approvedVaa(w, v), acc);
    expect(r.error).toBe(name);
    expect(tokenAmount(w.svm, w.vault)).toBe(1_000_000n);
  });

  it('refuses a tampered amount (InvalidSignature) and is refused while WITHDRAW is paused', async () => {
    const w = await locked();
    const v = approvedVaa(w, { amount: 5n });
    v.vaa[v.vaa.length - 50] ^= 1; // a bit of the payload amount after signing
    expect((await release(w, v)).error).toBe('InvalidSignature');
    expect((await send(w.svm, w.admin, [ix.setPause(PROGRAM, { admin: w.admin, config: w.config }, 4)])).ok).toBe(true);
    expect((await release(w, approvedVaa(w, { amount: 5n }))).error).toBe('OperationPaused');
    expect(tokenAmount(w.svm, w.vault)).toBe(1_000_000n);
  });
});

describe('request_withdrawal (margin engine side)', () => {
  const request = async (t: Awaited<ReturnType<typeof trader>>, amount: bigint, signer = t.w.user, seq = 0n) => send(t.w.svm, signer, [ix.requestWithdrawal(PROGRAM, {
    owner: signer, account: t.account, config: t.w.config, message: await pdas.message(PROGRAM, seq), rest: [t.w.foreignAsset, t.m0, t.m1],
  }, { assetId: USDC_A, amount, recipient: new Uint8Array(32).fill(0x42) })]);

  it('approves while initial margin holds and emits WithdrawalApproved to the asset origin chain', async () => {
    const t = await trader();
    expect((await t.open(2n * WAD)).ok).toBe(true); // imReq 600 USD
    const r = await request(t, 9_000_000_000n);
    expect(r.error ?? r.failure).toBeUndefined();
    expect(t.state().collateral[0]!.amount).toBe(1_000_000_000n);
    const m = decodeMessage(data(t.w.svm, await pdas.message(PROGRAM, 0n)));
    expect([m.payload[0], (m.payload[2]! << 8) | m.payload[3]!]).toEqual([2, CHAIN_A]);
    expect((await request(t, 500_000_000n, t.w.user, 1n)).error).toBe('InsufficientMargin'); // 500 < 600
    expect(t.state().collateral[0]!.amount).toBe(1_000_000_000n);
  });

  it.each([
    ['ZeroAmount', 0n],
    ['InsufficientCollateral', 10_000_000_001n],
  ] as const)('refuses %s', async (name, amount) => {
    const t = await trader();
    expect((await request(t, amount)).error).toBe(name);
    expect(t.state().collateral[0]!.amount).toBe(10_000_000_000n);
  });

  it('refuses an asset without an origin chain to withdraw to (InvalidParameter)', async () => {
    const t = await trader();
    const a = decodeAsset(data(t.w.svm, t.w.foreignAsset));
    put(t.w.svm, t.w.foreignAsset, encodeAsset({ ...a, originChain: 0 }));
    expect((await request(t, 1n)).error).toBe('InvalidParameter');
    expect(t.state().collateral[0]!.amount).toBe(10_000_000_000n);
  });

  it('only the owner may withdraw (Unauthorized); WITHDRAW pause refuses it (OperationPaused)', async () => {
    const t = await trader();
    expect((await request(t, 1n, await funded(t.w.svm))).error).toBe('Unauthorized');
    await send(t.w.svm, t.w.admin, [ix.setPause(PROGRAM, { admin: t.w.admin, config: t.w.config }, 4)]);
    expect((await request(t, 1n)).error).toBe('OperationPaused');
    expect(t.state().collateral[0]!.amount).toBe(10_000_000_000n);
  });
});

describe('pause bits (OperationPaused)', () => {
  it('CREDIT=2, OPEN=8 and LIQUIDATE=16 each stop their operation and nothing else', async () => {
    const t = await trader();
    const pause = (bits: number) => send(t.w.svm, t.w.admin, [ix.setPause(PROGRAM, { admin: t.w.admin, config: t.w.config }, bits)]);
    const relayer = await funded(t.w.svm);
    const v = lockedVaa(t.w, { owner: t.owner, amount: 5n, sequence: 9n, signers: [0, 1, 2, 3, 4] });
    const credit = async () => send(t.w.svm, relayer, [await creditIx(t.w, relayer, v, t.owner, 5n, { includeOwner: false })], 400_000);
    const liquidator = await funded(t.w.svm);
    const liq = await pdas.account(PROGRAM, addressBytes(liquidator.address));
    await send(t.w.svm, liquidator, [ix.openAccount(PROGRAM, { payer: liquidator, account: liq }, addressBytes(liquidator.address))]);
    const liquidate = () => send(t.w.svm, liquidator, [ix.liquidate(PROGRAM, { liquidator, account: t.account, config: t.w.config, liquidatorAccount: liq, rest: [t.m1, t.w.foreignAsset, t.m0] })]);
    expect((await pause(2)).ok).toBe(true);
    expect((await credit()).error).toBe('OperationPaused');
    expect((await t.open(WAD)).ok).toBe(true);
    expect((await pause(8)).ok).toBe(true);
    expect((await t.open(WAD)).error).toBe('OperationPaused');
    expect((await t.close()).ok).toBe(true); // closing is never paused
    expect((await credit()).ok).toBe(true);
    expect((await pause(16)).ok).toBe(true);
    expect((await liquidate()).error).toBe('OperationPaused');
    expect((await pause(0)).ok).toBe(true);
    expect((await liquidate()).error).toBe('AccountHealthy');
  });
});

describe('open_account + credit (first credit of a new owner in two small transactions)', () => {
  it('creates the account once (idempotent), after which the credit needs no owner bytes', async () => {
    const w = await world();
    const relayer = await funded(w.svm);
    const owner = addressBytes((await funded(w.svm)).address);
    const account = await pdas.account(PROGRAM, owner);
    const open = () => send(w.svm, relayer, [ix.openAccount(PROGRAM, { payer: relayer, account }, owner)]);
    expect((await open()).ok).toBe(true);
    expect((await open()).ok).toBe(true);
    const v = lockedVaa(w, { owner, amount: 7n, sequence: 3n, signers: [0, 1, 2, 3, 4] });
    const r = await send(w.svm, relayer, [await creditIx(w, relayer, v, owner, 7n, { includeOwner: false })], 400_000);
    expect(r.error ?? r.failure).toBeUndefined();
    expect(decodeMarginAccount(data(w.svm, account)).collateral[0]!.amount).toBe(7n);
    const wrong = await pdas.account(PROGRAM, new Uint8Array(32).fill(3));
    expect((await send(w.svm, relayer, [ix.openAccount(PROGRAM, { payer: relayer, account: wrong }, owner)])).error).toBe('InvalidParameter');
  });
});
