/** Sends one program instruction (with a compute budget) and waits for `confirmed`, mapping program errors to typed errors. */
import { bytesToHex, type SubmitResult } from '@bulwark/core'
import {
  AccountRole, appendTransactionMessageInstructions, compressTransactionMessageUsingAddressLookupTables, getTransactionEncoder, createTransactionMessage, getBase58Encoder, getSignatureFromTransaction, pipe,
  sendAndConfirmTransactionFactory, setTransactionMessageFeePayerSigner, setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners, type Instruction, type Rpc, type RpcSubscriptions, type SolanaRpcApi,
  type SolanaRpcSubscriptionsApi, type TransactionSigner, type Address,
} from '@solana/kit'
import { programError } from './errors.js'
import type { LookupTable } from './lookup-table.js'

/** Largest wire transaction a cluster accepts. */
const PACKET_DATA_SIZE = 1232

const COMPUTE_BUDGET = 'ComputeBudget111111111111111111111111111111'

function computeUnitLimit(units: number): Instruction {
  const data = new Uint8Array(5)
  data[0] = 2
  new DataView(data.buffer).setUint32(1, units, true)
  return { programAddress: COMPUTE_BUDGET, accounts: [], data } as unknown as Instruction
}

export async function sendInstruction(
  c: { rpc: Rpc<SolanaRpcApi>; rpcSubscriptions: RpcSubscriptions<SolanaRpcSubscriptionsApi> },
  o: { instruction: Instruction; computeUnits: number; payer: TransactionSigner; timeoutMs: number; lookupTable?: LookupTable | undefined; stable?: readonly Address[] | undefined },
): Promise<SubmitResult> {
  const { value: latest } = await c.rpc.getLatestBlockhash({ commitment: 'confirmed' }).send()
  const msg = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayerSigner(o.payer, m),
    (m) => setTransactionMessageLifetimeUsingBlockhash(latest, m),
    (m) => appendTransactionMessageInstructions([computeUnitLimit(o.computeUnits), o.instruction], m),
  )
  let tx = await signTransactionMessageWithSigners(msg)
  if (getTransactionEncoder().encode(tx).length > PACKET_DATA_SIZE && o.lookupTable) {
    // Too large: move the instruction's stable accounts (by default its read-only non-signers:
    // config, guardian set, emitter, asset, system program) into the payer's lookup table.
    const stable = o.stable ?? o.instruction.accounts!.filter((a) => a.role === AccountRole.READONLY).map((a) => a.address)
    const table = await o.lookupTable.ensure(stable)
    tx = await signTransactionMessageWithSigners(compressTransactionMessageUsingAddressLookupTables(msg, { [table.address]: table.addresses }))
  }
  const signature = getSignatureFromTransaction(tx)
  try {
    await sendAndConfirmTransactionFactory(c)(tx as never, { commitment: 'confirmed', abortSignal: AbortSignal.timeout(o.timeoutMs) })
  } catch (e) {
    throw programError(e, 1) ?? e
  }
  const [status] = (await c.rpc.getSignatureStatuses([signature]).send()).value
  return { txHash: bytesToHex(new Uint8Array(getBase58Encoder().encode(signature))), ...(status ? { height: status.slot } : {}) }
}
