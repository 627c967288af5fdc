import type { Address, KeyPairSigner } from '@solana/kit';
import * as ix from '../src/client/instructions.js';
import { decodeMarginAccount } from '../src/client/accounts.js';
import { addressBytes, pdas } from '../src/client/pdas.js';
import { PROGRAM, data, funded, send } from './harness.js';
import { WAD, creditIx, lockedVaa, postPrices, setTime, withMarkets, world, type World } from './world.js';

export const T = 1_700_000_000;

export interface Trader {
  w: World; m0: Address; m1: Address; account: Address; owner: Uint8Array;
  open: (size: bigint, signer?: KeyPairSigner, market?: number) => ReturnType<typeof send>;
  close: (signer?: KeyPairSigner) => ReturnType<typeof send>;
  prices: (t: number, eth: bigint) => Promise<void>;
  state: () => ReturnType<typeof decodeMarginAccount>;
}

/** A world with markets 0 (USDC) and 1 (ETH at 3,000) priced at T and 10,000 USDC credited to the user. */
export async function trader(feeRate = 0n, o: Parameters<typeof world>[1] = {}): Promise<Trader> {
  const w = await world(7, o);
  const { m0, m1 } = await withMarkets(w, feeRate);
  setTime(w, T);
  const prices = async (t: number, eth: bigint) => {
    setTime(w, t);
    const r = await postPrices(w, t, [[0, WAD], [1, eth]], [m0, m1]);
    if (!r.ok) throw new Error(`prices at ${t}: ${r.error ?? r.failure}`);
  };
  await prices(T, 3000n * WAD);
  const owner = addressBytes(w.user.address);
  const relayer = await funded(w.svm);
  const v = lockedVaa(w, { owner, amount: 10_000_000_000n, sequence: 1n, signers: [0, 1, 2, 3, 4] });
  const c = await send(w.svm, relayer, [await creditIx(w, relayer, v, owner, 10_000_000_000n)], 400_000);
  if (!c.ok) throw new Error(`credit: ${c.error ?? c.failure}`);
  const account = await pdas.account(PROGRAM, owner);
  return {
    w, m0, m1, account, owner, prices,
    open: (size, signer = w.user, market = 1) => send(w.svm, signer, [ix.openPosition(PROGRAM, { owner: signer, account, config: w.config, rest: [m1, w.foreignAsset, m0] }, { market, size })]),
    close: (signer = w.user) => send(w.svm, signer, [ix.closePosition(PROGRAM, { owner: signer, account, config: w.config, market: m1 }, 1)]),
    state: () => decodeMarginAccount(data(w.svm, account)),
  };
}
