/** The HTTP JSON-RPC methods: each takes the request's params and returns its result or throws RpcError. */
import { getBase58Encoder, getCompiledTransactionMessageDecoder, lamports, type Address } from '@solana/kit'
import { encodeAccount, isAddress, matches, type AccountConfig, type Filter } from './accounts.js'
import type { Commitment, LocalChain, TxRecord } from './chain.js'
import { RPC_CODE, RpcError, invalidParams } from './json.js'
import { encodeTransaction } from './transactions.js'

type Params = unknown[]
type Cfg = Record<string, unknown> & { commitment?: Commitment; encoding?: string; minContextSlot?: number }
export type Handler = (chain: LocalChain, params: Params) => unknown | Promise<unknown>

const b58e = getBase58Encoder()
export const VERSION = { 'solana-core': '2.2.0', 'feature-set': 3_294_202_862 }
const SLOTS_PER_EPOCH = 432_000n

function addr(p: unknown, what = 'address'): Address {
  if (!isAddress(p)) throw invalidParams(`${what}: invalid public key`)
  return p
}
function cfg(p: unknown): Cfg {
  if (p === undefined || p === null) return {}
  if (typeof p !== 'object' || Array.isArray(p)) throw invalidParams('config must be an object')
  const c = p as Cfg
  if (c.commitment !== undefined && !['processed', 'confirmed', 'finalized', 'recent', 'single', 'singleGossip', 'root', 'max'].includes(c.commitment)) {
    throw invalidParams(`unknown commitment ${String(c.commitment)}`)
  }
  return c
}
/** Maps a request's commitment (including the deprecated names) to a slot. */
export function commitmentOf(c: Cfg): Commitment {
  const v = c.commitment as string | undefined
  if (v === 'processed' || v === 'recent') return 'processed'
  if (v === 'confirmed' || v === 'single' || v === 'singleGossip') return 'confirmed'
  return 'finalized'
}
const slotOf = (chain: LocalChain, c: Cfg) => {
  const s = chain.slotAt(commitmentOf(c))
  if (c.minContextSlot !== undefined && s < BigInt(c.minContextSlot)) {
    throw new RpcError(-32016, 'Minimum context slot has not been reached', { contextSlot: s })
  }
  return s
}
const ctx = (chain: LocalChain, c: Cfg, value: unknown) => ({ context: { apiVersion: VERSION['solana-core'], slot: slotOf(chain, c) }, value })
function u64(p: unknown, what: string): bigint {
  if (typeof p === 'bigint' && p >= 0n) return p
  if (typeof p === 'number' && Number.isSafeInteger(p) && p >= 0) return BigInt(p)
  throw invalidParams(`${what}: expected a non-negative integer`)
}
const account = (chain: LocalChain, a: Address, c: Cfg) => {
  const acc = chain.svm.getAccount(a)
  return acc.exists ? encodeAccount(acc, c as AccountConfig) : null
}
function visible(chain: LocalChain, t: TxRecord | undefined, c: Cfg): TxRecord | undefined {
  return t && t.slot <= chain.slotAt(commitmentOf(c)) ? t : undefined
}
function status(chain: LocalChain, t: TxRecord) {
  const fin = t.slot <= chain.slotAt('finalized')
  const confirmationStatus = fin ? 'finalized' : t.slot <= chain.slotAt('confirmed') ? 'confirmed' : 'processed'
  return { slot: t.slot, confirmations: fin ? null : Number(chain.head - t.slot), err: t.err, status: t.err ? { Err: t.err } : { Ok: null }, confirmationStatus }
}
function wireOf(p: unknown, c: Cfg): Uint8Array {
  if (typeof p !== 'string') throw invalidParams('transaction must be an encoded string')
  const enc = c.encoding ?? 'base58'
  if (enc === 'base64') return new Uint8Array(Buffer.from(p, 'base64'))
  if (enc === 'base58') return new Uint8Array(b58e.encode(p))
  throw invalidParams(`unsupported encoding: ${enc}. Supported encodings: base58, base64`)
}

