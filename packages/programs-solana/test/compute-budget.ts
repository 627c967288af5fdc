import { address, type Instruction } from '@solana/kit';

const COMPUTE_BUDGET = address('ComputeBudget111111111111111111111111111111');

/** ComputeBudget SetComputeUnitLimit (discriminator 2, u32 LE). */
export function getSetComputeUnitLimitInstruction(units: number): Instruction {
  const d = new Uint8Array(5);
  d[0] = 2;
  new DataView(d.buffer).setUint32(1, units, true);
  return { programAddress: COMPUTE_BUDGET, accounts: [], data: d } as Instruction;
}
