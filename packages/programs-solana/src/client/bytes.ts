/** Little builder for instruction data (little-endian, like the program's reader). */
export class Writer {
  private parts: number[] = [];
  u8(v: number): this { this.parts.push(v & 0xff); return this; }
  u16(v: number): this { return this.u8(v).u8(v >> 8); }
  u32(v: number): this { for (let i = 0; i < 4; i++) this.u8(Math.floor(v / 2 ** (8 * i))); return this; }
  u64(v: bigint): this { for (let i = 0n; i < 8n; i++) this.u8(Number((v >> (8n * i)) & 0xffn)); return this; }
  u128(v: bigint): this { const x = BigInt.asUintN(128, v); for (let i = 0n; i < 16n; i++) this.u8(Number((x >> (8n * i)) & 0xffn)); return this; }
  bytes(b: Uint8Array): this { for (const x of b) this.parts.push(x); return this; }
  done(): Uint8Array { return new Uint8Array(this.parts); }
}

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
export const fromHex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s.replace(/^0x/, ''), 'hex'));

export function beBytes(v: bigint, n: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = v;
  for (let i = n - 1; i >= 0; i--) { out[i] = Number(x & 0xffn); x >>= 8n; }
  return out;
}

export function beToBig(b: Uint8Array): bigint {
  let x = 0n;
  for (const v of b) x = (x << 8n) | BigInt(v);
  return x;
}
