/**
 * Which margin accounts the Bulwark program changed in a slot range. The program writes no log
 * line for credits, trades or liquidations (only for messages), so changes are read from the
 * transactions themselves: every successful program transaction in the range, every account it
 * could write (static writable keys and writable lookup-table entries), kept when it is a margin
 * account the program owns. The owner (the account id, bytes32) is read from the account's data.
 */
import { bytesToHex, type Hex } from '@bulwark/core'
import { ACCOUNT_KIND, MARGIN_ACCOUNT_LEN, MARGIN_OWNER as OWNER } from '@bulwark/programs-solana'
import { getBase58Decoder, type Address, type Rpc, type Signature, type SolanaRpcApi } from '@solana/kit'

export { MARGIN_ACCOUNT_LEN }
const b58d = getBase58Decoder()
const SYSTEM_PROGRAM = '11111111111111111111111111111111'

/** Signatures of the program's successful transactions with a slot in [from, to], oldest first (getSignaturesForAddress, paged). */
export async function programSignatures(rpc: Rpc<SolanaRpcApi>, program: Address, from: bigint, to: bigint): Promise<{ signature: Signature; slot: bigint }[]> {
  const found: { signature: Signature; slot: bigint }[] = []
  let before: Signature | undefined
  for (let page = 0; page < 1_000; page++) {
    const list = await rpc.getSignaturesForAddress(program, { commitment: 'confirmed', limit: 1000, ...(before ? { before } : {}) }).send()
    for (const s of list) if (s.err === null && s.slot >= from && s.slot <= to) found.push({ signature: s.signature, slot: s.slot })
    if (list.length < 1000 || list[list.length - 1]!.slot < from) break
    before = list[list.length - 1]!.signature
  }
  return found.reverse()
}

type JsonTx = {
  transaction: { message: { accountKeys: readonly string[]; header: { numRequiredSignatures: number; numReadonlySignedAccounts: number; numReadonlyUnsignedAccounts: number } } }
  meta: { loadedAddresses?: { writable: readonly string[] } | null } | null
}

/** The accounts a transaction could write, in account-key order (the message header's rules, then writable lookups). */
export function writableAccounts(tx: JsonTx): string[] {
  const { accountKeys: keys, header: h } = tx.transaction.message
  const out: string[] = []
  for (let i = 0; i < keys.length; i++) {
    const signer = i < h.numRequiredSignatures
    const writable = signer ? i < h.numRequiredSignatures - h.numReadonlySignedAccounts : i < keys.length - h.numReadonlyUnsignedAccounts
    if (writable) out.push(keys[i]!)
  }
  out.push(...(tx.meta?.loadedAddresses?.writable ?? []))
  return out
}

/** Owner of a margin account from its data, or null when the data is not a MarginAccount. */
export function marginOwner(data: Uint8Array): Hex | null {
  if (data.length !== MARGIN_ACCOUNT_LEN || data[0] !== ACCOUNT_KIND.account) return null
  return bytesToHex(data.subarray(OWNER.offset, OWNER.offset + OWNER.length))
}

/**
 * Remembers which addresses are margin accounts (address -> owner) and which are not, so a
 * keeper's per-tick poll fetches only addresses it has never seen.
 */
export class AccountChangeIndex {
  readonly #owners = new Map<string, Hex>()
  readonly #other = new Set<string>()

  constructor(private readonly rpc: Rpc<SolanaRpcApi>, private readonly program: Address) {}

  /** Accounts (bytes32 owners) the program's transactions in slots [from, to] wrote, each once, in order of first change. */
  async changes(from: bigint, to: bigint): Promise<Hex[]> {
    const sigs = await programSignatures(this.rpc, this.program, from, to)
    const candidates: string[] = []
    const seen = new Set<string>()
    for (let i = 0; i < sigs.length; i += 16) {
      const txs = await Promise.all(sigs.slice(i, i + 16).map((s) => this.rpc.getTransaction(s.signature, { commitment: 'confirmed', encoding: 'json', maxSupportedTransactionVersion: 0 }).send()))
      for (const tx of txs) {
        if (!tx) continue
        for (const a of writableAccounts(tx as unknown as JsonTx)) {
          if (seen.has(a) || a === this.program) continue
          seen.add(a)
          candidates.push(a)
        }
      }
    }
    await this.#resolve(candidates.filter((a) => !this.#owners.has(a) && !this.#other.has(a)))
    const out: Hex[] = []
    const owners = new Set<Hex>()
    for (const a of candidates) {
      const o = this.#owners.get(a)
      if (o && !owners.has(o)) {
        owners.add(o)
        out.push(o)
      }
    }
    return out
  }

  /**
   * Every margin account the program holds now (getProgramAccounts, kind + size filters, owner
   * slice only): the starting index, as of `context slot` (returned with it).
   */
  async all(): Promise<{ slot: bigint; accounts: Hex[] }> {
    const r = await this.rpc
      .getProgramAccounts(this.program, {
        commitment: 'confirmed', encoding: 'base64', withContext: true, dataSlice: OWNER,
        filters: [{ dataSize: BigInt(MARGIN_ACCOUNT_LEN) }, { memcmp: { offset: 0n, bytes: b58d.decode(Uint8Array.of(ACCOUNT_KIND.account)) as never, encoding: 'base58' } }],
      })
      .send()
    const accounts: Hex[] = []
    for (const { pubkey, account } of r.value) {
      const owner = bytesToHex(new Uint8Array(Buffer.from(account.data[0], 'base64')))
      this.#owners.set(pubkey, owner)
      accounts.push(owner)
    }
    return { slot: r.context.slot, accounts }
  }

  async #resolve(addresses: string[]): Promise<void> {
    for (let i = 0; i < addresses.length; i += 100) {
      const chunk = addresses.slice(i, i + 100)
      const { value } = await this.rpc.getMultipleAccounts(chunk as Address[], { commitment: 'confirmed', encoding: 'base64' }).send()
      for (const [k, acc] of value.entries()) {
        const a = chunk[k]!
        // Missing, or still System-owned (lamports sent to an address before the program allocates
        // it): not settled, ask again next time.
        if (!acc || acc.owner === SYSTEM_PROGRAM) continue
        const owner = acc.owner === this.program ? marginOwner(new Uint8Array(Buffer.from(acc.data[0], 'base64'))) : null
        if (owner) this.#owners.set(a, owner)
        else this.#other.add(a)
      }
    }
  }
}
