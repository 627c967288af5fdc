import { getAddressEncoder, getProgramDerivedAddress, address, type Address } from '@solana/kit';

/** Default program id of the Bulwark Solana program (any id works; pass yours to every helper). */
export const BULWARK_PROGRAM_ID = address('Bu1wark111111111111111111111111111111111111');
export const TOKEN_PROGRAM_ID = address('TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA');
export const SYSTEM_PROGRAM_ID = address('11111111111111111111111111111111');

const te = new TextEncoder();
const u16 = (v: number) => new Uint8Array([v & 0xff, v >> 8]);
const u32 = (v: number) => { const b = new Uint8Array(4); new DataView(b.buffer).setUint32(0, v, true); return b; };
const u64 = (v: bigint) => { const b = new Uint8Array(8); new DataView(b.buffer).setBigUint64(0, v, true); return b; };

async function pda(programId: Address, seeds: Uint8Array[]): Promise<Address> {
  const [a] = await getProgramDerivedAddress({ programAddress: programId, seeds });
  return a;
}

export const addressBytes = (a: Address): Uint8Array => new Uint8Array(getAddressEncoder().encode(a));

/** Every program-derived address of the program, by role. */
export const pdas = {
  config: (p: Address) => pda(p, [te.encode('config')]),
  guardianSet: (p: Address, index: number) => pda(p, [te.encode('guardian_set'), u32(index)]),
  oracleSet: (p: Address, index: number) => pda(p, [te.encode('oracle_set'), u32(index)]),
  emitter: (p: Address, chain: number, emitter: Uint8Array) => pda(p, [te.encode('emitter'), u16(chain), emitter]),
  asset: (p: Address, assetId: Uint8Array) => pda(p, [te.encode('asset'), assetId]),
  vault: (p: Address, assetId: Uint8Array) => pda(p, [te.encode('vault'), assetId]),
  authority: (p: Address) => pda(p, [te.encode('authority')]),
  message: (p: Address, sequence: bigint) => pda(p, [te.encode('message'), u64(sequence)]),
  consumed: (p: Address, bodyHash: Uint8Array) => pda(p, [te.encode('consumed'), bodyHash]),
  account: (p: Address, owner: Uint8Array) => pda(p, [te.encode('account'), owner]),
  market: (p: Address, id: number) => pda(p, [te.encode('market'), u32(id)]),
};
