import { InvalidParameterError, RISK_PROFILE, type LiquidationParams } from '@bulwark/core';
import { AccountRole, type Address, type Instruction, type TransactionSigner } from '@solana/kit';
import { Writer, beToBig } from './bytes.js';
import { SYSTEM_PROGRAM_ID, TOKEN_PROGRAM_ID } from './pdas.js';
import type { Signature } from './vaa.js';

/** Instruction tags (first data byte), as in program/src/processor/mod.rs. */
export const IX = {
  initialize: 0, registerEmitter: 1, configureAsset: 2, configureMarket: 3, setPause: 4, lockCollateral: 5,
  creditCollateral: 6, releaseCollateral: 7, updatePrice: 8, openPosition: 9, closePosition: 10, liquidate: 11,
  upgradeGuardianSet: 12, health: 13, requestWithdrawal: 14, openAccount: 15, eval: 16, setLiquidationParams: 17,
} as const;

type Meta = { address: Address; role: AccountRole; signer?: TransactionSigner };
export const w = (address: Address): Meta => ({ address, role: AccountRole.WRITABLE });
export const r = (address: Address): Meta => ({ address, role: AccountRole.READONLY });
export const ws = (s: TransactionSigner): Meta => ({ address: s.address, role: AccountRole.WRITABLE_SIGNER, signer: s });
export const rs = (s: TransactionSigner): Meta => ({ address: s.address, role: AccountRole.READONLY_SIGNER, signer: s });

const ix = (programAddress: Address, accounts: Meta[], data: Uint8Array): Instruction =>
  ({ programAddress, accounts, data }) as Instruction;

export interface InitializeArgs {
  chainId: number; overlap: number; governanceChain: number; governanceEmitter: Uint8Array;
  oracleChain: number; oracleEmitter: Uint8Array; priceMaxAge: number; priceMaxFuture: number;
  guardians: Uint8Array[]; oracles: Uint8Array[];
  /**
   * Health a partial liquidation restores (WAD; docs/protocol.md section 8): 0n (off: the close
   * factor) or >= 1e18, and every market configured later needs targetHealth * mmf > penaltyRate.
   * Always sent, as the trailing u128 (the program reads an absent one as 0). The other liquidation
   * parameters are the program's constants, core's DEFAULT_LIQUIDATION (penalty 2%), so the default
   * config is RISK_PROFILE.liquidation. A value outside u128 is InvalidParameterError (field
   * targetHealth) here; the program refuses a nonzero one below 1e18 (InvalidParameter, its log names
   * targetHealth). @default RISK_PROFILE.liquidation.targetHealth (1.5e18)
   */
  targetHealth?: bigint;
}

export function initialize(p: Address, a: { admin: TransactionSigner; config: Address; guardianSet: Address; oracleSet: Address }, x: InitializeArgs): Instruction {
  const d = new Writer().u8(IX.initialize).u16(x.chainId).u32(x.overlap).u16(x.governanceChain).bytes(x.governanceEmitter)
    .u16(x.oracleChain).bytes(x.oracleEmitter).u32(x.priceMaxAge).u32(x.priceMaxFuture).u8(x.guardians.length);
  x.guardians.forEach((g) => d.bytes(g));
  d.u8(x.oracles.length);
  x.oracles.forEach((g) => d.bytes(g));
  const targetHealth = x.targetHealth ?? RISK_PROFILE.liquidation.targetHealth;
  if (targetHealth < 0n || targetHealth >= 1n << 128n) throw new InvalidParameterError('targetHealth must fit a u128', { field: 'targetHealth' });
  d.u128(targetHealth);
  return ix(p, [ws(a.admin), w(a.config), w(a.guardianSet), w(a.oracleSet), r(SYSTEM_PROGRAM_ID)], d.done());
}

export function registerEmitter(p: Address, a: { admin: TransactionSigner; config: Address; emitter: Address }, x: { chain: number; address: Uint8Array; role: 1 | 2 }): Instruction {
  return ix(p, [ws(a.admin), r(a.config), w(a.emitter), r(SYSTEM_PROGRAM_ID)], new Writer().u8(IX.registerEmitter).u16(x.chain).bytes(x.address).u8(x.role).done());
}

export function setPause(p: Address, a: { admin: TransactionSigner; config: Address }, bits: number): Instruction {
  return ix(p, [rs(a.admin), w(a.config)], new Writer().u8(IX.setPause).u16(bits).done());
}

/** Order of the u128 fields in `set_liquidation_params` data. */
const LIQUIDATION_FIELDS = ['closeFactor', 'fullLiquidationHealth', 'dustNotional', 'penaltyRate', 'liquidatorShare', 'targetHealth'] as const;

