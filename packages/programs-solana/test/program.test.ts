import { describe, expect, it } from 'vitest';
import * as ix from '../src/client/instructions.js';
import { decodeConfig, decodeMarginAccount, decodeMessage, decodeAsset } from '../src/client/accounts.js';
import { addressBytes, pdas } from '../src/client/pdas.js';
import { PROGRAM, data, funded, send, tokenAmount } from './harness.js';
import { CHAIN_A, ENGINE_A, USDC_A, creditIx, lockedVaa, world } from './world.js';

describe('lock_collateral', () => {
  it('moves tokens into the vault and records a CollateralLocked message', async () => {
    const w = await world();
    const message = await pdas.message(PROGRAM, 0n);
    const account = new Uint8Array(32).fill(9);
    const r = await send(w.svm, w.user, [ix.lockCollateral(PROGRAM, { depositor: w.user, config: w.config, asset: w.localAsset, source: w.userToken, vault: w.vault, message }, { amount: 1_000_000n, destinationChain: CHAIN_A, account, nonce: 3 })]);
    expect(r.error ?? r.failure).toBeUndefined();
    expect(tokenAmount(w.svm, w.vault)).toBe(1_000_000n);
    expect(tokenAmount(w.svm, w.userToken)).toBe(4_999_000_000n);
    const m = decodeMessage(data(w.svm, message));
    expect(m.sequence).toBe(0n);
    expect(m.payload[0]).toBe(1);
    expect(Buffer.from(m.payload.subarray(4, 36))).toEqual(Buffer.from(account));
    expect(Buffer.from(m.payload.subarray(84, 116))).toEqual(Buffer.from(addressBytes(w.user.address)));
    expect(decodeConfig(data(w.svm, w.config)).messageSequence).toBe(1n);
    expect(r.logs.some((l) => l.startsWith('Program data: '))).toBe(true);
  });

  it.each([
    ['ZeroAmount', 0n, CHAIN_A],
    ['CapExceeded', 2_000_000_000n, CHAIN_A],
    ['InvalidParameter', 1n, 0],
  ] as const)('rejects with %s and changes nothing', async (name, amount, dest) => {
    const w = await world();
    const message = await pdas.message(PROGRAM, 0n);
    const r = await send(w.svm, w.user, [ix.lockCollateral(PROGRAM, { depositor: w.user, config: w.config, asset: w.localAsset, source: w.userToken, vault: w.vault, message }, { amount, destinationChain: dest, account: new Uint8Array(32), nonce: 0 })]);
    expect(r.error).toBe(name);
    expect(tokenAmount(w.svm, w.vault)).toBe(0n);
    expect(decodeAsset(data(w.svm, w.localAsset)).totalLocked).toBe(0n);
  });

  it('is refused while LOCK is paused (OperationPaused)', async () => {
    const w = await world();
    expect((await send(w.svm, w.admin, [ix.setPause(PROGRAM, { admin: w.admin, config: w.config }, 1)])).ok).toBe(true);
    const message = await pdas.message(PROGRAM, 0n);
    const r = await send(w.svm, w.user, [ix.lockCollateral(PROGRAM, { depositor: w.user, config: w.config, asset: w.localAsset, source: w.userToken, vault: w.vault, message }, { amount: 5n, destinationChain: CHAIN_A, account: new Uint8Array(32), nonce: 0 })]);
    expect(r.error).toBe('OperationPaused');
  });

  it('only the admin may pause (Unauthorized)', async () => {
    const w = await world();
    const r = await send(w.svm, w.user, [ix.setPause(PROGRAM, { admin: w.user, config: w.config }, 1)]);
    expect(r.error).toBe('Unauthorized');
  });
});

