/** Account encodings (base64, base58, base64+zstd refused) and getProgramAccounts filters, as the RPC answers them. */
import { getBase58Decoder, getBase58Encoder, type Address, type EncodedAccount } from '@solana/kit'
import { invalidParams } from './json.js'

const b58d = getBase58Decoder()
const b58e = getBase58Encoder()
const U64_MAX = (1n << 64n) - 1n

export type AccountConfig = { encoding?: string; dataSlice?: { offset: number; length: number } }

export function encodeAccount(acc: EncodedAccount, cfg: AccountConfig = {}) {
  let data = acc.data as Uint8Array
  if (cfg.dataSlice) data = data.subarray(cfg.dataSlice.offset, cfg.dataSlice.offset + cfg.dataSlice.length)
  const enc = cfg.encoding ?? 'binary'
  let encoded: unknown
  if (enc === 'base64' || enc === 'jsonParsed') encoded = [Buffer.from(data).toString('base64'), 'base64']
  else if (enc === 'base58') encoded = [b58d.decode(data), 'base58']
  else if (enc === 'binary') encoded = b58d.decode(data)
  else throw invalidParams(`unsupported encoding: ${enc}`)
  return { lamports: acc.lamports, owner: acc.programAddress, data: encoded, executable: acc.executable, rentEpoch: U64_MAX, space: BigInt(acc.data.length) }
}

export type Filter = { dataSize?: number; memcmp?: { offset: number; bytes: string; encoding?: string } }

/** True when `data` passes every filter. */
export function matches(data: Uint8Array, filters: Filter[] = []): boolean {
  for (const f of filters) {
    if (f.dataSize !== undefined) {
      if (data.length !== f.dataSize) return false
    } else if (f.memcmp) {
      const want = f.memcmp.encoding === 'base64' ? new Uint8Array(Buffer.from(f.memcmp.bytes, 'base64')) : new Uint8Array(b58e.encode(f.memcmp.bytes))
      const o = f.memcmp.offset
      if (o + want.length > data.length) return false
      for (let i = 0; i < want.length; i++) if (data[o + i] !== want[i]) return false
    } else {
      throw invalidParams('unknown filter')
    }
  }
  return true
}

export const isAddress = (s: unknown): s is Address => {
  if (typeof s !== 'string' || s.length < 32 || s.length > 44) return false
  try {
    return b58e.encode(s).length === 32
  } catch {
    return false
  }
}