export const METHODS: Record<string, Handler> = {
  getHealth: () => 'ok',
  getVersion: () => VERSION,
  getGenesisHash: (chain) => chain.blocks[0]!.blockhash,
  getIdentity: () => ({ identity: 'Bu1warkLocaLva1idator1111111111111111111111' }),
  getSlot: (chain, p) => slotOf(chain, cfg(p[0])),
  getBlockHeight: (chain, p) => slotOf(chain, cfg(p[0])),
  getTransactionCount: (chain) => chain.transactionCount,
  getFirstAvailableBlock: () => 0n,
  minimumLedgerSlot: () => 0n,
  getEpochSchedule: () => ({ slotsPerEpoch: SLOTS_PER_EPOCH, leaderScheduleSlotOffset: SLOTS_PER_EPOCH, warmup: false, firstNormalEpoch: 0n, firstNormalSlot: 0n }),
  getEpochInfo: (chain, p) => {
    const s = slotOf(chain, cfg(p[0]))
    return { absoluteSlot: s, blockHeight: s, epoch: s / SLOTS_PER_EPOCH, slotIndex: s % SLOTS_PER_EPOCH, slotsInEpoch: SLOTS_PER_EPOCH, transactionCount: chain.transactionCount }
  },
  getLatestBlockhash: (chain, p) => {
    const c = cfg(p[0])
    return ctx(chain, c, chain.latestBlockhash(commitmentOf(c)))
  },
  isBlockhashValid: (chain, p) => ctx(chain, cfg(p[1]), typeof p[0] === 'string' && chain.isBlockhashValid(p[0])),
  getFeeForMessage: (chain, p) => {
    if (typeof p[0] !== 'string') throw invalidParams('message must be a base64 string')
    let m
    try {
      m = getCompiledTransactionMessageDecoder().decode(new Uint8Array(Buffer.from(p[0], 'base64')))
    } catch {
      throw invalidParams('invalid message')
    }
    return ctx(chain, cfg(p[1]), chain.isBlockhashValid(m.lifetimeToken) ? 5_000n * BigInt(m.header.numSignerAccounts) : null)
  },
  getMinimumBalanceForRentExemption: (chain, p) => chain.svm.minimumBalanceForRentExemption(u64(p[0] ?? 0, 'data length')),
  getRecentPrioritizationFees: () => [],
  getRecentPerformanceSamples: () => [],
  getBalance: (chain, p) => ctx(chain, cfg(p[1]), chain.svm.getBalance(addr(p[0])) ?? 0n),
  getAccountInfo: (chain, p) => {
    const c = cfg(p[1])
    return ctx(chain, c, account(chain, addr(p[0]), c))
  },
  getMultipleAccounts: (chain, p) => {
    if (!Array.isArray(p[0])) throw invalidParams('expected an array of addresses')
    if (p[0].length > 100) throw invalidParams('Too many inputs provided; max 100')
    const c = cfg(p[1])
    return ctx(chain, c, p[0].map((a) => account(chain, addr(a), c)))
  },
  getProgramAccounts: (chain, p) => {
    const c = cfg(p[1])
    const filters = (c.filters ?? []) as Filter[]
    if (!Array.isArray(filters)) throw invalidParams('filters must be an array')
    const list = chain.svm.getProgramAccounts(addr(p[0], 'program id'))
      .filter((a) => matches(a.data as Uint8Array, filters))
      .map((a) => ({ pubkey: a.address, account: encodeAccount(a, c as AccountConfig) }))
    return c.withContext ? ctx(chain, c, list) : list
  },
  getSignatureStatuses: (chain, p) => {
    if (!Array.isArray(p[0])) throw invalidParams('expected an array of signatures')
    if (p[0].length > 256) throw invalidParams('Too many inputs provided; max 256')
    return { context: { apiVersion: VERSION['solana-core'], slot: chain.head }, value: p[0].map((s) => {
      const t = typeof s === 'string' ? chain.transaction(s) : undefined
      return t ? status(chain, t) : null
    }) }
  },
  getSignaturesForAddress: (chain, p) => {
    const c = cfg(p[1])
    const limit = c.limit === undefined ? 1000 : Number(c.limit)
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw invalidParams('Invalid limit; max 1000')
    const max = chain.slotAt(commitmentOf(c))
    const all = chain.signaturesFor(addr(p[0]))
    let end = all.length
    if (typeof c.before === 'string') end = all.indexOf(c.before) < 0 ? 0 : all.indexOf(c.before)
    const out = []
    for (let i = end - 1; i >= 0 && out.length < limit; i--) {
      if (all[i] === c.until) break
      const t = chain.transaction(all[i]!)!
      if (t.slot > max) continue
      const s = status(chain, t)
      out.push({ signature: t.signature, slot: t.slot, err: t.err, memo: null, blockTime: t.blockTime, confirmationStatus: s.confirmationStatus })
    }
    return out
  },
  getTransaction: (chain, p) => {
    if (typeof p[0] !== 'string') throw invalidParams('signature must be a string')
    const c = cfg(p[1])
    const t = visible(chain, chain.transaction(p[0]), c)
    return t ? encodeTransaction(t, c) : null
  },
  getBlockTime: (chain, p) => {
    const b = chain.block(u64(p[0], 'slot'))
    if (!b || b.slot > chain.slotAt('confirmed')) throw new RpcError(RPC_CODE.blockNotAvailable, `Block not available for slot ${String(p[0])}`)
    return b.blockTime
  },
  getBlocks: (chain, p) => {
    const from = u64(p[0], 'start slot')
    const max = chain.slotAt(commitmentOf(cfg(typeof p[1] === 'object' ? p[1] : p[2])))
    const to = typeof p[1] === 'number' || typeof p[1] === 'bigint' ? u64(p[1], 'end slot') : max
    if (to - from > 500_000n) throw invalidParams('Slot range too large; max 500000')
    const out: bigint[] = []
    for (let s = from; s <= to && s <= max; s++) out.push(s)
    return out
  },
  getBlock: (chain, p) => {
    const c = cfg(p[1])
    const b = chain.block(u64(p[0], 'slot'))
    if (!b || b.slot > chain.slotAt(commitmentOf(c))) throw new RpcError(RPC_CODE.blockNotAvailable, `Block not available for slot ${String(p[0])}`)
    const out: Record<string, unknown> = { blockhash: b.blockhash, previousBlockhash: b.previousBlockhash, parentSlot: b.parentSlot, blockHeight: b.slot, blockTime: b.blockTime }
    const details = (c.transactionDetails as string | undefined) ?? 'full'
    if (details === 'signatures') out.signatures = b.signatures
    else if (details === 'full') out.transactions = b.signatures.map((s) => encodeTransaction(chain.transaction(s)!, c, false))
    else if (details !== 'none') throw invalidParams(`unsupported transactionDetails ${details}`)
    if (c.rewards !== false) out.rewards = []
    return out
  },
  simulateTransaction: (chain, p) => {
    const c = cfg(p[1])
    let wire = wireOf(p[0], c)
    let replacementBlockhash
    if (c.replaceRecentBlockhash) {
      if (c.sigVerify) throw invalidParams('sigVerify may not be used with replaceRecentBlockhash')
      const latest = chain.latestBlockhash('processed')
      wire = replaceBlockhash(wire, latest.blockhash)
      replacementBlockhash = latest
    }
    const sim = chain.simulate(wire, { sigVerify: Boolean(c.sigVerify) })
    return ctx(chain, { commitment: 'processed' }, { ...sim, accounts: null, innerInstructions: null, ...(replacementBlockhash ? { replacementBlockhash } : {}) })
  },
  sendTransaction: (chain, p) => {
    const c = cfg(p[1])
    return chain.send(wireOf(p[0], c), { skipPreflight: Boolean(c.skipPreflight) })
  },
  requestAirdrop: (chain, p) => chain.airdrop(addr(p[0]), lamports(u64(p[1], 'lamports'))),
}

/** Rewrites the recent blockhash of a wire transaction (signatures then become invalid). */
function replaceBlockhash(wire: Uint8Array, hash: string): Uint8Array {
  const n = wire[0]!
  if (n >= 0x80) throw invalidParams('too many signatures')
  const msg = 1 + 64 * n
  const v0 = (wire[msg]! & 0x80) !== 0
  let o = msg + (v0 ? 1 : 0) + 3
  let keys = 0
  let shift = 0
  for (;;) {
    const b = wire[o++]!
    keys |= (b & 0x7f) << shift
    if ((b & 0x80) === 0) break
    shift += 7
  }
  o += 32 * keys
  const out = wire.slice()
  out.set(b58e.encode(hash), o)
  return out
}

