import { DEFAULT_LIQUIDATION, RISK_PROFILE, liquidate as coreLiquidate, type LiquidationParams } from '@bulwark/core';
import type { Address, Instruction, KeyPairSigner } from '@solana/kit';
import { describe, expect, it } from 'vitest';
import { decodeConfig, decodeMarginAccount } from '../src/client/accounts.js';
import * as ix from '../src/client/instructions.js';
import { addressBytes, pdas } from '../src/client/pdas.js';
import { PROGRAM, data, funded, send } from './harness.js';
import { put } from './install.js';
import { T, trader } from './trader.js';
import { BREAKER, WAD, withMarkets, world, type World } from './world.js';

// set_liquidation_params (program/src/processor/set_liquidation_params.rs): admin only, the checks of
// core's liquidate / EVM setLiquidationParams, every configured market shown, nothing changed on error.

/** Parameters unlike both the program's initial ones and RISK_PROFILE, so a read-back proves each field was written. */
const NEW: Required<LiquidationParams> = { closeFactor: (4n * WAD) / 10n, fullLiquidationHealth: (3n * WAD) / 10n, dustNotional: 50n * WAD, penaltyRate: (3n * WAD) / 100n, liquidatorShare: (6n * WAD) / 10n, targetHealth: 2n * WAD };

async function configured(targetHealth?: bigint): Promise<{ w: World; markets: { id: number; address: Address }[] }> {
  const w = await world(7, { targetHealth });
  const { m0, m1 } = await withMarkets(w); // mmf 5% each
  return { w, markets: [{ id: 0, address: m0 }, { id: 1, address: m1 }] };
}

const setIx = (w: World, markets: { id: number; address: Address }[], x: LiquidationParams, admin: KeyPairSigner = w.admin) =>
  ix.setLiquidationParams(PROGRAM, { admin, config: w.config, markets }, x);

/** Sends `i` and expects `error` with a log line containing `log`, and the config account byte-for-byte unchanged. */
async function refused(w: World, i: Instruction, error: string, log?: string, signer: KeyPairSigner = w.admin) {
  const before = data(w.svm, w.config);
  const r = await send(w.svm, signer, [i]);
  expect(r.error, r.logs.join('\n')).toBe(error);
  if (log) expect(r.logs.some((l) => l.includes(log)), r.logs.join('\n')).toBe(true);
  expect(data(w.svm, w.config)).toEqual(before);
}

