import { z } from 'zod'
import { InvalidConfigError } from './errors.js'

const hex20 = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'expected a 0x-prefixed 20-byte address')
const hex32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'expected 0x-prefixed 32 bytes')
const chainId = z.number().int().min(1).max(65_535)
const usd = z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).transform((v) => BigInt(v) * 10n ** 18n)

/** Where the guardian key comes from. Only bin/ reads the environment. */
const GuardianKeySource = z.union([
  z.object({ keystore: z.string().min(1), passwordEnv: z.string().min(1).default('BULWARK_KEYSTORE_PASSWORD') }).strict(),
  z.object({ env: z.string().min(1) }).strict(),
])

/** Fields every chain kind shares. */
const chainCommon = {
  chainId,
  name: z.string().min(1),
  /** Watch this chain's emitters. @default true */
  watch: z.boolean().default(true),
  /** Deliver VAAs whose destination is this chain. @default true */
  deliver: z.boolean().default(true),
  /** First height (block or slot) scanned when there is no cursor. @default 0 */
  startHeight: z.number().int().nonnegative().default(0),
}

const EvmChain = z
  .object({
    ...chainCommon,
    kind: z.literal('evm'),
    rpcUrl: z.string().url(),
    /** The EVM chain id (eth_chainId). @default 31337 */
    evmChainId: z.number().int().positive().default(31337),
    /** Contract addresses as deployBulwark() reports them. */
    contracts: z.object({ oracle: hex20, engine: hex20, vault: hex20 }).strict(),
    /** Blocks behind the head counted as `safe` / `finalized`. @default 2 / 4 */
    safeDepth: z.number().int().nonnegative().default(2),
    finalizedDepth: z.number().int().nonnegative().default(4),
    /** Stuck delivery transactions: re-sent with the same nonce and fees +percent after afterMs, up to maxBumps times. */
    feeBump: z
      .object({ afterMs: z.number().int().min(100).default(15_000), percent: z.number().int().min(10).max(500).default(20), maxBumps: z.number().int().min(0).max(20).default(4) })
      .strict()
      .default({ afterMs: 15_000, percent: 20, maxBumps: 4 }),
    /** Environment variable with the EVM key (0x + 32 bytes hex) that pays for deliveries (read by bin/). */
    senderKeyEnv: z.string().min(1).optional(),
  })
  .strict()

const SolanaChain = z
  .object({
    ...chainCommon,
    kind: z.literal('solana'),
    rpcUrl: z.string().url(),
    /** PubSub endpoint. @default rpcUrl with ws(s):// and port + 1 (where Solana clusters listen) */
    wsUrl: z.string().url().optional(),
    /** The Bulwark program id (base58); its id as bytes32 is the emitter the watcher follows. */
    programId: z.string().regex(/^[1-9A-HJ-NP-Za-km-z]{32,44}$/, 'expected a base58 program id'),
    /** Consistency level reported on this chain's messages. @default 1 (finalized) */
    consistencyLevel: z.number().int().min(0).max(255).default(1),
    /** Environment variable with the payer's keypair: a JSON array of 64 bytes (solana-keygen file contents) or base58 (read by bin/). */
    payerKeyEnv: z.string().min(1).optional(),
  })
  .strict()

const Chain = z.discriminatedUnion('kind', [EvmChain, SolanaChain])