/**
 * Replaces the liquidation parameters (admin only), as the EVM engine's setLiquidationParams; core's
 * `RISK_PROFILE.liquidation` or `DEFAULT_LIQUIDATION` can be passed as they are (`targetHealth`
 * absent = 0n = off, as in core). `markets`: every market configured on the program, sent in
 * ascending id order (sorted here): the program checks `targetHealth * mmf > penaltyRate` on each and
 * refuses the instruction unless it was shown exactly the config's market count of distinct markets.
 * The program checks the values (InvalidParameter, its log names the field; nothing changes); here
 * a value outside u128 is InvalidParameterError naming the field.
 */
export function setLiquidationParams(p: Address, a: { admin: TransactionSigner; config: Address; markets: readonly { id: number; address: Address }[] }, x: LiquidationParams): Instruction {
  const d = new Writer().u8(IX.setLiquidationParams);
  for (const k of LIQUIDATION_FIELDS) {
    const v = x[k] ?? 0n;
    if (v < 0n || v >= 1n << 128n) throw new InvalidParameterError(`${k} must fit a u128`, { field: k });
    d.u128(v);
  }
  const markets = [...a.markets].sort((m, n) => m.id - n.id).map((m) => r(m.address));
  return ix(p, [rs(a.admin), w(a.config), ...markets], d.done());
}

/** `originChain`: for a foreign asset, the chain of the vault that holds it (withdrawals go there); default 0 = no withdrawals. */
export interface AssetArgs { assetId: Uint8Array; isLocal: boolean; decimals: number; cap: bigint; priceMarket: number; weight: bigint; pendingWeight: bigint; originChain?: number }

export function configureAsset(p: Address, a: { admin: TransactionSigner; config: Address; asset: Address; mint?: Address; vault?: Address; authority?: Address }, x: AssetArgs): Instruction {
  const metas = [ws(a.admin), r(a.config), w(a.asset), r(SYSTEM_PROGRAM_ID)];
  if (x.isLocal) metas.push(r(a.mint!), w(a.vault!), r(a.authority!), r(TOKEN_PROGRAM_ID));
  const d = new Writer().u8(IX.configureAsset).bytes(x.assetId).u8(x.isLocal ? 1 : 0).u8(x.decimals).u64(x.cap).u32(x.priceMarket).u128(x.weight).u128(x.pendingWeight).u16(x.originChain ?? 0);
  return ix(p, metas, d.done());
}

/** `feeRate`: trading fee on traded notional (WAD), default 0. The config is writable: it counts the markets (see setLiquidationParams). */
export interface MarketArgs { id: number; imf: bigint; mmf: bigint; maxMoveBps: bigint; window: bigint; haltDuration: bigint; cooldown: bigint; maxOracleGap: bigint; liquidationGrace: bigint; feeRate?: bigint }

export function configureMarket(p: Address, a: { admin: TransactionSigner; config: Address; market: Address }, x: MarketArgs): Instruction {
  const d = new Writer().u8(IX.configureMarket).u32(x.id).u128(x.imf).u128(x.mmf).u64(x.maxMoveBps).u64(x.window).u64(x.haltDuration).u64(x.cooldown).u64(x.maxOracleGap).u64(x.liquidationGrace).u128(x.feeRate ?? 0n);
  return ix(p, [ws(a.admin), w(a.config), w(a.market), r(SYSTEM_PROGRAM_ID)], d.done());
}

export function lockCollateral(p: Address, a: { depositor: TransactionSigner; config: Address; asset: Address; source: Address; vault: Address; message: Address }, x: { amount: bigint; destinationChain: number; account: Uint8Array; nonce: number }): Instruction {
  return ix(p, [ws(a.depositor), w(a.config), w(a.asset), w(a.source), w(a.vault), w(a.message), r(SYSTEM_PROGRAM_ID), r(TOKEN_PROGRAM_ID)],
    new Writer().u8(IX.lockCollateral).u64(x.amount).u16(x.destinationChain).bytes(x.account).u32(x.nonce).done());
}

/** Compact credit data (see program/src/processor/credit_collateral.rs). */
export function encodeCompactCredit(x: { owner?: Uint8Array; guardianSetIndex: number; body: Uint8Array; amount: bigint; depositor: Uint8Array; sigs: Signature[] }): Uint8Array {
  const d = new Writer().u8(IX.creditCollateral).u8(x.owner ? 1 : 0);
  if (x.owner) d.bytes(x.owner);
  d.u32(x.guardianSetIndex);
  d.bytes(x.body.subarray(0, 8)).bytes(x.body.subarray(42, 51));
  let amt = [...Array.from({ length: 16 }, (_, i) => Number((x.amount >> BigInt(8 * (15 - i))) & 0xffn))];
  while (amt.length && amt[0] === 0) amt = amt.slice(1);
  d.u8(amt.length).bytes(new Uint8Array(amt));
  let z = 0;
  while (z < 32 && x.depositor[z] === 0) z++;
  d.u8(z).bytes(x.depositor.subarray(z));
  d.u8(x.sigs.length);
  for (const s of x.sigs) d.u8(s.index | (s.v << 7)).bytes(s.rs);
  return d.done();
}