describe('set_liquidation_params', () => {
  it('the admin sets every parameter; the config reads them back and counts its markets', async () => {
    const { w, markets } = await configured();
    expect(decodeConfig(data(w.svm, w.config))).toMatchObject({ marketsCounted: true, marketCount: 2, liquidation: RISK_PROFILE.liquidation });
    const r = await send(w.svm, w.admin, [setIx(w, markets, NEW)]);
    expect(r.error ?? r.failure).toBeUndefined();
    expect(decodeConfig(data(w.svm, w.config)).liquidation).toEqual(NEW);
    // core's DEFAULT_LIQUIDATION has no targetHealth: the client sends 0 (off), as core reads it
    expect((await send(w.svm, w.admin, [setIx(w, markets, DEFAULT_LIQUIDATION)])).ok).toBe(true);
    expect(decodeConfig(data(w.svm, w.config)).liquidation).toEqual({ ...DEFAULT_LIQUIDATION, targetHealth: 0n });
  });

  it('a later liquidation closes the fraction core computes for the new target health', async () => {
    // Deployed with the close factor (target 0); 30 ETH long from 3,000 on 10,000 USDC, mark 2,750:
    // equity 2,500, mmReq 4,125, health 0.61 (partial: above fullLiquidationHealth, not dust).
    const run = async (params?: LiquidationParams) => {
      const t = await trader(0n, { targetHealth: 0n });
      expect((await t.open(30n * WAD)).error).toBeUndefined();
      await t.prices(T + 60, 2750n * WAD);
      if (params) {
        const s = await send(t.w.svm, t.w.admin, [setIx(t.w, [{ id: 1, address: t.m1 }, { id: 0, address: t.m0 }], params)]);
        expect(s.error ?? s.failure).toBeUndefined();
      }
      const before = t.state();
      const liquidator = await funded(t.w.svm);
      const liqAccount = await pdas.account(PROGRAM, addressBytes(liquidator.address));
      expect((await send(t.w.svm, liquidator, [ix.openAccount(PROGRAM, { payer: liquidator, account: liqAccount }, addressBytes(liquidator.address))])).ok).toBe(true);
      const r = await send(t.w.svm, liquidator, [ix.liquidate(PROGRAM, { liquidator, account: t.account, config: t.w.config, liquidatorAccount: liqAccount, rest: [t.m1, t.w.foreignAsset, t.m0] })]);
      expect(r.error ?? r.failure).toBeUndefined();
      return { before, after: t.state(), reward: decodeMarginAccount(data(t.w.svm, liqAccount)).settlement, fund: decodeConfig(data(t.w.svm, t.w.config)).insuranceFund };
    };
    const ctx = {
      assets: { usdc: { decimals: 6, price: WAD, weight: WAD, pendingWeight: WAD / 2n } },
      markets: { '0': { markPrice: WAD, imf: WAD / 10n, mmf: WAD / 20n, volMultiplier: WAD }, '1': { markPrice: 2750n * WAD, imf: WAD / 10n, mmf: WAD / 20n, volMultiplier: WAD } },
    };
    const expectCore = (got: Awaited<ReturnType<typeof run>>, params: LiquidationParams) => {
      const account = {
        settlement: got.before.settlement,
        collateral: got.before.collateral.map((c) => ({ asset: 'usdc', amount: c.amount })),
        positions: got.before.positions.map((p) => ({ market: String(p.market), size: p.size, entryPrice: p.entryPrice })),
      };
      const core = coreLiquidate(account, ctx, 0n, params);
      expect(got.after.positions.map((p) => p.size)).toEqual(core.account.positions.map((p) => p.size));
      expect(got.after.settlement).toBe(core.account.settlement);
      expect(got.reward).toBe(core.liquidatorReward);
      expect(got.fund).toBe(core.insuranceFundAfter);
      return core;
    };

    const target = await run(RISK_PROFILE.liquidation);
    const core = expectCore(target, RISK_PROFILE.liquidation);
    expect(core.fraction).toBeGreaterThan((81n * WAD) / 100n); // (6,187.5 - 2,500) / (6,187.5 - 1,650) = 0.8127
    expect(core.fraction).toBeLessThan((82n * WAD) / 100n);
    expect(core.after.health).toBeGreaterThanOrEqual((3n * WAD) / 2n);
    // Without the instruction the same account loses the close factor's half.
    const unchanged = await run();
    expect(expectCore(unchanged, { ...RISK_PROFILE.liquidation, targetHealth: 0n }).fraction).toBe(WAD / 2n);
    expect(unchanged.after.positions[0]!.size).toBe(15n * WAD);
  });

  it('refuses a signer that is not the admin (Unauthorized), config unchanged', async () => {
    const { w, markets } = await configured();
    const other = await funded(w.svm);
    await refused(w, setIx(w, markets, NEW, other), 'Unauthorized', 'not the admin', other);
  });

  const WAD1 = WAD + 1n;
  it.each<[string, Partial<LiquidationParams>, string]>([
    ['closeFactor 0', { closeFactor: 0n }, 'closeFactor'],
    ['closeFactor above 1', { closeFactor: WAD1 }, 'closeFactor'],
    ['fullLiquidationHealth above 1', { fullLiquidationHealth: WAD1 }, 'fullLiquidationHealth'],
    ['penaltyRate above 1', { penaltyRate: WAD1 }, 'penaltyRate'],
    ['liquidatorShare above 1', { liquidatorShare: WAD1 }, 'liquidatorShare'],
    ['targetHealth below 1', { targetHealth: WAD - 1n }, 'targetHealth'],
    // 1.5 x 5% = 7.5% = the penalty: closing part of a position would not raise health
    ['targetHealth x mmf not above penaltyRate', { targetHealth: (3n * WAD) / 2n, penaltyRate: (75n * WAD) / 1000n }, 'targetHealth x mmf'],
  ])('refuses %s (InvalidParameter naming the field), config unchanged', async (_n, bad, field) => {
    const { w, markets } = await configured();
    await refused(w, setIx(w, markets, { ...NEW, ...bad }), 'InvalidParameter', field);
  });

  it('accepts the boundaries: closeFactor and every fraction exactly 1, target exactly 1 with mmf above the penalty', async () => {
    const { w, markets } = await configured();
    const edge = { closeFactor: WAD, fullLiquidationHealth: WAD, dustNotional: 0n, penaltyRate: WAD / 20n - 1n, liquidatorShare: WAD, targetHealth: WAD };
    expect((await send(w.svm, w.admin, [setIx(w, markets, edge)])).ok).toBe(true);
    expect(decodeConfig(data(w.svm, w.config)).liquidation).toEqual(edge);
  });

  it('refuses unless every configured market is shown once: missing, repeated, out of order or not a market', async () => {
    const { w, markets } = await configured();
    const [m0, m1] = markets as [{ id: number; address: Address }, { id: number; address: Address }];
    await refused(w, setIx(w, [m1], NEW), 'InvalidParameter', 'every configured market');
    await refused(w, setIx(w, [], NEW), 'InvalidParameter', 'every configured market');
    // market 2, mmf 1.4%: fine for the current target (1.5 x 1.4% > 2%), in breach of NEW's (2 x 1.4% < 3%)
    const m2 = await pdas.market(PROGRAM, 2);
    expect((await send(w.svm, w.admin, [ix.configureMarket(PROGRAM, { admin: w.admin, config: w.config, market: m2 }, { id: 2, imf: WAD / 10n, mmf: (14n * WAD) / 1000n, ...BREAKER })])).ok).toBe(true);
    expect(decodeConfig(data(w.svm, w.config)).marketCount).toBe(3);
    await refused(w, setIx(w, markets, NEW), 'InvalidParameter', 'every configured market');
    // hidden behind a repeat of a good market (the count would match)
    await refused(w, setIx(w, [m0, m1, m1], NEW), 'InvalidParameter', 'ascending id order');
    await refused(w, setIx(w, [m0, m1, { id: 2, address: w.foreignAsset }], NEW), 'InvalidParameter', 'not a market account');
    const passing = { ...NEW, targetHealth: 4n * WAD }; // 4 x 1.4% > 3%: only the order is wrong
    const reversed = setIx(w, [m0, m1, { id: 2, address: m2 }], passing);
    await refused(w, { ...reversed, accounts: [...reversed.accounts!.slice(0, 2), ...reversed.accounts!.slice(2).reverse()] }, 'InvalidParameter', 'ascending id order');
    // shown all three: market 2 fails the check; a higher target passes
    await refused(w, setIx(w, [m0, m1, { id: 2, address: m2 }], NEW), 'InvalidParameter', 'targetHealth x mmf');
    expect((await send(w.svm, w.admin, [setIx(w, [m0, m1, { id: 2, address: m2 }], passing)])).ok).toBe(true);
    expect(decodeConfig(data(w.svm, w.config)).liquidation).toEqual(passing);
  });

  it('refuses instruction data of the wrong length (TruncatedPayload / TrailingBytes), config unchanged', async () => {
    const { w, markets } = await configured();
    const good = setIx(w, markets, NEW);
    expect(good.data!.length).toBe(1 + 6 * 16);
    await refused(w, { ...good, data: good.data!.slice(0, -1) }, 'TruncatedPayload');
    await refused(w, { ...good, data: new Uint8Array([...good.data!, 0]) }, 'TrailingBytes');
    await refused(w, { ...good, data: good.data!.slice(0, 1) }, 'TruncatedPayload');
  });

  it('on a config initialized before markets were counted, only turns the target off', async () => {
    const { w, markets } = await configured();
    // what a config made by the earlier program looks like: markets_counted and market_count were padding (0)
    const legacy = data(w.svm, w.config);
    legacy[3] = 0;
    legacy.fill(0, 252, 256);
    put(w.svm, w.config, legacy);
    expect(decodeConfig(data(w.svm, w.config))).toMatchObject({ marketsCounted: false, marketCount: 0 });
    await refused(w, setIx(w, markets, NEW), 'InvalidParameter', 'before markets were counted');
    await refused(w, setIx(w, [], NEW), 'InvalidParameter', 'before markets were counted');
    const off = { ...NEW, targetHealth: 0n };
    expect((await send(w.svm, w.admin, [setIx(w, [], off)])).ok).toBe(true);
    expect(decodeConfig(data(w.svm, w.config)).liquidation).toEqual(off);
  });

  it('refuses a value outside u128 in the client, naming the field', async () => {
    const { w, markets } = await configured();
    expect(() => setIx(w, markets, { ...NEW, dustNotional: 1n << 128n })).toThrowError(expect.objectContaining({ name: 'InvalidParameter', field: 'dustNotional' }));
    expect(() => setIx(w, markets, { ...NEW, penaltyRate: -1n })).toThrowError(expect.objectContaining({ name: 'InvalidParameter', field: 'penaltyRate' }));
  });
});
