import { RISK_PROFILE, volatilityForRound } from '@bulwark/core'
import { z } from 'zod'

const hex32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'expected 0x + 64 hex digits (bytes32)')
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'expected 0x + 40 hex digits (an address)')
const wad = z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).transform((v) => BigInt(v))
const url = z.string().url()
const policy = z
  .object({
    /** @default 1000 */ timeoutMs: z.number().int().positive().max(60_000).default(1000),
    /** @default 2 */ retries: z.number().int().min(0).max(10).default(2),
    /** @default 50 */ backoffMs: z.number().int().min(0).max(10_000).default(50),
    /** @default 30 */ maxAgeSeconds: z.number().int().positive().default(30),
  })
  .partial()

const source = z.discriminatedUnion('type', [
  z.object({ type: z.literal('coinbase'), baseUrl: url.default('https://api.exchange.coinbase.com'), product: z.string().min(1), policy: policy.optional() }),
  z.object({ type: z.literal('kraken'), baseUrl: url.default('https://api.kraken.com'), pair: z.string().min(1), policy: policy.optional() }),
  z.object({ type: z.literal('binance'), baseUrl: url.default('https://api.binance.com'), symbol: z.string().min(1), policy: policy.optional() }),
  z.object({ type: z.literal('okx'), baseUrl: url.default('https://www.okx.com'), instId: z.string().min(1), policy: policy.optional() }),
  z.object({ type: z.literal('pyth'), baseUrl: url.default('https://hermes.pyth.network'), feedId: z.string().regex(/^(0x)?[0-9a-fA-F]{64}$/), policy: policy.optional() }),
  z.object({ type: z.literal('chainlink'), rpcUrl: url, feed: address, label: z.string().optional(), policy: policy.optional() }),
])

const market = z.object({
  marketId: z.number().int().min(0).max(0xffffffff),
  name: z.string().min(1),
  sources: z.array(source).min(1),
  /** @default 3 */ minSources: z.number().int().min(1).default(3),
  /** @default 200 */ maxDeviationBps: z.number().int().positive().default(200),
  /** EWMA half-life in seconds, turned into rounds with `roundSeconds` (core's volatilityForRound). @default 1800 (RISK_PROFILE) */
  halfLifeSeconds: z.number().int().min(1).default(RISK_PROFILE.volatility.halfLifeSeconds),
  /** One-minute volatility (WAD) at which the multiplier is 1; scaled to a round by sqrt(roundSeconds / 60). @default "600000000000000" (0.06%, RISK_PROFILE) */
  sigmaRefPerMinute: wad.default(RISK_PROFILE.volatility.sigmaRefPerMinute),
  /** EWMA half-life in rounds: overrides halfLifeSeconds. @default halfLifeSeconds / roundSeconds */
  halfLife: z.number().int().min(1).optional(),
  /** Per-round volatility at which the multiplier is 1 (WAD): overrides sigmaRefPerMinute. @default sigmaRefPerMinute * sqrt(roundSeconds / 60) */
  sigmaRef: wad.optional(),
  /** Upper bound of the margin multiplier (WAD, >= 1e18). @default "5000000000000000000" (RISK_PROFILE) */
  maxMultiplier: wad.default(RISK_PROFILE.volatility.maxMultiplier),
})

/** A chain this node publishes to (and, if listed in keeper.chains, keeps). File paths are resolved by bin/, relative to the config file. */
const chain = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('evm'),
    /** Overrides the deployment file's rpcUrl. */
    rpcUrl: url.optional(),
    /** deployBulwark's deployment JSON (chainId, evmChainId, rpcUrl, contracts). */
    deployment: z.string().min(1),
    /** Hex private key that pays for price reports and liquidations. */
    senderKeyFile: z.string().min(1),
    name: z.string().optional(),
    /**
     * Replace-and-bump (contracts-evm's EvmSender): a transaction not mined after `afterMs` is sent
     * again with the same nonce and fees raised by `percent`, up to `maxBumps` times; the send
     * fails with TransactionStuck `afterMs` after the last bump (the keeper retries that account on
     * a later tick, and the next send replaces the stuck nonce). @default { afterMs: 12000, percent: 20, maxBumps: 4 }
     */
    feeBump: z
      .object({ afterMs: z.number().int().min(100).default(12_000), percent: z.number().int().min(10).max(500).default(20), maxBumps: z.number().int().min(0).max(20).default(4) })
      .strict()
      .default({ afterMs: 12_000, percent: 20, maxBumps: 4 }),
  }),
  z.object({
    type: z.literal('solana'),
    /** Wormhole chain id of the cluster. @default 1 */
    chainId: z.number().int().min(1).max(0xffff).default(1),
    rpcUrl: url,
    /** @default rpcUrl with ws:// */
    wsUrl: z.string().regex(/^wss?:\/\//).optional(),
    /** The Bulwark program id (base58). */
    programId: z.string().regex(/^[1-9A-HJ-NP-Za-km-z]{32,44}$/, 'expected a base58 program id'),
    /** Fee payer: a 32-byte ed25519 seed in hex, or a solana-keygen JSON array of 64 bytes. */
    payerKeyFile: z.string().min(1),
    name: z.string().optional(),
  }),
])

