import { RISK_PROFILE } from '@bulwark/core'
import { z } from 'zod'
import { DevnetError } from './errors.js'

const EvmChain = z
  .object({
    /** Shown in output: "chain-a". */
    name: z.string().regex(/^[a-z0-9-]{1,32}$/),
    /** Wormhole-style chain id (docs/protocol.md §2). */
    chainId: z.number().int().min(1).max(65_535),
    /** The EVM chain id anvil reports. */
    evmChainId: z.number().int().positive(),
    /** Seconds between blocks; 0 mines one block per transaction. @default 1 */
    blockTime: z.number().min(0).max(60).default(1),
  })
  .strict()

export const ProfileSchema = z
  .object({
    /** Relayer (guardian) nodes, each its own process. @default 4 */
    relayers: z.number().int().min(1).max(19).default(4),
    /** Oracle nodes, each its own process. @default 3 */
    oracles: z.number().int().min(1).max(19).default(3),
    /** EVM chains; the first is the collateral origin (A), the second the position chain (B). */
    chains: z.array(EvmChain).min(2).max(6),
    /** Start the local Solana RPC over litesvm with Bulwark's program. @default true */
    solana: z.boolean().default(true),
    /** Milliseconds per empty Solana slot. @default 400 */
    solanaSlotMs: z.number().int().min(0).max(10_000).default(400),
    /** Oracle round length in seconds. @default 1 */
    oracleRoundSeconds: z.number().int().min(1).max(60).default(1),
    /** Status page port (0: a free one). @default 0 */
    pagePort: z.number().int().min(0).max(65_535).default(0),
    /** Per-service bound on the wait for health, ms. @default 60000 */
    healthTimeoutMs: z.number().int().min(1000).max(600_000).default(60_000),
    /**
     * Liquidation to a target health (docs/protocol.md section 8) on the EVM engine and the Solana
     * program; 0 keeps the close factor. The chains refuse a target whose product with a market's mmf
     * does not exceed the penalty rate. @default 1.5 (core's RISK_PROFILE.liquidation.targetHealth)
     */
    liquidationTargetHealth: z.number().refine((x) => x === 0 || (x >= 1 && x <= 1000), 'liquidationTargetHealth must be 0 (off) or in [1, 1000]').default(Number(RISK_PROFILE.liquidation.targetHealth) / 1e18),
  })
  .strict()

export type Profile = z.output<typeof ProfileSchema>

/** A profile's liquidationTargetHealth as WAD (6 decimals kept): 0n when off. */
export const targetHealthWad = (x: number): bigint => BigInt(Math.round(x * 1e6)) * 10n ** 12n
export type ProfileInput = z.input<typeof ProfileSchema>

const TWO_CHAINS = [
  { name: 'chain-a', chainId: 10002, evmChainId: 31002, blockTime: 1 },
  { name: 'chain-b', chainId: 10003, evmChainId: 31003, blockTime: 1 },
]

/** The README's devnet: two anvil chains, Solana, 4 relayers, 3 oracle nodes. */
export const FULL: ProfileInput = { relayers: 4, oracles: 3, chains: TWO_CHAINS, solana: true }

/** For quick tries: one EVM chain pair, one relayer, one oracle node, no Solana. */
export const MINIMAL: ProfileInput = { relayers: 1, oracles: 1, chains: TWO_CHAINS, solana: false }

/** Validates a profile; the error names the bad field. */
export function parseProfile(input: unknown): Profile {
  const r = ProfileSchema.safeParse(input)
  if (r.success) {
    const ids = new Set(r.data.chains.map((c) => c.chainId))
    if (ids.size !== r.data.chains.length) throw new DevnetError('profile field chains: two chains share a chainId')
    return r.data
  }
  const i = r.error.issues[0]!
  throw new DevnetError(`profile field ${i.path.join('.') || '(root)'}: ${i.message}`)
}

/** A chain list of `n` EVM chains with the given block time (chain-a, chain-b, chain-c ...). */
export function evmChains(n: number, blockTime: number): ProfileInput['chains'] {
  return Array.from({ length: n }, (_, i) => ({ name: `chain-${String.fromCharCode(97 + i)}`, chainId: 10002 + i, evmChainId: 31002 + i, blockTime }))
}
