/** A landed transaction in the shapes getTransaction and getBlock return. */
import { getBase58Decoder } from '@solana/kit'
import type { TxRecord } from './chain.js'
import { RPC_CODE, RpcError, invalidParams } from './json.js'

const b58 = getBase58Decoder()

function jsonMessage(t: TxRecord) {
  const m = t.message
  const out: Record<string, unknown> = {
    accountKeys: m.staticAccounts,
    header: { numRequiredSignatures: m.header.numSignerAccounts, numReadonlySignedAccounts: m.header.numReadonlySignerAccounts, numReadonlyUnsignedAccounts: m.header.numReadonlyNonSignerAccounts },
    recentBlockhash: m.lifetimeToken,
    instructions: ('instructions' in m ? m.instructions : []).map((ix: { programAddressIndex: number; accountIndices?: readonly number[]; data?: { length: number } }) => ({ programIdIndex: ix.programAddressIndex, accounts: [...(ix.accountIndices ?? [])], data: b58.decode((ix.data ?? new Uint8Array()) as Uint8Array), stackHeight: null })),
  }
  if (m.version !== 'legacy') {
    out.addressTableLookups = ('addressTableLookups' in m ? (m.addressTableLookups ?? []) : []).map((l) => ({ accountKey: l.lookupTableAddress, writableIndexes: l.writableIndexes, readonlyIndexes: l.readonlyIndexes }))
  }
  return out
}

/**
 * getTransaction's result (`withSlot`) or one entry of getBlock's `transactions`. Versioned
 * transactions need `maxSupportedTransactionVersion: 0`, as on a real cluster.
 */
export function encodeTransaction(t: TxRecord, cfg: Record<string, unknown>, withSlot = true) {
  const version = t.message.version
  const maxV = cfg.maxSupportedTransactionVersion
  if (version !== 'legacy' && (maxV === undefined || Number(maxV) < Number(version))) {
    throw new RpcError(RPC_CODE.unsupportedTransactionVersion, `Transaction version (${version}) is not supported by the requesting client. Please try the request again with the following configuration parameter: "maxSupportedTransactionVersion": ${version}`)
  }
  const enc = (cfg.encoding as string | undefined) ?? 'json'
  let transaction: unknown
  if (enc === 'json' || enc === 'jsonParsed') transaction = { signatures: t.signatures, message: jsonMessage(t) }
  else if (enc === 'base64') transaction = [Buffer.from(t.wire).toString('base64'), 'base64']
  else if (enc === 'base58') transaction = [b58.decode(t.wire), 'base58']
  else throw invalidParams(`unsupported encoding ${enc}`)
  const meta = {
    err: t.err, status: t.err ? { Err: t.err } : { Ok: null }, fee: t.fee, preBalances: t.preBalances, postBalances: t.postBalances,
    innerInstructions: [], logMessages: t.logs, preTokenBalances: [], postTokenBalances: [], rewards: [],
    loadedAddresses: t.loaded, computeUnitsConsumed: t.unitsConsumed, ...(t.returnData ? { returnData: t.returnData } : {}),
  }
  const base = { transaction, meta, version: version === 'legacy' ? 'legacy' : version }
  return withSlot ? { slot: t.slot, blockTime: t.blockTime, ...base } : base
}
