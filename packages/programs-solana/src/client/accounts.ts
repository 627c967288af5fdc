/** Decoders (and, for tests and tools, encoders) of the program's zero-copy account layouts. */
const KIND = { config: 1, guardianSet: 2, emitter: 3, asset: 4, message: 5, consumed: 6, account: 7, market: 8 } as const;
export const ACCOUNT_KIND = KIND;

const dv = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
const u128 = (b: Uint8Array, o: number) => dv(b).getBigUint64(o, true) | (dv(b).getBigUint64(o + 8, true) << 64n);
const i128 = (b: Uint8Array, o: number) => BigInt.asIntN(128, u128(b, o));
const put128 = (b: Uint8Array, o: number, v: bigint) => {
  const x = BigInt.asUintN(128, v);
  dv(b).setBigUint64(o, x & ((1n << 64n) - 1n), true);
  dv(b).setBigUint64(o + 8, x >> 64n, true);
};

function expect(b: Uint8Array, kind: number, len: number, what: string): void {
  if (b.length !== len || b[0] !== kind) throw new TypeError(`not a Bulwark ${what} account (length ${b.length}, kind ${b[0]})`);
}

/**
 * Config layout v2 (state/config.rs): v1 (256 bytes) plus `target_health` at 256; the program refuses a v1 account.
 * `markets_counted` (byte 3) and `market_count` (u32 at 252) use what was padding, so the length is unchanged.
 */
export const CONFIG_LEN = 272;

export interface ConfigAccount {
  admin: Uint8Array; chainId: number; pause: number; guardianSetIndex: number; oracleSetIndex: number;
  guardianSetOverlap: number; messageSequence: bigint; insuranceFund: bigint; socializedLoss: bigint;
  /**
   * Markets created by configure_market (`marketCount`), trusted by set_liquidation_params only when
   * `marketsCounted`: false on a config initialized before markets were counted.
   */
  marketsCounted: boolean; marketCount: number;
  /** Liquidation parameters (WAD); `targetHealth` 0 = off (close factor). */
  liquidation: { closeFactor: bigint; fullLiquidationHealth: bigint; dustNotional: bigint; penaltyRate: bigint; liquidatorShare: bigint; targetHealth: bigint };
}
export function decodeConfig(b: Uint8Array): ConfigAccount {
  expect(b, KIND.config, CONFIG_LEN, 'config');
  const v = dv(b);
  return {
    admin: b.slice(8, 40), chainId: v.getUint16(40, true), pause: v.getUint16(42, true), guardianSetIndex: v.getUint32(44, true),
    oracleSetIndex: v.getUint32(48, true), guardianSetOverlap: v.getUint32(52, true), messageSequence: v.getBigUint64(128, true),
    insuranceFund: u128(b, 136), socializedLoss: u128(b, 152), marketsCounted: b[3] === 1, marketCount: v.getUint32(252, true),
    liquidation: { closeFactor: u128(b, 168), fullLiquidationHealth: u128(b, 184), dustNotional: u128(b, 200), penaltyRate: u128(b, 216), liquidatorShare: u128(b, 232), targetHealth: u128(b, 256) },
  };
}

export function decodeGuardianSet(b: Uint8Array) {
  expect(b, KIND.guardianSet, 400, 'guardian set');
  const v = dv(b);
  const count = b[3]!;
  return { isOracle: b[2] === 1, index: v.getUint32(4, true), expirationTime: v.getBigUint64(8, true), keys: Array.from({ length: count }, (_, i) => b.slice(16 + 20 * i, 36 + 20 * i)) };
}

export interface MessageAccount { sequence: bigint; nonce: number; timestamp: bigint; payload: Uint8Array }
export function decodeMessage(b: Uint8Array): MessageAccount {
  expect(b, KIND.message, 152, 'message');
  const v = dv(b);
  return { nonce: v.getUint32(4, true), sequence: v.getBigUint64(8, true), timestamp: v.getBigUint64(16, true), payload: b.slice(24, 24 + v.getUint16(2, true)) };
}

