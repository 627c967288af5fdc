import { describe, expect, it } from 'vitest';
import * as ix from '../src/client/instructions.js';
import { decodeConfig, decodeGuardianSet, decodeMarginAccount } from '../src/client/accounts.js';
import { addressBytes, pdas } from '../src/client/pdas.js';
import { bodyHash, encodeBody, encodeVaa, payloads, signBody, testGuardians, type Guardian } from '../src/client/vaa.js';
import { PROGRAM, data, funded, send } from './harness.js';
import { CHAIN, GOV_EMITTER, lockedVaa, setTime, world, type World } from './world.js';

const T = 1_700_000_000;
const NEW = testGuardians(5, 7);

function upgradeVaa(w: World, o: { newIndex?: number; target?: number; emitter?: Uint8Array; signers?: number[]; keys?: Uint8Array[]; sequence?: bigint } = {}) {
  const payload = payloads.guardianSetUpgrade(o.target ?? 0, o.newIndex ?? 1, o.keys ?? NEW.map((g) => g.address));
  const body = encodeBody({ timestamp: T, nonce: 0, emitterChain: CHAIN, emitterAddress: o.emitter ?? GOV_EMITTER, sequence: o.sequence ?? 1n, consistencyLevel: 1, payload });
  return { vaa: encodeVaa(0, signBody(body, w.guardians, o.signers ?? [0, 1, 2, 3, 4]), body), hash: bodyHash(body) };
}

async function upgrade(w: World, v: { vaa: Uint8Array; hash: Uint8Array }, newIndex = 1) {
  const payer = await funded(w.svm);
  return send(w.svm, payer, [ix.upgradeGuardianSet(PROGRAM, {
    payer, config: w.config, current: w.gs0, next: await pdas.guardianSet(PROGRAM, newIndex), consumed: await pdas.consumed(PROGRAM, v.hash),
  }, v.vaa)], 400_000);
}

/** Credits 1 unit signed by `signers` of `guardians` as guardian set `index`. */
async function creditWith(w: World, index: number, guardians: Guardian[], signers: number[], sequence: bigint) {
  const relayer = await funded(w.svm);
  const owner = addressBytes(w.user.address);
  const v = lockedVaa(w, { owner, amount: 1n, sequence, signers: [0] });
  const data = ix.encodeCompactCredit({ owner, guardianSetIndex: index, body: v.body, amount: 1n, depositor: v.depositor, sigs: signBody(v.body, guardians, signers) });
  return send(w.svm, relayer, [ix.creditCollateral(PROGRAM, {
    payer: relayer, config: w.config, guardianSet: await pdas.guardianSet(PROGRAM, index), emitter: w.vaultEmitter, asset: w.foreignAsset,
    consumed: await pdas.consumed(PROGRAM, v.hash), account: await pdas.account(PROGRAM, owner),
  }, data)], 400_000);
}

describe('upgrade_guardian_set', () => {
  it('installs set 1; set 0 keeps signing for the overlap window, then GuardianSetExpired', async () => {
    const w = await world();
    setTime(w, T);
    const r = await upgrade(w, upgradeVaa(w));
    expect(r.error ?? r.failure).toBeUndefined();
    expect(decodeConfig(data(w.svm, w.config)).guardianSetIndex).toBe(1);
    const g1 = decodeGuardianSet(data(w.svm, await pdas.guardianSet(PROGRAM, 1)));
    expect(g1.keys.map((k) => Buffer.from(k).toString('hex'))).toEqual(NEW.map((g) => Buffer.from(g.address).toString('hex')));
    expect(decodeGuardianSet(data(w.svm, w.gs0)).expirationTime).toBe(BigInt(T + 86_400));
    expect((await creditWith(w, 1, NEW, [0, 1, 2, 3], 1n)).error).toBeUndefined();
    setTime(w, T + 86_400); // last second of the overlap
    expect((await creditWith(w, 0, w.guardians, [0, 1, 2, 3, 4], 2n)).error).toBeUndefined();
    setTime(w, T + 86_401);
    expect((await creditWith(w, 0, w.guardians, [0, 1, 2, 3, 4], 3n)).error).toBe('GuardianSetExpired');
    expect((await creditWith(w, 1, NEW, [0, 1, 2, 3], 4n)).error).toBeUndefined();
    expect(decodeMarginAccount(data(w.svm, await pdas.account(PROGRAM, addressBytes(w.user.address)))).collateral[0]!.amount).toBe(3n);
    // Set 0 is no longer current: it cannot sign governance any more.
    expect((await upgrade(w, upgradeVaa(w, { newIndex: 2, sequence: 2n }), 2)).error).toBe('InvalidGovernance');
  });

  it.each([
    ['InvalidGovernance', { emitter: new Uint8Array(32).fill(8) }],
    ['InvalidGovernance', { newIndex: 2 }],
    ['WrongDestinationChain', { target: 10002 }],
    ['QuorumNotMet', { signers: [0, 1, 2, 3] }],
    ['NonCanonicalEncoding', { keys: [NEW[0]!.address, NEW[0]!.address] }],
  ] as const)('refuses %s and keeps set 0 current', async (name, o) => {
    const w = await world();
    setTime(w, T);
    const r = await upgrade(w, upgradeVaa(w, o as never), (o as { newIndex?: number }).newIndex ?? 1);
    expect(r.error).toBe(name);
    expect(decodeConfig(data(w.svm, w.config)).guardianSetIndex).toBe(0);
    expect(decodeGuardianSet(data(w.svm, w.gs0)).expirationTime).toBe(0n);
  });

  it('a credit naming a set that does not exist yet is GuardianSetUnknown', async () => {
    const w = await world();
    expect((await creditWith(w, 1, NEW, [0, 1, 2, 3], 1n)).error).toBe('GuardianSetUnknown');
  });
});
