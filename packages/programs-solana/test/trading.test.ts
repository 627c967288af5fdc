import { describe, expect, it } from 'vitest';
import * as ix from '../src/client/instructions.js';
import { decodeConfig, decodeMarket } from '../src/client/accounts.js';
import { addressBytes, pdas } from '../src/client/pdas.js';
import { PROGRAM, data, funded, send } from './harness.js';
import { WAD, postPrices, setTime } from './world.js';
import { T, trader } from './trader.js';

describe('update_price', () => {
  it('applies a PriceReport signed by the oracle set to every listed market', async () => {
    const t = await trader();
    await t.prices(T + 30, 3100n * WAD);
    const m = decodeMarket(data(t.w.svm, t.m1));
    expect([m.markPrice, m.publishTime, m.lastUpdate, m.status]).toEqual([3100n * WAD, BigInt(T + 30), BigInt(T + 30), 0]);
  });

  const bad: [string, number, Parameters<typeof postPrices>[4] & { prices?: [number, bigint][]; swap?: boolean }][] = [
    ['StalePrice', T + 30, {}],
    ['FuturePrice', T + 106, {}],
    ['StaleUpdate', T, {}],
    ['UnknownEmitter', T + 90, { emitter: new Uint8Array(32).fill(6) }],
    ['QuorumNotMet', T + 90, { signers: [0, 1] }],
    ['InvalidPrice', T + 90, { prices: [[0, WAD], [1, 0n]] }],
    ['UnknownMarket', T + 90, { swap: true }],
  ];
  it.each(bad)('refuses %s and changes no market', async (name, publishTime, o) => {
    const t = await trader();
    setTime(t.w, name === 'StaleUpdate' ? T + 10 : T + 100);
    const before = data(t.w.svm, t.m1);
    const r = await postPrices(t.w, publishTime, o.prices ?? [[0, WAD], [1, 2900n * WAD]], o.swap ? [t.m1, t.m0] : [t.m0, t.m1], o);
    expect(r.error).toBe(name);
    expect(data(t.w.svm, t.m1)).toEqual(before);
  });

  it('refuses a report checked against the relayer guardian set (GuardianSetUnknown)', async () => {
    const t = await trader();
    const r = await postPrices(t.w, T + 1, [[0, WAD], [1, WAD]], [t.m0, t.m1], { oracleSet: t.w.gs0 });
    expect(r.error).toBe('GuardianSetUnknown');
  });
});

describe('open_position / close_position', () => {
  it('opens at mark with the fee to the insurance fund, then closes realizing the PnL', async () => {
    const t = await trader(5n * 10n ** 14n);
    expect((await t.open(2n * WAD)).error).toBeUndefined();
    let a = t.state();
    expect(a.positions).toEqual([{ market: 1, size: 2n * WAD, entryPrice: 3000n * WAD }]);
    expect(a.settlement).toBe(-3n * WAD);
    expect(decodeConfig(data(t.w.svm, t.w.config)).insuranceFund).toBe(3n * WAD);
    await t.prices(T + 60, 3100n * WAD);
    const r = await t.close();
    expect(r.error ?? r.failure).toBeUndefined();
    a = t.state();
    expect(a.positions).toEqual([]);
    // +200 realized, fees 3 + wMulUp(6,200, 0.0005) = 3.1
    expect(a.settlement).toBe(200n * WAD - 3n * WAD - 31n * WAD / 10n);
  });

  it.each([
    ['ZeroAmount', 0n, 1],
    ['InvalidAmount', -(1n << 127n), 1],
    ['InsufficientMargin', 100n * WAD, 1],
    ['UnknownMarket', WAD, 7],
  ] as const)('open refuses %s and changes nothing', async (name, size, market) => {
    const t = await trader();
    const before = data(t.w.svm, t.account);
    expect((await t.open(size, undefined, market)).error).toBe(name);
    expect(data(t.w.svm, t.account)).toEqual(before);
  });

  it('only the owner may trade (Unauthorized) and closing nothing is PositionNotFound', async () => {
    const t = await trader();
    const other = await funded(t.w.svm);
    expect((await t.open(WAD, other)).error).toBe('Unauthorized');
    expect((await t.close()).error).toBe('PositionNotFound');
    expect((await t.open(WAD)).ok).toBe(true);
    expect((await t.close(other)).error).toBe('Unauthorized');
    expect(t.state().positions).toHaveLength(1);
  });

  it('refuses a market that has no price yet (InvalidPrice)', async () => {
    const t = await trader();
    const m2 = await pdas.market(PROGRAM, 2);
    await send(t.w.svm, t.w.admin, [ix.configureMarket(PROGRAM, { admin: t.w.admin, config: t.w.config, market: m2 }, { id: 2, imf: WAD / 10n, mmf: WAD / 20n, maxMoveBps: 1500n, window: 300n, haltDuration: 600n, cooldown: 300n, maxOracleGap: 120n, liquidationGrace: 120n })]);
    const r = await send(t.w.svm, t.w.user, [ix.openPosition(PROGRAM, { owner: t.w.user, account: t.account, config: t.w.config, rest: [m2, t.w.foreignAsset, t.m0] }, { market: 2, size: WAD })]);
    expect(r.error).toBe('InvalidPrice');
  });
});

