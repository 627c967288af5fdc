import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as ix from '../src/client/instructions.js';
import { decodeConfig, decodeMarginAccount, decodeMessage } from '../src/client/accounts.js';
import { pdas } from '../src/client/pdas.js';
import { PROGRAM, data, funded, send } from './harness.js';
import { addr, asVector, id32, installCase, put } from './install.js';
import { encodeMarginAccount } from '../src/client/accounts.js';
import { addressBytes } from '../src/client/pdas.js';

// margin.json trade/withdraw cases and liquidation.json liquidate cases through the real
// open_position / request_withdrawal / liquidate instructions on installed accounts.
type V = { name: string; op: string; input: any; output?: any; expectError?: string };
const load = (f: string): V[] => JSON.parse(readFileSync(new URL(`../../../vectors/${f}.json`, import.meta.url), 'utf8')).cases;

async function healthOf(svm: any, payer: any, account: any, rest: any[]) {
  const r = await send(svm, payer, [ix.health(PROGRAM, { account, rest })]);
  expect(r.error ?? r.failure).toBeUndefined();
  return ix.decodeHealth(r.returnData);
}
function expectHealth(h: ReturnType<typeof ix.decodeHealth>, want: any) {
  expect({ collateralValue: h.collateralValue.toString(), equity: h.equity.toString(), imReq: h.imReq.toString(), mmReq: h.mmReq.toString(), health: String(h.health) })
    .toEqual({ collateralValue: want.collateralValue, equity: want.equity, imReq: want.imReq, mmReq: want.mmReq, health: want.health });
}

describe('vectors/margin.json trade cases through open_position', () => {
  it.each(load('margin').filter((c) => c.op === 'trade').map((c) => [c.name, c] as const))('%s', async (_n, c) => {
    const w = await installCase(c.input, { feeRate: BigInt(c.input.feeRate) });
    const before = data(w.svm, w.account);
    const r = await send(w.svm, w.owner, [ix.openPosition(PROGRAM, { owner: w.owner, account: w.account, config: w.config, rest: w.rest }, { market: c.input.market, size: BigInt(c.input.sizeDelta) })]);
    if (c.expectError) {
      expect(r.error).toBe(c.expectError);
      expect(data(w.svm, w.account)).toEqual(before);
      return;
    }
    expect(r.error ?? r.failure).toBeUndefined();
    expect(asVector(decodeMarginAccount(data(w.svm, w.account)))).toEqual(c.output.account);
    expect(decodeConfig(data(w.svm, w.config)).insuranceFund.toString()).toBe(c.output.fee);
    expectHealth(await healthOf(w.svm, w.owner, w.account, w.rest), c.output.health);
  });
});

describe('vectors/margin.json withdraw cases through request_withdrawal', () => {
  it.each(load('margin').filter((c) => c.op === 'withdraw').map((c) => [c.name, c] as const))('%s', async (_n, c) => {
    const w = await installCase(c.input);
    const before = data(w.svm, w.account);
    const message = await pdas.message(PROGRAM, 0n);
    const recipient = new Uint8Array(32).fill(0x77);
    const r = await send(w.svm, w.owner, [ix.requestWithdrawal(PROGRAM, { owner: w.owner, account: w.account, config: w.config, message, rest: w.rest }, { assetId: id32(c.input.asset), amount: BigInt(c.input.amount), recipient })]);
    if (c.expectError) {
      expect(r.error).toBe(c.expectError);
      expect(data(w.svm, w.account)).toEqual(before);
      expect(w.svm.getAccount(message).exists).toBe(false);
      return;
    }
    expect(r.error ?? r.failure).toBeUndefined();
    expect(asVector(decodeMarginAccount(data(w.svm, w.account)))).toEqual(c.output.account);
    expectHealth(await healthOf(w.svm, w.owner, w.account, w.rest), c.output.health);
    // WithdrawalApproved: type 2, originChain 10002, account = owner, asset, amount, recipient, withdrawalId 0.
    const m = decodeMessage(data(w.svm, message));
    expect(m.payload.length).toBe(124);
    expect([m.payload[0], m.payload[1], (m.payload[2]! << 8) | m.payload[3]!]).toEqual([2, 1, 10002]);
    expect(m.payload.subarray(4, 36)).toEqual(addressBytes(w.owner.address));
    expect(m.payload.subarray(36, 68)).toEqual(id32(c.input.asset));
    expect(BigInt('0x' + Buffer.from(m.payload.subarray(68, 84)).toString('hex'))).toBe(BigInt(c.input.amount));
    expect(m.payload.subarray(84, 116)).toEqual(recipient);
    expect(r.logs.some((l) => l.startsWith('Program data: '))).toBe(true);
    expect(decodeConfig(data(w.svm, w.config)).messageSequence).toBe(1n);
  });
});

describe('vectors/liquidation.json liquidate cases through liquidate', () => {
  it.each(load('liquidation').filter((c) => c.op === 'liquidate').map((c) => [c.name, c] as const))('%s', async (_n, c) => {
    const w = await installCase(c.input, { insuranceFund: BigInt(c.input.insuranceFund), params: c.input.params });
    const liquidator = await funded(w.svm);
    const liqAccount = addr(888);
    put(w.svm, liqAccount, encodeMarginAccount({ owner: addressBytes(liquidator.address), settlement: 0n, collateral: [], positions: [] }));
    const before = data(w.svm, w.account);
    const r = await send(w.svm, liquidator, [ix.liquidate(PROGRAM, { liquidator, account: w.account, config: w.config, liquidatorAccount: liqAccount, rest: w.rest })]);
    if (c.expectError) {
      expect(r.error).toBe(c.expectError);
      expect(data(w.svm, w.account)).toEqual(before);
      return;
    }
    expect(r.error ?? r.failure).toBeUndefined();
    const o = c.output;
    expect(asVector(decodeMarginAccount(data(w.svm, w.account)))).toEqual(o.account);
    expect(decodeMarginAccount(data(w.svm, liqAccount)).settlement.toString()).toBe(o.liquidatorReward);
    const cfg = decodeConfig(data(w.svm, w.config));
    expect(cfg.insuranceFund.toString()).toBe(o.insuranceFundAfter);
    expect(cfg.socializedLoss.toString()).toBe(o.socialized);
    const h = await healthOf(w.svm, liquidator, w.account, w.rest);
    expect(String(h.health)).toBe(o.healthAfter);
    expect(h.equity.toString()).toBe(o.equityAfter);
  });
});
