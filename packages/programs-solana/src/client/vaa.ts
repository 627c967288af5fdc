import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { beBytes } from './bytes.js';

/** A guardian (relayer or oracle signer) key with its 20-byte Ethereum-style address. */
export interface Guardian {
  secretKey: Uint8Array;
  address: Uint8Array;
}

export function guardianFromSecret(secretKey: Uint8Array): Guardian {
  const pub = secp256k1.getPublicKey(secretKey, false).subarray(1);
  return { secretKey, address: keccak_256(pub).subarray(12) };
}

/** Deterministic test guardians (secret key = keccak256("bulwark-guardian" || seed || i)). */
export function testGuardians(n: number, seed = 0): Guardian[] {
  return Array.from({ length: n }, (_, i) => guardianFromSecret(keccak_256(new TextEncoder().encode(`bulwark-guardian-${seed}-${i}`))));
}

export interface VaaBody {
  timestamp: number;
  nonce: number;
  emitterChain: number;
  emitterAddress: Uint8Array;
  sequence: bigint;
  consistencyLevel: number;
  payload: Uint8Array;
}

export function encodeBody(b: VaaBody): Uint8Array {
  const out = new Uint8Array(51 + b.payload.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, b.timestamp);
  dv.setUint32(4, b.nonce);
  dv.setUint16(8, b.emitterChain);
  out.set(b.emitterAddress, 10);
  dv.setBigUint64(42, b.sequence);
  out[50] = b.consistencyLevel;
  out.set(b.payload, 51);
  return out;
}

export const bodyHash = (body: Uint8Array): Uint8Array => keccak_256(body);
export const digestOf = (body: Uint8Array): Uint8Array => keccak_256(keccak_256(body));

export interface Signature {
  index: number;
  rs: Uint8Array;
  v: number;
}

/** Signs with the guardians at `indices` (ascending), Wormhole v1 style (no prefix, v = 0/1). */
export function signBody(body: Uint8Array, guardians: Guardian[], indices: number[]): Signature[] {
  const digest = digestOf(body);
  return indices.map((index) => {
    const g = guardians[index];
    if (!g) throw new RangeError(`no guardian at index ${index}`);
    const sig = secp256k1.sign(digest, g.secretKey, { prehash: false, format: 'recovered' });
    return { index, v: sig[0]!, rs: sig.subarray(1, 65) };
  });
}

/** Serializes a VAA v1: version, guardian set index, signatures, body. */
export function encodeVaa(guardianSetIndex: number, sigs: Signature[], body: Uint8Array): Uint8Array {
  const out = new Uint8Array(6 + sigs.length * 66 + body.length);
  out[0] = 1;
  new DataView(out.buffer).setUint32(1, guardianSetIndex);
  out[5] = sigs.length;
  sigs.forEach((s, i) => {
    const o = 6 + i * 66;
    out[o] = s.index;
    out.set(s.rs, o + 1);
    out[o + 65] = s.v;
  });
  out.set(body, 6 + sigs.length * 66);
  return out;
}

export const quorum = (n: number): number => Math.floor((2 * n) / 3) + 1;

/** Payload builders (docs/protocol.md §4). */
export const payloads = {
  collateralLocked(p: { destinationChain: number; account: Uint8Array; asset: Uint8Array; amount: bigint; depositor: Uint8Array }): Uint8Array {
    const out = new Uint8Array(116);
    out.set([1, 1], 0);
    out.set(beBytes(BigInt(p.destinationChain), 2), 2);
    out.set(p.account, 4);
    out.set(p.asset, 36);
    out.set(beBytes(p.amount, 16), 68);
    out.set(p.depositor, 84);
    return out;
  },
  withdrawalApproved(p: { originChain: number; account: Uint8Array; asset: Uint8Array; amount: bigint; recipient: Uint8Array; withdrawalId: bigint }): Uint8Array {
    const out = new Uint8Array(124);
    out.set([2, 1], 0);
    out.set(beBytes(BigInt(p.originChain), 2), 2);
    out.set(p.account, 4);
    out.set(p.asset, 36);
    out.set(beBytes(p.amount, 16), 68);
    out.set(p.recipient, 84);
    out.set(beBytes(p.withdrawalId, 8), 116);
    return out;
  },
  priceReport(publishTime: bigint, entries: { marketId: number; price: bigint; conf: bigint; emaPrice: bigint; volMultiplier: bigint }[]): Uint8Array {
    const out = new Uint8Array(11 + 68 * entries.length);
    out.set([4, 1], 0);
    out.set(beBytes(publishTime, 8), 2);
    out[10] = entries.length;
    entries.forEach((e, i) => {
      const o = 11 + 68 * i;
      out.set(beBytes(BigInt(e.marketId), 4), o);
      out.set(beBytes(e.price, 16), o + 4);
      out.set(beBytes(e.conf, 16), o + 20);
      out.set(beBytes(e.emaPrice, 16), o + 36);
      out.set(beBytes(e.volMultiplier, 16), o + 52);
    });
    return out;
  },
  guardianSetUpgrade(targetChain: number, newIndex: number, keys: Uint8Array[]): Uint8Array {
    const out = new Uint8Array(9 + 20 * keys.length);
    out.set([5, 1], 0);
    out.set(beBytes(BigInt(targetChain), 2), 2);
    out.set(beBytes(BigInt(newIndex), 4), 4);
    out[8] = keys.length;
    keys.forEach((k, i) => out.set(k, 9 + 20 * i));
    return out;
  },
};
