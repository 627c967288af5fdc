import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AccountRole, address, generateKeyPairSigner, getProgramDerivedAddress, getAddressEncoder, type Address, type Instruction, type KeyPairSigner } from '@solana/kit';
import { getCreateAccountInstruction } from '@solana-program/system';
import { LiteSVM } from 'litesvm';
import * as ix from '../src/client/instructions.js';
import { decodeConfig } from '../src/client/accounts.js';
import { SYSTEM_PROGRAM_ID, pdas } from '../src/client/pdas.js';
import { testGuardians } from '../src/client/vaa.js';
import { SO_PATH, funded, send } from './harness.js';

// Deploys dist/bulwark.so through the real BPF Loader Upgradeable instructions (the loader's
// deploy-time ELF verification runs), then calls the deployed program.
const LOADER = address('BPFLoaderUpgradeab1e11111111111111111111111');
const RENT = address('SysvarRent111111111111111111111111111111111');
const CLOCK = address('SysvarC1ock11111111111111111111111111111111');
const BUFFER_META = 37; // UpgradeableLoaderState::Buffer { authority: Option<Pubkey> }
const PROGRAM_LEN = 36; // UpgradeableLoaderState::Program { programdata_address }
const CHUNK = 900; // a Write transaction stays below 1,232 bytes

const u32 = (v: number) => { const b = new Uint8Array(4); new DataView(b.buffer).setUint32(0, v, true); return b; };
const u64 = (v: bigint) => { const b = new Uint8Array(8); new DataView(b.buffer).setBigUint64(0, v, true); return b; };
const cat = (...p: Uint8Array[]) => Uint8Array.from(p.flatMap((x) => [...x]));
const meta = (a: Address, role: AccountRole, signer?: KeyPairSigner) => ({ address: a, role, signer });
const loaderIx = (accounts: ReturnType<typeof meta>[], data: Uint8Array) => ({ programAddress: LOADER, accounts, data }) as Instruction;

async function deploy(svm: LiteSVM, payer: KeyPairSigner, so: Uint8Array): Promise<{ program: Address; writes: number; maxTxBytes: number }> {
  const buffer = await generateKeyPairSigner();
  const program = await generateKeyPairSigner();
  const must = async (ixs: Instruction[], signer = payer) => {
    const r = await send(svm, signer, ixs, 1_400_000);
    if (!r.ok) throw new Error(`${r.error ?? r.failure}\n${r.logs.join('\n')}`);
  };
  const space = BUFFER_META + so.length;
  await must([
    getCreateAccountInstruction({ payer, newAccount: buffer, lamports: svm.minimumBalanceForRentExemption(BigInt(space)), space, programAddress: LOADER }),
    loaderIx([meta(buffer.address, AccountRole.WRITABLE), meta(payer.address, AccountRole.READONLY)], u32(0)), // InitializeBuffer
  ]);
  let writes = 0;
  for (let off = 0; off < so.length; off += CHUNK) {
    const chunk = so.subarray(off, off + CHUNK);
    await must([loaderIx([meta(buffer.address, AccountRole.WRITABLE), meta(payer.address, AccountRole.READONLY_SIGNER, payer)], cat(u32(1), u32(off), u64(BigInt(chunk.length)), chunk))]); // Write
    writes++;
  }
  const [programData] = await getProgramDerivedAddress({ programAddress: LOADER, seeds: [getAddressEncoder().encode(program.address)] });
  await must([
    getCreateAccountInstruction({ payer, newAccount: program, lamports: svm.minimumBalanceForRentExemption(BigInt(PROGRAM_LEN)), space: PROGRAM_LEN, programAddress: LOADER }),
    loaderIx([ // DeployWithMaxDataLen
      meta(payer.address, AccountRole.WRITABLE_SIGNER, payer), meta(programData, AccountRole.WRITABLE), meta(program.address, AccountRole.WRITABLE),
      meta(buffer.address, AccountRole.WRITABLE), meta(RENT, AccountRole.READONLY), meta(CLOCK, AccountRole.READONLY),
      meta(SYSTEM_PROGRAM_ID, AccountRole.READONLY), meta(payer.address, AccountRole.READONLY_SIGNER, payer),
    ], cat(u32(2), u64(BigInt(so.length * 2)))),
  ]);
  svm.warpToSlot(svm.getClock().slot + 1n);
  return { program: program.address, writes, maxTxBytes: CHUNK };
}

describe('deploy through BPF Loader Upgradeable', () => {
  it('InitializeBuffer, Write chunks, DeployWithMaxDataLen, warp a slot: the deployed program runs', async () => {
    const svm = new LiteSVM();
    const payer = await funded(svm, 1000n);
    const so = new Uint8Array(readFileSync(SO_PATH));
    const { program, writes } = await deploy(svm, payer, so);
    expect(writes).toBe(Math.ceil(so.length / CHUNK));
    expect(svm.getAccount(program).executable).toBe(true);
    // A pure instruction: mulDivDown(6, 7, 3) = 14.
    const be = (v: number) => { const b = new Uint8Array(32); b[31] = v; return b; };
    const r = await send(svm, payer, [ix.evaluate(program, cat(Uint8Array.of(0, 0), be(6), be(7), be(3)))]);
    expect(r.error ?? r.failure).toBeUndefined();
    expect(r.returnData[31]).toBe(14);
    // And a stateful one: initialize creates the config PDA of the deployed program id.
    const config = await pdas.config(program);
    const g = testGuardians(1).map((x) => x.address);
    const init = await send(svm, payer, [ix.initialize(program, { admin: payer, config, guardianSet: await pdas.guardianSet(program, 0), oracleSet: await pdas.oracleSet(program, 0) }, {
      chainId: 1, overlap: 86_400, governanceChain: 1, governanceEmitter: new Uint8Array(32).fill(4), oracleChain: 1, oracleEmitter: new Uint8Array(32).fill(5), priceMaxAge: 60, priceMaxFuture: 5, guardians: g, oracles: g,
    })]);
    expect(init.error ?? init.failure).toBeUndefined();
    expect(decodeConfig(new Uint8Array((svm.getAccount(config) as { data: Uint8Array }).data)).chainId).toBe(1);
  });

  it('a corrupted ELF is refused by the loader at deploy time', async () => {
    const svm = new LiteSVM();
    const payer = await funded(svm, 1000n);
    const so = new Uint8Array(readFileSync(SO_PATH));
    so[0] = 0; // not an ELF any more
    await expect(deploy(svm, payer, so)).rejects.toThrow(/InvalidAccountData|ELF|elf/);
  });
});
