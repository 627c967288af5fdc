import { RISK_PROFILE } from '@bulwark/core';
import { describe, expect, it } from 'vitest';
import { decodeConfig } from '../src/client/accounts.js';
import * as ix from '../src/client/instructions.js';
import { pdas } from '../src/client/pdas.js';
import { testGuardians } from '../src/client/vaa.js';
import { PROGRAM, data, funded, newSvm, send } from './harness.js';
import { configBytes, put } from './install.js';
import { BREAKER, GOV_EMITTER, ORACLE_EMITTER, WAD } from './world.js';

async function init(targetHealth?: bigint) {
  const svm = newSvm();
  const admin = await funded(svm);
  const config = await pdas.config(PROGRAM);
  const keys = testGuardians(1).map((g) => g.address);
  const r = await send(svm, admin, [ix.initialize(PROGRAM, { admin, config, guardianSet: await pdas.guardianSet(PROGRAM, 0), oracleSet: await pdas.oracleSet(PROGRAM, 0) }, {
    chainId: 1, overlap: 86_400, governanceChain: 1, governanceEmitter: GOV_EMITTER, oracleChain: 1, oracleEmitter: ORACLE_EMITTER,
    priceMaxAge: 60, priceMaxFuture: 5, guardians: keys, oracles: keys, targetHealth,
  })]);
  return { svm, admin, config, r };
}

describe('liquidation target health (config v2)', () => {
  it('initialize with defaults stores RISK_PROFILE.liquidation: target health 1.5, penalty 2%', async () => {
    const d = await init();
    expect(d.r.ok).toBe(true);
    const c = decodeConfig(data(d.svm, d.config));
    expect(c.liquidation).toEqual(RISK_PROFILE.liquidation);
    expect(c.liquidation).toEqual({ closeFactor: WAD / 2n, fullLiquidationHealth: WAD / 2n, dustNotional: 100n * WAD, penaltyRate: WAD / 50n, liquidatorShare: WAD / 2n, targetHealth: (3n * WAD) / 2n });
  });

  it('initialize stores an explicit target health; 0n turns it off (the close factor)', async () => {
    const off = await init(0n);
    expect(off.r.ok).toBe(true);
    expect(decodeConfig(data(off.svm, off.config)).liquidation).toEqual({ ...RISK_PROFILE.liquidation, targetHealth: 0n });
    const on = await init(2n * WAD);
    expect(on.r.ok).toBe(true);
    expect(decodeConfig(data(on.svm, on.config)).liquidation.targetHealth).toBe(2n * WAD);
  });

  it('the program still reads an initialize without the trailing target health as 0 (off)', async () => {
    const svm = newSvm();
    const admin = await funded(svm);
    const config = await pdas.config(PROGRAM);
    const keys = testGuardians(1).map((g) => g.address);
    const full = ix.initialize(PROGRAM, { admin, config, guardianSet: await pdas.guardianSet(PROGRAM, 0), oracleSet: await pdas.oracleSet(PROGRAM, 0) }, {
      chainId: 1, overlap: 86_400, governanceChain: 1, governanceEmitter: GOV_EMITTER, oracleChain: 1, oracleEmitter: ORACLE_EMITTER,
      priceMaxAge: 60, priceMaxFuture: 5, guardians: keys, oracles: keys,
    });
    const r = await send(svm, admin, [{ ...full, data: full.data!.slice(0, -16) }]);
    expect(r.ok).toBe(true);
    expect(decodeConfig(data(svm, config)).liquidation.targetHealth).toBe(0n);
  });

  it('refuses a target health that does not fit a u128 before sending, naming the field', async () => {
    await expect(init(1n << 128n)).rejects.toThrowError(expect.objectContaining({ name: 'InvalidParameter', field: 'targetHealth' }));
    await expect(init(-1n)).rejects.toThrowError(expect.objectContaining({ name: 'InvalidParameter', field: 'targetHealth' }));
  });

  it('refuses a target below 1 at initialize, and a market whose mmf x target does not exceed the penalty', async () => {
    const low = await init(WAD - 1n);
    expect(low.r.error).toBe('InvalidParameter');
    const w = await init((3n * WAD) / 2n);
    const market = (id: number) => pdas.market(PROGRAM, id);
    // 1.5 x 1% = 1.5% <= the 2% penalty: a liquidation in this market would not raise health
    const bad = await send(w.svm, w.admin, [ix.configureMarket(PROGRAM, { admin: w.admin, config: w.config, market: await market(0) }, { id: 0, imf: WAD / 10n, mmf: WAD / 100n, ...BREAKER })]);
    expect(bad.error).toBe('InvalidParameter');
    expect(bad.logs.some((l) => l.includes('targetHealth x mmf'))).toBe(true);
    const ok = await send(w.svm, w.admin, [ix.configureMarket(PROGRAM, { admin: w.admin, config: w.config, market: await market(0) }, { id: 0, imf: WAD / 10n, mmf: WAD / 20n, ...BREAKER })]);
    expect(ok.ok).toBe(true);
  });

  it('refuses a v1 (256-byte) config account by name instead of misreading it', async () => {
    const svm = newSvm();
    const admin = await funded(svm);
    const config = await pdas.config(PROGRAM);
    put(svm, config, configBytes().slice(0, 256));
    const r = await send(svm, admin, [ix.setPause(PROGRAM, { admin, config }, 1)]);
    expect(r.error).toBe('InvalidParameter');
    expect(r.logs.some((l) => l.includes('v1 layout'))).toBe(true);
  });
});
