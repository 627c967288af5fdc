import type { Hex } from '@bulwark/core'
import { addressBytes } from '@bulwark/programs-solana'
import { createSolanaRpc, getBase58Encoder, type Address, type Signature } from '@solana/kit'
import { PROGRAM } from './solana-program.js'

const LIQUIDATE = 11
const b58e = getBase58Encoder()

/**
 * The program's successful `liquidate` transactions after slot `fromSlot`, read back from the
 * chain (signatures for the program, then each transaction's instructions): liquidated margin
 * account PDA and the liquidator's key.
 */
export async function liquidationsSince(url: string, fromSlot: bigint): Promise<{ account: Address; liquidator: Address; signature: Signature }[]> {
  const rpc = createSolanaRpc(url)
  const sigs = (await rpc.getSignaturesForAddress(PROGRAM, { commitment: 'confirmed', limit: 1000 }).send()).filter((s) => s.err === null && s.slot > fromSlot).reverse()
  const out: { account: Address; liquidator: Address; signature: Signature }[] = []
  for (const s of sigs) {
    const tx = await rpc.getTransaction(s.signature, { commitment: 'confirmed', encoding: 'json', maxSupportedTransactionVersion: 0 }).send()
    const keys = tx!.transaction.message.accountKeys
    for (const i of tx!.transaction.message.instructions) {
      if (keys[i.programIdIndex] !== PROGRAM || new Uint8Array(b58e.encode(i.data))[0] !== LIQUIDATE) continue
      out.push({ liquidator: keys[i.accounts[0]!]!, account: keys[i.accounts[1]!]!, signature: s.signature })
    }
  }
  return out
}

export const hexOfAddress = (a: Address): Hex => `0x${Buffer.from(addressBytes(a)).toString('hex')}`
