// Compute-unit, transaction-count and size benchmark of the Bulwark Solana program in litesvm.
// Writes bench-results/compute.json and prints a summary. Run: pnpm bench
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { liquidationScenario, measureCredit, measureLock, measureSetLiquidationParams, type CreditMeasurement } from '../test/scenarios.js';
import { SO_PATH } from '../test/harness.js';

const out = fileURLToPath(new URL('../bench-results/compute.json', import.meta.url));
const credit19 = await measureCredit(19, true);
const credit19new = await measureCredit(19, false);
const credit7 = await measureCredit(7, true);
const credit7new = await measureCredit(7, false);
const lock = await measureLock();
const liq = await liquidationScenario();
const setParams = await measureSetLiquidationParams(14);
const size = readFileSync(SO_PATH).length;
function plain(m: CreditMeasurement) {
  return { ...m, cu: Number(m.cu), steps: m.steps.map((s) => ({ ...s, cu: Number(s.cu) })) };
}
const result = {
  measuredAt: new Date().toISOString(),
  program: { path: 'dist/bulwark.so', bytes: size },
  verifyAndCredit: {
    '13-of-19 (existing margin account)': { ...plain(credit19), targetCu: 400_000 },
    '13-of-19 (first credit: open_account tx, then credit tx)': plain(credit19new),
    '5-of-7 (existing margin account)': plain(credit7),
    '5-of-7 (first credit: open_account tx, then credit tx)': plain(credit7new),
  },
  lock: { ok: lock.ok, cu: Number(lock.cu), targetCu: 30_000 },
  liquidate: { ok: liq.outcome.ok, error: liq.outcome.error, cu: Number(liq.outcome.cu), targetCu: 80_000 },
  setLiquidationParams: { ok: setParams.ok, error: setParams.error, markets: 14, cu: Number(setParams.cu) },
  txLimitBytes: 1232,
};
mkdirSync(fileURLToPath(new URL('../bench-results/', import.meta.url)), { recursive: true });
writeFileSync(out, JSON.stringify(result, null, 2));
console.log(`program size: ${size} bytes`);
for (const [k, v] of Object.entries(result.verifyAndCredit)) {
  const per = v.steps.map((s) => `${s.what} ${s.txBytes} B / ${s.cu} CU`).join(' + ');
  console.log(`verify+credit ${k}: ${v.ok ? 'ok' : `FAILED ${v.error}`}, ${v.transactions} tx (largest ${v.txBytes} of 1,232 bytes), ${v.cu} CU total [${per}]`);
}
console.log(`lock: ${lock.ok ? 'ok' : 'FAILED'}, ${lock.cu} CU (target <= 30,000)`);
console.log(`liquidate: ${liq.outcome.ok ? 'ok' : `FAILED ${liq.outcome.error ?? ''}`}, ${liq.outcome.cu} CU (target <= 80,000)`);
console.log(`set_liquidation_params (14 markets): ${setParams.ok ? 'ok' : `FAILED ${setParams.error ?? setParams.failure ?? ''}`}, ${setParams.cu} CU`);
console.log(`wrote ${out}`);