describe('circuit breaker through update_price and trading', () => {
  it('halts on a large move, cools down, then resumes with a liquidation grace period', async () => {
    const t = await trader();
    const liquidator = await funded(t.w.svm);
    const liqAccount = await pdas.account(PROGRAM, addressBytes(liquidator.address));
    expect((await send(t.w.svm, liquidator, [ix.openAccount(PROGRAM, { payer: liquidator, account: liqAccount }, addressBytes(liquidator.address))])).ok).toBe(true);
    const liquidate = () => send(t.w.svm, liquidator, [ix.liquidate(PROGRAM, { liquidator, account: t.account, config: t.w.config, liquidatorAccount: liqAccount, rest: [t.m1, t.w.foreignAsset, t.m0] })]);
    expect((await t.open(WAD)).ok).toBe(true);
    await t.prices(T + 60, 2500n * WAD); // -16.7% against the reference: beyond 15%
    expect(decodeMarket(data(t.w.svm, t.m1)).status).toBe(1);
    expect((await t.open(WAD)).error).toBe('MarketHalted');
    expect((await t.close()).error).toBe('MarketHalted');
    expect((await liquidate()).error).toBe('MarketHalted');
    for (const s of [180, 300, 420, 540]) await t.prices(T + s, 2500n * WAD);
    expect(decodeMarket(data(t.w.svm, t.m1)).status).toBe(1); // halt lasts 600 s
    await t.prices(T + 660, 2500n * WAD);
    expect(decodeMarket(data(t.w.svm, t.m1)).status).toBe(2); // cooldown: close yes, open no
    expect((await t.open(WAD)).error).toBe('MarketHalted');
    expect((await t.close()).error).toBeUndefined();
    for (const s of [780, 900]) await t.prices(T + s, 2500n * WAD);
    await t.prices(T + 960, 2500n * WAD);
    const m = decodeMarket(data(t.w.svm, t.m1));
    expect([m.status, m.graceUntil]).toEqual([0, BigInt(T + 960 + 120)]);
    expect((await t.open(WAD)).ok).toBe(true);
    expect((await liquidate()).error).toBe('GracePeriod');
    await t.prices(T + 1080, 2500n * WAD);
    setTime(t.w, T + 1081);
    expect((await liquidate()).error).toBe('AccountHealthy'); // grace over; the account is healthy
  });

  it('an oracle silent for longer than maxOracleGap halts the market', async () => {
    const t = await trader();
    setTime(t.w, T + 121);
    expect((await t.open(WAD)).error).toBe('MarketHalted');
    setTime(t.w, T + 120);
    expect((await t.open(WAD)).ok).toBe(true);
  });
});
