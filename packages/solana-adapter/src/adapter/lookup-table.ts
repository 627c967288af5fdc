/**
 * One address lookup table owned by the adapter's payer, created on first need and extended with
 * the stable (read-only) accounts of large instructions, so that a 13-signature credit fits in
 * one 1,232-byte transaction.
 */
import {
  AccountRole, address, appendTransactionMessageInstructions, createTransactionMessage, getAddressEncoder, getProgramDerivedAddress,
  pipe, sendAndConfirmTransactionFactory, setTransactionMessageFeePayerSigner, setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners, type Address, type Instruction, type Rpc, type RpcSubscriptions, type SolanaRpcApi,
  type SolanaRpcSubscriptionsApi, type TransactionSigner,
} from '@solana/kit'

export const ALT_PROGRAM = address('AddressLookupTab1e1111111111111111111111111')
const SYSTEM_PROGRAM = address('11111111111111111111111111111111')
const MAX_ADDRESSES = 256

type Clients = { rpc: Rpc<SolanaRpcApi>; rpcSubscriptions: RpcSubscriptions<SolanaRpcSubscriptionsApi> }

function data(tag: number, rest: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + rest.length)
  new DataView(out.buffer).setUint32(0, tag, true)
  out.set(rest, 4)
  return out
}

export class LookupTable {
  #address: Address | undefined
  readonly #addresses: Address[] = []

  constructor(
    readonly clients: Clients,
    readonly payer: TransactionSigner,
    readonly timeoutMs: number,
  ) {}

  /** The table holding every address of `wanted` (created or extended first if needed). */
  async ensure(wanted: readonly Address[]): Promise<{ address: Address; addresses: Address[] }> {
    const ixs: Instruction[] = []
    if (this.#addresses.length + wanted.length > MAX_ADDRESSES) {
      // Full: start a new table (the old one stays usable by transactions already built).
      this.#address = undefined
      this.#addresses.length = 0
    }
    const payerMeta = { address: this.payer.address, role: AccountRole.WRITABLE_SIGNER, signer: this.payer }
    const authorityMeta = { address: this.payer.address, role: AccountRole.READONLY_SIGNER, signer: this.payer }
    if (!this.#address) {
      const recent = await this.clients.rpc.getSlot({ commitment: 'finalized' }).send()
      const slotLe = new Uint8Array(8)
      new DataView(slotLe.buffer).setBigUint64(0, recent, true)
      const [table, bump] = await getProgramDerivedAddress({ programAddress: ALT_PROGRAM, seeds: [getAddressEncoder().encode(this.payer.address), slotLe] })
      ixs.push({
        programAddress: ALT_PROGRAM,
        accounts: [{ address: table, role: AccountRole.WRITABLE }, authorityMeta, payerMeta, { address: SYSTEM_PROGRAM, role: AccountRole.READONLY }],
        data: data(0, new Uint8Array([...slotLe, bump])),
      } as Instruction)
      this.#address = table
    }
    const missing = [...new Set(wanted)].filter((a) => !this.#addresses.includes(a))
    if (missing.length > 0) {
      const body = new Uint8Array(8 + 32 * missing.length)
      new DataView(body.buffer).setBigUint64(0, BigInt(missing.length), true)
      missing.forEach((a, i) => body.set(getAddressEncoder().encode(a), 8 + 32 * i))
      ixs.push({
        programAddress: ALT_PROGRAM,
        accounts: [{ address: this.#address, role: AccountRole.WRITABLE }, authorityMeta, payerMeta, { address: SYSTEM_PROGRAM, role: AccountRole.READONLY }],
        data: data(2, body),
      } as Instruction)
    }
    if (ixs.length > 0) {
      const { value: latest } = await this.clients.rpc.getLatestBlockhash({ commitment: 'confirmed' }).send()
      const msg = pipe(
        createTransactionMessage({ version: 0 }),
        (m) => setTransactionMessageFeePayerSigner(this.payer, m),
        (m) => setTransactionMessageLifetimeUsingBlockhash(latest, m),
        (m) => appendTransactionMessageInstructions(ixs, m),
      )
      const tx = await signTransactionMessageWithSigners(msg)
      await sendAndConfirmTransactionFactory(this.clients)(tx as never, { commitment: 'confirmed', abortSignal: AbortSignal.timeout(this.timeoutMs) })
      // Entries are usable from the slot after the extension; the transaction that uses them is
      // sent after `confirmed`, so it lands in a later slot (on a cluster and on the local RPC).
      this.#addresses.push(...missing)
    }
    return { address: this.#address, addresses: [...this.#addresses] }
  }
}
