import { hexToBytes } from '@bulwark/core'
import { getBase58Encoder } from '@solana/kit'

const b58e = getBase58Encoder()

/** 32 bytes of a base58 address. */
export const bytesOfAddress = (a: string): Uint8Array => new Uint8Array(b58e.encode(a))

/** Bytes of a 0x-hex string (core's typed InvalidParameter on bad hex). */
export const hexToBytesStrict = (h: string): Uint8Array => hexToBytes(h)