export const ConfigSchema = z
  .object({
    /** Shown in logs and heartbeats. @default "relayer" */
    nodeName: z.string().min(1).max(64).default('relayer'),
    /** Topic prefix: <network>/observations etc. */
    network: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes'),
    dataDir: z.string().min(1),
    /** libp2p identity file. @default "<dataDir>/node.key" */
    nodeKeyFile: z.string().min(1).optional(),
    guardianKey: GuardianKeySource,
    /** @default 0 */
    guardianSetIndex: z.number().int().nonnegative().default(0),
    /** Where guardian set upgrades come from, and how long the previous set stays valid after one. */
    governance: z
      .object({
        /** @default 1 */
        chain: chainId.default(1),
        /** @default 0x00..04 (deployBulwark's default governance emitter) */
        emitter: hex32.default(`0x${'00'.repeat(31)}04`),
        /** @default 86400 */
        guardianSetOverlapSeconds: z.number().int().nonnegative().default(86_400),
      })
      .strict()
      .default({ chain: 1, emitter: `0x${'00'.repeat(31)}04`, guardianSetOverlapSeconds: 86_400 }),
    guardians: z.array(z.object({ address: hex20, peerId: z.string().min(1) }).strict()).min(1).max(19),
    /**
     * PeerIds of guardians outside the configured set (members of a future set). An upgrade VAA
     * carries addresses only: once an accepted upgrade puts one of these addresses in the set, the
     * connection gater admits its PeerId (and refuses a removed guardian's after the overlap).
     * @default []
     */
    guardianPeers: z.array(z.object({ address: hex20, peerId: z.string().min(1) }).strict()).max(64).default([]),
    p2p: z
      .object({
        /** @default ["/ip4/127.0.0.1/tcp/0"] */
        listen: z.array(z.string().startsWith('/')).min(1).default(['/ip4/127.0.0.1/tcp/0']),
        /** Multiaddrs with /p2p/<peerId> of other guardians. @default [] */
        bootstrap: z.array(z.string().startsWith('/')).default([]),
        /** Own observations are batched for at most this long before they are gossiped. @default 20 */
        batchMs: z.number().int().min(0).max(1000).default(20),
      })
      .strict()
      .default({ listen: ['/ip4/127.0.0.1/tcp/0'], bootstrap: [], batchMs: 20 }),
    chains: z.array(Chain).min(1),
    watcher: z.object({ pollMs: z.number().int().min(10).default(500), maxRange: z.number().int().min(1).default(1000) }).strict().default({ pollMs: 500, maxRange: 1000 }),
    delivery: z
      .object({
        maxAttempts: z.number().int().min(1).default(5),
        baseDelayMs: z.number().int().min(1).default(500),
        maxDelayMs: z.number().int().min(1).default(30_000),
        staggerMs: z.number().int().min(0).default(2000),
      })
      .strict()
      .default({ maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 30_000, staggerMs: 2000 }),
    governor: z
      .object({
        limits: z.array(z.object({ chain: chainId, limitUsd: usd, largeTransferUsd: usd, delaySeconds: z.number().int().nonnegative().default(86_400), windowSeconds: z.number().int().positive().default(86_400) }).strict()).default([]),
        assets: z.array(z.object({ chain: chainId, asset: hex32, marketId: z.number().int().nonnegative(), decimals: z.number().int().min(0).max(36) }).strict()).default([]),
        /** Chain whose oracle prices the governor reads. @default the first delivering chain */
        priceChain: chainId.optional(),
      })
      .strict()
      .default({ limits: [], assets: [] }),
    ops: z.object({ host: z.string().default('127.0.0.1'), port: z.number().int().min(0).max(65_535).default(9464) }).strict().default({ host: '127.0.0.1', port: 9464 }),
    log: z.object({ level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info') }).strict().default({ level: 'info' }),
  })
  .strict()
  .superRefine((c, ctx) => {
    const seen = new Set<string>()
    c.guardians.forEach((g, i) => {
      const a = g.address.toLowerCase()
      if (seen.has(a)) ctx.addIssue({ code: 'custom', path: ['guardians', i, 'address'], message: 'guardian address appears twice' })
      seen.add(a)
    })
    const ids = new Set<number>()
    c.chains.forEach((ch, i) => {
      if (ids.has(ch.chainId)) ctx.addIssue({ code: 'custom', path: ['chains', i, 'chainId'], message: 'chain id appears twice' })
      ids.add(ch.chainId)
    })
  })

export type RelayerConfig = z.output<typeof ConfigSchema>
export type ChainConfig = RelayerConfig['chains'][number]
export type EvmChainConfig = Extract<ChainConfig, { kind: 'evm' }>
export type SolanaChainConfig = Extract<ChainConfig, { kind: 'solana' }>
export type RelayerConfigInput = z.input<typeof ConfigSchema>

/** `chains[1].rpcUrl` style path of a zod issue. */
const pathOf = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s === '' ? String(p) : `${s}.${String(p)}`), '')

/** Validates a parsed config file; the error names the first bad field. */
export function parseConfig(raw: unknown): RelayerConfig {
  const r = ConfigSchema.safeParse(raw)
  if (r.success) return r.data
  const issue = r.error.issues[0]!
  const unknown = issue.code === 'unrecognized_keys' ? (issue as { keys: string[] }).keys[0] : undefined
  const field = pathOf(unknown === undefined ? issue.path : [...issue.path, unknown]) || '(root)'
  throw new InvalidConfigError(`config field ${field}: ${issue.message}`, { field, details: r.error.issues.map((i) => `${pathOf(i.path)}: ${i.message}`).join('; ') })
}