describe('credit_collateral (5-of-7 guardians)', () => {
  it('credits a quorum-signed CollateralLocked and refuses the same VAA twice', async () => {
    const w = await world();
    const relayer = await funded(w.svm);
    const owner = addressBytes(w.user.address);
    const v = lockedVaa(w, { owner, amount: 250_000_000n, sequence: 1n, signers: [0, 1, 2, 4, 6] });
    const first = await send(w.svm, relayer, [await creditIx(w, relayer, v, owner, 250_000_000n)], 400_000);
    expect(first.error ?? first.failure).toBeUndefined();
    const acct = decodeMarginAccount(data(w.svm, await pdas.account(PROGRAM, owner)));
    expect(acct.collateral).toHaveLength(1);
    expect(acct.collateral[0]!.amount).toBe(250_000_000n);
    expect(Buffer.from(acct.collateral[0]!.assetId)).toEqual(Buffer.from(USDC_A));
    const again = await send(w.svm, relayer, [await creditIx(w, relayer, v, owner, 250_000_000n, { includeOwner: false })], 400_000);
    expect(again.error).toBe('VaaAlreadyConsumed');
    expect(decodeMarginAccount(data(w.svm, await pdas.account(PROGRAM, owner))).collateral[0]!.amount).toBe(250_000_000n);
  });

  it('rejects a VAA from an unknown emitter (UnknownEmitter)', async () => {
    const w = await world();
    const relayer = await funded(w.svm);
    const owner = addressBytes(w.user.address);
    const v = lockedVaa(w, { owner, amount: 5n, sequence: 1n, signers: [0, 1, 2, 3, 4], emitter: ENGINE_A });
    // The engine is registered, but not as a vault: its CollateralLocked must not be credited.
    const r = await send(w.svm, relayer, [await creditIx(w, relayer, v, owner, 5n, { emitter: w.engineEmitter })], 400_000);
    expect(r.error).toBe('UnknownEmitter');
    const unregistered = await pdas.emitter(PROGRAM, 10003, ENGINE_A);
    const r2 = await send(w.svm, relayer, [await creditIx(w, relayer, v, owner, 5n, { emitter: unregistered })], 400_000);
    expect(r2.error).toBe('UnknownEmitter');
  });

  it.each([
    ['QuorumNotMet', [0, 1, 2, 3]],
    ['SignaturesNotAscending', [0, 2, 1, 3, 4]],
    ['GuardianIndexOutOfRange', [0, 1, 2, 3, 7]],
  ] as const)('rejects %s', async (name, signers) => {
    const w = await world();
    const relayer = await funded(w.svm);
    const owner = addressBytes(w.user.address);
    const v = lockedVaa(w, { owner, amount: 5n, sequence: 1n, signers: signers.filter((i) => i < 7) });
    if (name === 'GuardianIndexOutOfRange') v.sigs.push({ index: 7, v: 0, rs: new Uint8Array(64).fill(1) });
    const r = await send(w.svm, relayer, [await creditIx(w, relayer, v, owner, 5n)], 400_000);
    expect(r.error).toBe(name);
    expect(w.svm.getAccount(await pdas.account(PROGRAM, owner)).exists).toBe(false);
  });

  it('rejects a tampered amount (InvalidSignature) and a VAA for another chain', async () => {
    const w = await world();
    const relayer = await funded(w.svm);
    const owner = addressBytes(w.user.address);
    const v = lockedVaa(w, { owner, amount: 5n, sequence: 1n, signers: [0, 1, 2, 3, 4] });
    expect((await send(w.svm, relayer, [await creditIx(w, relayer, v, owner, 6n)], 400_000)).error).toBe('InvalidSignature');
    const other = lockedVaa(w, { owner, amount: 5n, sequence: 2n, signers: [0, 1, 2, 3, 4], destination: 10003 });
    // The destination chain is taken from the config, so a VAA for 10003 cannot verify here.
    expect((await send(w.svm, relayer, [await creditIx(w, relayer, other, owner, 5n)], 400_000)).error).toBe('InvalidSignature');
  });
});