export function creditCollateral(p: Address, a: { payer: TransactionSigner; config: Address; guardianSet: Address; emitter: Address; asset: Address; consumed: Address; account: Address }, data: Uint8Array): Instruction {
  return ix(p, [ws(a.payer), r(a.config), r(a.guardianSet), r(a.emitter), r(a.asset), w(a.consumed), w(a.account), r(SYSTEM_PROGRAM_ID)], data);
}

export function releaseCollateral(p: Address, a: { payer: TransactionSigner; config: Address; guardianSet: Address; emitter: Address; asset: Address; consumed: Address; vault: Address; recipient: Address; authority: Address; message: Address }, vaa: Uint8Array): Instruction {
  return ix(p, [ws(a.payer), w(a.config), r(a.guardianSet), r(a.emitter), w(a.asset), w(a.consumed), w(a.vault), w(a.recipient), r(a.authority), w(a.message), r(SYSTEM_PROGRAM_ID), r(TOKEN_PROGRAM_ID)],
    new Writer().u8(IX.releaseCollateral).bytes(vaa).done());
}

export function updatePrice(p: Address, a: { payer: TransactionSigner; config: Address; oracleSet: Address; markets: Address[] }, vaa: Uint8Array): Instruction {
  return ix(p, [rs(a.payer), r(a.config), r(a.oracleSet), ...a.markets.map(w)], new Writer().u8(IX.updatePrice).bytes(vaa).done());
}

export function openPosition(p: Address, a: { owner: TransactionSigner; account: Address; config: Address; rest: Address[] }, x: { market: number; size: bigint }): Instruction {
  return ix(p, [rs(a.owner), w(a.account), w(a.config), ...a.rest.map(w)], new Writer().u8(IX.openPosition).u32(x.market).u128(x.size).done());
}

export function closePosition(p: Address, a: { owner: TransactionSigner; account: Address; config: Address; market: Address }, market: number): Instruction {
  return ix(p, [rs(a.owner), w(a.account), w(a.config), w(a.market)], new Writer().u8(IX.closePosition).u32(market).done());
}

export function liquidate(p: Address, a: { liquidator: TransactionSigner; account: Address; config: Address; liquidatorAccount: Address; rest: Address[] }): Instruction {
  return ix(p, [rs(a.liquidator), w(a.account), w(a.config), w(a.liquidatorAccount), ...a.rest.map(w)], new Uint8Array([IX.liquidate]));
}

export function upgradeGuardianSet(p: Address, a: { payer: TransactionSigner; config: Address; current: Address; next: Address; consumed: Address }, vaa: Uint8Array): Instruction {
  return ix(p, [ws(a.payer), w(a.config), w(a.current), w(a.next), w(a.consumed), r(SYSTEM_PROGRAM_ID)], new Writer().u8(IX.upgradeGuardianSet).bytes(vaa).done());
}

export function health(p: Address, a: { account: Address; rest: Address[] }): Instruction {
  return ix(p, [r(a.account), ...a.rest.map(r)], new Uint8Array([IX.health]));
}

/** Decodes the `health` return data (5 x int256/uint256 big-endian). */
export function decodeHealth(b: Uint8Array) {
  const s = (o: number) => BigInt.asIntN(256, beToBig(b.subarray(o, o + 32)));
  const MAX = (1n << 255n) - 1n;
  const h = s(128);
  return { collateralValue: beToBig(b.subarray(0, 32)), equity: s(32), imReq: beToBig(b.subarray(64, 96)), mmReq: beToBig(b.subarray(96, 128)), health: h === MAX ? ('max' as const) : h };
}

/** Withdrawal request (margin engine side): emits WithdrawalApproved if the account keeps initial margin. `rest`: the asset, plus every asset and market the account uses. */
export function requestWithdrawal(p: Address, a: { owner: TransactionSigner; account: Address; config: Address; message: Address; rest: Address[] }, x: { assetId: Uint8Array; amount: bigint; recipient: Uint8Array }): Instruction {
  return ix(p, [ws(a.owner), w(a.account), w(a.config), w(a.message), r(SYSTEM_PROGRAM_ID), ...a.rest.map(w)],
    new Writer().u8(IX.requestWithdrawal).bytes(x.assetId).u128(x.amount).bytes(x.recipient).done());
}

/** Creates the margin account of `owner` (idempotent); run before the first credit of a new owner. */
export function openAccount(p: Address, a: { payer: TransactionSigner; account: Address }, owner: Uint8Array): Instruction {
  return ix(p, [ws(a.payer), w(a.account), r(SYSTEM_PROGRAM_ID)], new Writer().u8(IX.openAccount).bytes(owner).done());
}

/** Read-only evaluation of the program's own math/codecs (see program/src/processor/eval.rs); `vaaAccount` only for VAA checks. */
export function evaluate(p: Address, data: Uint8Array, vaaAccount?: Address): Instruction {
  return ix(p, vaaAccount ? [r(vaaAccount)] : [], new Writer().u8(IX.eval).bytes(data).done());
}
