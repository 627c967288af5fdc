import { bytesToHex, bytesToUint } from '@bulwark/core'
import { K } from '../store/keys.js'

/** The store key (chain, emitter, sequence) of a serialized VAA body. */
export function messageKeyOfBody(body: Uint8Array): string {
  return K.signed(Number(bytesToUint(body, 8, 2)), bytesToHex(body.subarray(10, 42)), bytesToUint(body, 42, 8))
}