export interface AssetAccount { decimals: number; isLocal: boolean; priceMarket: number; assetId: Uint8Array; vault: Uint8Array; cap: bigint; totalLocked: bigint; weight: bigint; pendingWeight: bigint; originChain?: number }
export function decodeAsset(b: Uint8Array): AssetAccount {
  expect(b, KIND.asset, 128, 'asset');
  const v = dv(b);
  return { decimals: b[2]!, isLocal: b[3] === 1, priceMarket: v.getUint32(4, true), assetId: b.slice(8, 40), vault: b.slice(40, 72), cap: v.getBigUint64(72, true), totalLocked: v.getBigUint64(80, true), weight: u128(b, 88), pendingWeight: u128(b, 104), originChain: v.getUint16(120, true) };
}
export function encodeAsset(a: AssetAccount): Uint8Array {
  const b = new Uint8Array(128);
  const v = dv(b);
  v.setUint16(120, a.originChain ?? 0, true);
  b[0] = KIND.asset; b[2] = a.decimals; b[3] = a.isLocal ? 1 : 0; v.setUint32(4, a.priceMarket, true);
  b.set(a.assetId, 8); b.set(a.vault, 40); v.setBigUint64(72, a.cap, true); v.setBigUint64(80, a.totalLocked, true);
  put128(b, 88, a.weight); put128(b, 104, a.pendingWeight);
  return b;
}

export interface MarketAccount { status: number; id: number; imf: bigint; mmf: bigint; markPrice: bigint; volMultiplier: bigint; publishTime: bigint; lastUpdate: bigint; graceUntil: bigint; refPrice?: bigint; since?: bigint; feeRate?: bigint }
export function decodeMarket(b: Uint8Array): MarketAccount {
  expect(b, KIND.market, 240, 'market');
  const v = dv(b);
  return { status: b[2]!, id: v.getUint32(4, true), imf: u128(b, 8), mmf: u128(b, 24), markPrice: u128(b, 40), volMultiplier: u128(b, 88), publishTime: v.getBigUint64(104, true), lastUpdate: v.getBigUint64(200, true), graceUntil: v.getBigUint64(216, true), refPrice: u128(b, 160), since: v.getBigUint64(208, true), feeRate: u128(b, 224) };
}
/** A market with the breaker at rest (for tests that install state directly). */
export function encodeMarket(m: { id: number; imf: bigint; mmf: bigint; markPrice: bigint; volMultiplier: bigint; maxOracleGap?: bigint; lastUpdate?: bigint; feeRate?: bigint }): Uint8Array {
  const b = new Uint8Array(240);
  put128(b, 224, m.feeRate ?? 0n);
  const v = dv(b);
  b[0] = KIND.market; v.setUint32(4, m.id, true);
  put128(b, 8, m.imf); put128(b, 24, m.mmf); put128(b, 40, m.markPrice); put128(b, 88, m.volMultiplier);
  v.setBigUint64(112, 10_000n, true); v.setBigUint64(144, m.maxOracleGap ?? 1n << 40n, true);
  put128(b, 184, m.markPrice); v.setBigUint64(200, m.lastUpdate ?? 0n, true);
  return b;
}

export interface MarginAccountData {
  owner: Uint8Array; settlement: bigint;
  collateral: { assetId: Uint8Array; amount: bigint; pending: boolean }[];
  positions: { market: number; size: bigint; entryPrice: bigint }[];
}
/** Byte length of a MarginAccount (program/src/state/margin_account.rs). */
export const MARGIN_ACCOUNT_LEN = 440;
/** Where a MarginAccount holds its owner (the bytes32 account id). */
export const MARGIN_OWNER = { offset: 8, length: 32 } as const;
export function decodeMarginAccount(b: Uint8Array): MarginAccountData {
  expect(b, KIND.account, MARGIN_ACCOUNT_LEN, 'margin');
  const v = dv(b);
  return {
    owner: b.slice(MARGIN_OWNER.offset, MARGIN_OWNER.offset + MARGIN_OWNER.length), settlement: i128(b, 40),
    collateral: Array.from({ length: b[2]! }, (_, i) => { const o = 56 + 56 * i; return { assetId: b.slice(o, o + 32), amount: u128(b, o + 32), pending: b[o + 48] === 1 }; }),
    positions: Array.from({ length: b[3]! }, (_, i) => { const o = 280 + 40 * i; return { market: v.getUint32(o, true), size: i128(b, o + 8), entryPrice: u128(b, o + 24) }; }),
  };
}
export function encodeMarginAccount(a: MarginAccountData): Uint8Array {
  const b = new Uint8Array(MARGIN_ACCOUNT_LEN);
  const v = dv(b);
  b[0] = KIND.account; b[2] = a.collateral.length; b[3] = a.positions.length;
  b.set(a.owner, MARGIN_OWNER.offset); put128(b, 40, a.settlement);
  a.collateral.forEach((c, i) => { const o = 56 + 56 * i; b.set(c.assetId, o); put128(b, o + 32, c.amount); b[o + 48] = c.pending ? 1 : 0; });
  a.positions.forEach((p, i) => { const o = 280 + 40 * i; v.setUint32(o, p.market, true); put128(b, o + 8, p.size); put128(b, o + 24, p.entryPrice); });
  return b;
}
