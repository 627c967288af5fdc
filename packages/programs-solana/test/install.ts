import { lamports, type Address, type KeyPairSigner } from '@solana/kit';
import type { LiteSVM } from 'litesvm';
import { CONFIG_LEN, encodeAsset, encodeMarginAccount, encodeMarket } from '../src/client/accounts.js';
import { addressBytes } from '../src/client/pdas.js';
import { PROGRAM, funded, newSvm } from './harness.js';

/** Installs the assets, markets and account of a margin/liquidation vector as program accounts. */
export const id32 = (i: number) => { const b = new Uint8Array(32); b[31] = i + 1; return b; };
// Distinct valid base58 addresses (digits 1-9 only) for installed accounts.
export const addr = (n: number) => `Bu1w${String(n).replace(/0/g, '9').padStart(8, '1')}${'1'.repeat(32)}` as Address;

export function put(svm: LiteSVM, address: Address, d: Uint8Array): void {
  svm.setAccount({ address, data: d, executable: false, lamports: lamports(10_000_000n), programAddress: PROGRAM, space: BigInt(d.length) } as never);
}

const put128 = (b: Uint8Array, o: number, v: bigint) => {
  const dv = new DataView(b.buffer, b.byteOffset);
  dv.setBigUint64(o, v & ((1n << 64n) - 1n), true);
  dv.setBigUint64(o + 8, v >> 64n, true);
};

/** A config account (kind 1) with liquidation parameters and an insurance fund (offsets of state/config.rs). */
export function configBytes(o: { insuranceFund?: bigint; params?: Record<string, string> } = {}): Uint8Array {
  const b = new Uint8Array(CONFIG_LEN);
  b[0] = 1;
  new DataView(b.buffer).setUint16(40, 1, true);
  const p = o.params ?? { closeFactor: '500000000000000000', fullLiquidationHealth: '500000000000000000', dustNotional: '100000000000000000000', penaltyRate: '20000000000000000', liquidatorShare: '500000000000000000' };
  put128(b, 136, o.insuranceFund ?? 0n);
  put128(b, 168, BigInt(p.closeFactor!)); put128(b, 184, BigInt(p.fullLiquidationHealth!)); put128(b, 200, BigInt(p.dustNotional!));
  put128(b, 216, BigInt(p.penaltyRate!)); put128(b, 232, BigInt(p.liquidatorShare!));
  put128(b, 256, BigInt(p.targetHealth ?? 0)); // absent in vectors made before target health: 0 = off
  return b;
}

export interface Installed { svm: LiteSVM; owner: KeyPairSigner; account: Address; config: Address; rest: Address[] }

export async function installCase(input: any, o: { feeRate?: bigint; insuranceFund?: bigint; params?: Record<string, string> } = {}): Promise<Installed> {
  const svm = newSvm();
  const owner = await funded(svm);
  const rest: Address[] = [];
  input.markets.forEach((m: any, i: number) => {
    const a = addr(300 + i);
    put(svm, a, encodeMarket({ id: i, imf: BigInt(m.imf), mmf: BigInt(m.mmf), markPrice: BigInt(m.markPrice), volMultiplier: BigInt(m.volMultiplier), feeRate: o.feeRate }));
    rest.push(a);
  });
  input.assets.forEach((a: any, i: number) => {
    const asset = addr(100 + i); const priceMarket = addr(200 + i);
    put(svm, asset, encodeAsset({ decimals: a.decimals, isLocal: false, priceMarket: 1000 + i, assetId: id32(i), vault: new Uint8Array(32), cap: 0n, totalLocked: 0n, weight: BigInt(a.weight), pendingWeight: BigInt(a.pendingWeight), originChain: 10002 }));
    put(svm, priceMarket, encodeMarket({ id: 1000 + i, imf: 1n, mmf: 1n, markPrice: BigInt(a.price), volMultiplier: 10n ** 18n }));
    rest.push(asset, priceMarket);
  });
  const account = addr(999);
  put(svm, account, encodeMarginAccount({
    owner: addressBytes(owner.address), settlement: BigInt(input.account.settlement),
    collateral: input.account.collateral.map((e: any) => ({ assetId: id32(e.asset), amount: BigInt(e.amount), pending: !!e.pending })),
    positions: input.account.positions.map((p: any) => ({ market: p.market, size: BigInt(p.size), entryPrice: BigInt(p.entryPrice) })),
  }));
  const config = addr(777);
  put(svm, config, configBytes(o));
  return { svm, owner, account, config, rest };
}

/** The account as core's vectors print it (asset index, decimal strings). */
export function asVector(a: { settlement: bigint; collateral: { assetId: Uint8Array; amount: bigint; pending: boolean }[]; positions: { market: number; size: bigint; entryPrice: bigint }[] }) {
  return {
    settlement: a.settlement.toString(),
    collateral: a.collateral.map((c) => ({ asset: c.assetId[31]! - 1, amount: c.amount.toString(), pending: c.pending })),
    positions: a.positions.map((p) => ({ market: p.market, size: p.size.toString(), entryPrice: p.entryPrice.toString() })),
  };
}
