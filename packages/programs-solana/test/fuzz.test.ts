import { describe, expect, it } from 'vitest';
import { AccountRole, type Address, type Instruction } from '@solana/kit';
import { PROGRAM, funded, send } from './harness.js';
import { world } from './world.js';

// xorshift: reproducible pseudo-random inputs.
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
}

describe('random instruction data and account layouts', () => {
  it('10,000 inputs each end in a custom error code or a legitimate success, never an abort or access violation', async () => {
    const w = await world();
    const payer = await funded(w.svm, 1_000n);
    const pool: Address[] = [w.config, w.gs0, w.os0, w.vaultEmitter, w.engineEmitter, w.foreignAsset, w.localAsset, w.vault, w.userToken, w.mint, w.authority, payer.address];
    const next = rng(0xb01a4c);
    const outcomes = { ok: 0, custom: 0 };
    const other: string[] = [];
    const BATCH = 8;
    for (let n = 0; n < 10_000; n += BATCH) {
      const ixs: Instruction[] = [];
      for (let k = 0; k < BATCH; k++) {
        const len = next() % 200;
        const d = new Uint8Array(len);
        for (let i = 0; i < len; i++) d[i] = next() & 0xff;
        if (len > 0) d[0] = next() % 18; // mostly valid tags (0..16), so the processors' parsers are exercised
        const nAcc = next() % 10;
        const accounts = Array.from({ length: nAcc }, () => {
          const a = pool[next() % pool.length]!;
          return a === payer.address ? { address: a, role: AccountRole.WRITABLE_SIGNER, signer: payer } : { address: a, role: next() % 2 ? AccountRole.WRITABLE : AccountRole.READONLY };
        });
        ixs.push({ programAddress: PROGRAM, accounts, data: d } as Instruction);
      }
      // One instruction per transaction so every input is judged on its own.
      for (const i of ixs) {
        const r = await send(w.svm, payer, [i]);
        if (r.ok) outcomes.ok++;
        else if (r.code !== undefined && r.error) outcomes.custom++;
        else other.push(`${r.failure} :: ${r.logs.slice(-3).join(' | ')}`);
      }
    }
    expect(other.slice(0, 5)).toEqual([]);
    expect(outcomes.ok + outcomes.custom).toBe(10_000);
  });
});