const keeper = z.object({
  /** Chain ids (Wormhole) whose margin engines are kept; each must be one of `chains` (EVM and Solana both report account events). */
  chains: z.array(z.number().int().min(1).max(0xffff)).min(1),
  assets: z.array(z.object({ originChain: z.number().int().min(1).max(0xffff), asset: hex32, decimals: z.number().int().min(0).max(36), weight: wad, pendingWeight: wad.optional(), priceMarketId: z.number().int().min(0).max(0xffffffff) })),
  markets: z.array(z.object({ marketId: z.number().int().min(0).max(0xffffffff), imf: wad, mmf: wad })).min(1),
  /** Liquidations in flight per chain (EVM: one key, nonces tracked locally by the adapter; Solana: no nonces). @default 4 */
  maxInFlightPerChain: z.number().int().min(1).max(64).default(4),
})

export const configSchema = z.object({
  /** This node's index in the oracle signer set. */
  guardianIndex: z.number().int().min(0).max(18),
  /** The oracle signer set (addresses, position = index). */
  oracleSet: z.object({ index: z.number().int().min(0).default(0), keys: z.array(address).min(1).max(19) }),
  /** The oracle emitter every chain's PriceOracle is configured with. */
  emitter: z.object({ chain: z.number().int().min(1).max(0xffff), address: hex32 }),
  /** Peers' sign endpoints (base URLs). */
  peers: z.array(url).default([]),
  /** Where this node answers peers. @default 127.0.0.1:0 */
  peerListen: z.object({ host: z.string().default('127.0.0.1'), port: z.number().int().min(0).max(65535).default(0) }).default({ host: '127.0.0.1', port: 0 }),
  /** /metrics, /healthz, /status. @default 127.0.0.1:9464 */
  ops: z.object({ host: z.string().default('127.0.0.1'), port: z.number().int().min(0).max(65535).default(9464) }).default({ host: '127.0.0.1', port: 9464 }),
  /** Seconds between rounds. @default 1 */
  roundSeconds: z.number().int().min(1).max(3600).default(1),
  /** Peer answer timeout. @default 1500 */
  peerTimeoutMs: z.number().int().positive().default(1500),
  publish: z
    .object({
      /** @default 50 */ deviationBps: z.number().int().positive().default(50),
      /** @default 500 */ multiplierDeviationBps: z.number().int().positive().default(500),
      /** @default 3600 */ heartbeatSeconds: z.number().int().positive().default(3600),
    })
    .default({ deviationBps: 50, multiplierDeviationBps: 500, heartbeatSeconds: 3600 }),
  markets: z.array(market).min(1),
  /** Chains to publish to. @default [] (aggregate and sign only) */
  chains: z.array(chain).default([]),
  /** Liquidation keeper on some of those chains. @default none */
  keeper: keeper.optional(),
  /** Log level. @default info */
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
})

type ParsedMarket = z.infer<typeof market>
/** A market after parsing: the per-round volatility settings are always filled in. */
export type MarketConfig = ParsedMarket & { halfLife: number; sigmaRef: bigint }
export type OracleConfig = Omit<z.infer<typeof configSchema>, 'markets'> & { markets: MarketConfig[] }
export type OracleConfigInput = z.input<typeof configSchema>
export type SourceConfig = z.infer<typeof source>
export type ChainConfig = z.infer<typeof chain>
export type KeeperSectionConfig = z.infer<typeof keeper>

/** Thrown for an invalid config; `field` is the dotted path of the first problem. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError'
  constructor(readonly field: string, readonly issues: string[]) {
    super(`invalid config at ${field}: ${issues[0]}${issues.length > 1 ? ` (+${issues.length - 1} more)` : ''}`)
  }
}

/** Validates a parsed config object; errors name the field (e.g. `markets.0.sources.1.feed`). */
export function parseConfig(input: unknown): OracleConfig {
  const r = configSchema.safeParse(input)
  if (r.success) {
    const c = r.data
    if (c.guardianIndex >= c.oracleSet.keys.length) throw new ConfigError('guardianIndex', [`${c.guardianIndex} is outside a set of ${c.oracleSet.keys.length}`])
    const ids = new Set<number>()
    const markets = c.markets.map((m, i): MarketConfig => {
      if (ids.has(m.marketId)) throw new ConfigError(`markets.${i}.marketId`, [`market ${m.marketId} listed twice`])
      ids.add(m.marketId)
      if (m.maxMultiplier < 10n ** 18n) throw new ConfigError(`markets.${i}.maxMultiplier`, [`${m.maxMultiplier} is below 1e18`])
      let perRound
      try {
        perRound = volatilityForRound(c.roundSeconds, { halfLifeSeconds: m.halfLifeSeconds, sigmaRefPerMinute: m.sigmaRefPerMinute, minMultiplier: 10n ** 18n, maxMultiplier: m.maxMultiplier })
      } catch (e) {
        const field = (e as { field?: string }).field ?? 'sigmaRefPerMinute'
        throw new ConfigError(`markets.${i}.${field}`, [(e as Error).message])
      }
      const sigmaRef = m.sigmaRef ?? perRound.sigmaRef
      if (sigmaRef === 0n) throw new ConfigError(`markets.${i}.sigmaRef`, ['must be positive'])
      return { ...m, halfLife: m.halfLife ?? perRound.halfLife, sigmaRef }
    })
    return { ...c, markets }
  }
  const issues = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
  throw new ConfigError(r.error.issues[0]!.path.join('.') || '(root)', issues)
}
