/** SPL Token read methods (getTokenAccountBalance, getTokenAccountsByOwner, getTokenSupply), decoded from the token account layouts. */
import { address, getBase58Decoder, type Address } from '@solana/kit'
import { encodeAccount, isAddress, type AccountConfig } from './accounts.js'
import type { LocalChain } from './chain.js'
import { invalidParams } from './json.js'
import type { Handler } from './methods.js'

const TOKEN_PROGRAMS: Address[] = [address('TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA'), address('TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb')]
const b58 = getBase58Decoder()
const u64 = (d: Uint8Array, o: number) => new DataView(d.buffer, d.byteOffset, d.byteLength).getBigUint64(o, true)

function ui(amount: bigint, decimals: number) {
  const s = amount.toString().padStart(decimals + 1, '0')
  const uiAmountString = decimals === 0 ? s : `${s.slice(0, -decimals)}.${s.slice(-decimals)}`.replace(/\.?0+$/, '')
  return { amount: amount.toString(), decimals, uiAmount: Number(uiAmountString), uiAmountString }
}

function tokenAccount(chain: LocalChain, a: unknown, what: string) {
  if (!isAddress(a)) throw invalidParams(`${what}: invalid public key`)
  const acc = chain.svm.getAccount(a)
  const data = acc.exists ? (acc.data as Uint8Array) : undefined
  if (!acc.exists || !TOKEN_PROGRAMS.includes(acc.programAddress) || !data || data.length < 165) throw invalidParams(`${what}: not a token account`)
  return data
}

function decimalsOf(chain: LocalChain, mint: Address): number {
  const m = chain.svm.getAccount(mint)
  if (!m.exists || m.data.length < 82) throw invalidParams('could not find mint')
  return (m.data as Uint8Array)[44]!
}

const ctx = (chain: LocalChain, value: unknown) => ({ context: { slot: chain.slotAt('confirmed') }, value })

export const TOKEN_METHODS: Record<string, Handler> = {
  getTokenAccountBalance: (chain, p) => {
    const d = tokenAccount(chain, p[0], 'token account')
    return ctx(chain, ui(u64(d, 64), decimalsOf(chain, b58.decode(d.subarray(0, 32)) as Address)))
  },
  getTokenSupply: (chain, p) => {
    if (!isAddress(p[0])) throw invalidParams('mint: invalid public key')
    const m = chain.svm.getAccount(p[0])
    if (!m.exists || m.data.length < 82) throw invalidParams('could not find mint')
    return ctx(chain, ui(u64(m.data as Uint8Array, 36), (m.data as Uint8Array)[44]!))
  },
  getTokenAccountsByOwner: (chain, p) => {
    if (!isAddress(p[0])) throw invalidParams('owner: invalid public key')
    const f = (p[1] ?? {}) as { mint?: unknown; programId?: unknown }
    if ((f.mint === undefined) === (f.programId === undefined)) throw invalidParams('give exactly one of mint or programId')
    if (f.mint !== undefined && !isAddress(f.mint)) throw invalidParams('mint: invalid public key')
    if (f.programId !== undefined && !TOKEN_PROGRAMS.includes(f.programId as Address)) throw invalidParams('unrecognized token program id')
    const programs = f.programId ? [f.programId as Address] : TOKEN_PROGRAMS
    const owner = p[0]
    const value = programs.flatMap((prog) => chain.svm.getProgramAccounts(prog))
      .filter((a) => a.data.length >= 165 && b58.decode((a.data as Uint8Array).subarray(32, 64)) === owner && (f.mint === undefined || b58.decode((a.data as Uint8Array).subarray(0, 32)) === f.mint))
      .map((a) => ({ pubkey: a.address, account: encodeAccount(a, (p[2] ?? {}) as AccountConfig) }))
    return ctx(chain, value)
  },
}
