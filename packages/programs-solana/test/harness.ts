import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FailedTransactionMetadata, LiteSVM, TransactionMetadata } from 'litesvm';
import {
  appendTransactionMessageInstructions, createTransactionMessage, generateKeyPairSigner, lamports, pipe,
  setTransactionMessageFeePayerSigner, setTransactionMessageLifetimeUsingBlockhash, signTransactionMessageWithSigners,
  type Address, type Instruction, type KeyPairSigner,
} from '@solana/kit';
import { getSetComputeUnitLimitInstruction } from './compute-budget.js';
import { errorName } from '../src/client/errors.js';
import { BULWARK_PROGRAM_ID, TOKEN_PROGRAM_ID, addressBytes } from '../src/client/pdas.js';

export const SO_PATH = fileURLToPath(new URL('../dist/bulwark.so', import.meta.url));
export const PROGRAM = BULWARK_PROGRAM_ID;

export interface Outcome {
  ok: boolean;
  /** Custom error code, if the program returned one. */
  code?: number;
  /** Shared error name of `code`. */
  error?: string;
  /** Any other failure (runtime errors, aborts) as text. */
  failure?: string;
  cu: bigint;
  logs: string[];
  returnData: Uint8Array;
}

export function newSvm(): LiteSVM {
  const svm = new LiteSVM();
  svm.addProgram(PROGRAM, readFileSync(SO_PATH));
  return svm;
}

export async function funded(svm: LiteSVM, sol = 100n): Promise<KeyPairSigner> {
  const s = await generateKeyPairSigner();
  svm.airdrop(s.address, lamports(sol * 1_000_000_000n));
  return s;
}

export async function send(svm: LiteSVM, payer: KeyPairSigner, ixs: Instruction[], cuLimit?: number): Promise<Outcome> {
  const all = cuLimit ? [getSetComputeUnitLimitInstruction(cuLimit), ...ixs] : ixs;
  const msg = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayerSigner(payer, m),
    (m) => setTransactionMessageLifetimeUsingBlockhash({ blockhash: svm.latestBlockhash(), lastValidBlockHeight: 1_000_000n }, m),
    (m) => appendTransactionMessageInstructions(all, m),
  );
  const tx = await signTransactionMessageWithSigners(msg);
  const res = svm.sendTransaction(tx);
  svm.expireBlockhash();
  return outcome(res);
}

export function outcome(res: TransactionMetadata | FailedTransactionMetadata): Outcome {
  if (res instanceof FailedTransactionMetadata) {
    const meta = res.meta();
    const text = res.toString();
    const m = /Custom\((\d+)\)/.exec(text);
    const code = m ? Number(m[1]) : undefined;
    return { ok: false, code, error: code ? errorName(code) : undefined, failure: code ? undefined : text.slice(0, 300), cu: meta.computeUnitsConsumed(), logs: meta.logs(), returnData: meta.returnData().data() };
  }
  return { ok: true, cu: res.computeUnitsConsumed(), logs: res.logs(), returnData: res.returnData().data() };
}

/** Installs an SPL mint (decimals, authority) directly; token transfers then run in the real SPL Token program. */
export function setMint(svm: LiteSVM, mint: Address, authority: Address, decimals: number, supply = 0n): void {
  const d = new Uint8Array(82);
  const v = new DataView(d.buffer);
  v.setUint32(0, 1, true);
  d.set(addressBytes(authority), 4);
  v.setBigUint64(36, supply, true);
  d[44] = decimals;
  d[45] = 1;
  svm.setAccount({ address: mint, data: d, executable: false, lamports: lamports(1_461_600n), programAddress: TOKEN_PROGRAM_ID, space: 82n } as never);
}

export function setTokenAccount(svm: LiteSVM, account: Address, mint: Address, owner: Address, amount: bigint): void {
  const d = new Uint8Array(165);
  d.set(addressBytes(mint), 0);
  d.set(addressBytes(owner), 32);
  new DataView(d.buffer).setBigUint64(64, amount, true);
  d[108] = 1;
  svm.setAccount({ address: account, data: d, executable: false, lamports: lamports(2_039_280n), programAddress: TOKEN_PROGRAM_ID, space: 165n } as never);
}

export function tokenAmount(svm: LiteSVM, account: Address): bigint {
  const a = svm.getAccount(account);
  if (!a.exists) throw new Error(`token account ${account} missing`);
  return new DataView(a.data.buffer, a.data.byteOffset).getBigUint64(64, true);
}

export function data(svm: LiteSVM, a: Address): Uint8Array {
  const acc = svm.getAccount(a);
  if (!acc.exists) throw new Error(`account ${a} missing`);
  return new Uint8Array(acc.data);
}
