import { bytesToHex, type ChainAdapter, type Hex, type PriceEntry } from '@bulwark/core'
import type { Logger } from 'pino'
import type { PublicClient } from 'viem'
import type { OracleConfig } from '../../config.js'
import { collectReports } from '../aggregation/collect.js'
import { MarketAggregator } from '../aggregation/market-aggregator.js'
import { PeerServer } from '../consensus/peer-server.js'
import { buildReportBodies } from '../consensus/report-builder.js'
import { collectQuorum } from '../consensus/round.js'
import { SigningService } from '../consensus/signing-service.js'
import type { LiquidationKeeper } from '../keeper/keeper.js'
import { createMetrics, type Metrics } from '../ops/metrics.js'
import { OpsServer } from '../ops/ops-server.js'
import { Publisher } from '../publisher/publisher.js'
import { dueEntries } from '../publisher/trigger.js'
import { makeSource } from '../sources/factory.js'
import type { PriceSource } from '../sources/types.js'

export type OracleNodeComponents = {
  logger: Logger
  /** The node's signing key (bin/ reads it; the library never touches env or files). */
  privateKey: Uint8Array
  /** Chains to publish to (EVM PriceOracle, Solana program), through their adapters. */
  chains?: readonly ChainAdapter[]
  keeper?: LiquidationKeeper
  /** Unix seconds. @default Date.now()/1000 */
  now?: () => number
  /** Run rounds on a timer every roundSeconds. false: the caller drives runRound(). @default true */
  autoRounds?: boolean
  /** Overrides the sources built from config (tests). */
  sources?: Map<number, PriceSource[]>
}

export type RoundResult = { round: number; leader: boolean; priced: number[]; published: number; vaas: Hex[] }

/** One oracle node: sources -> aggregation -> (leader) quorum signing -> publishing -> keeper. */
export class OracleNode {
  readonly metrics: Metrics = createMetrics()
  readonly aggregators = new Map<number, MarketAggregator>()
  readonly sources: Map<number, PriceSource[]>
  readonly signing: SigningService
  readonly publisher: Publisher
  readonly #peer: PeerServer
  readonly #ops: OpsServer
  readonly #log: Logger
  readonly #now: () => number
  #timer: NodeJS.Timeout | undefined
  #running: Promise<unknown> = Promise.resolve()
  #lastGoodRound = 0
  #stopped = false
  lastVaas: Hex[] = []
  peerUrl = ''
  opsUrl = ''

  constructor(readonly config: OracleConfig, private readonly c: OracleNodeComponents) {
    this.#log = c.logger.child({ module: 'oracle-node', guardian: config.guardianIndex })
    this.#now = c.now ?? (() => Math.floor(Date.now() / 1000))
    const clients = new Map<string, PublicClient>()
    this.sources = c.sources ?? new Map(config.markets.map((m) => [m.marketId, m.sources.map((s) => makeSource(m.marketId, s, clients))]))
    for (const m of config.markets) {
      this.aggregators.set(
        m.marketId,
        new MarketAggregator({
          marketId: m.marketId,
          aggregation: { maxAge: 60, maxFuture: 5, maxDeviationBps: BigInt(m.maxDeviationBps), minSources: m.minSources },
          volatility: { halfLife: m.halfLife, sigmaRef: m.sigmaRef, minMultiplier: 10n ** 18n, maxMultiplier: m.maxMultiplier },
        }),
      )
    }
    this.signing = new SigningService(
      { guardianIndex: config.guardianIndex, privateKey: c.privateKey, emitter: { chain: config.emitter.chain, address: config.emitter.address as Hex } },
      { ownView: (id) => this.aggregators.get(id)?.last?.entry, now: this.#now, logger: this.#log.child({ module: 'signing' }) },
    )
    this.publisher = new Publisher(c.chains ?? [], this.#log.child({ module: 'publisher' }))
    this.#peer = new PeerServer(this.signing)
    this.#ops = new OpsServer({ registry: this.metrics.registry, healthy: () => this.health(), status: () => this.status() })
  }

  async start(): Promise<void> {
    this.peerUrl = await this.#peer.start(this.config.peerListen.port, this.config.peerListen.host)
    this.opsUrl = await this.#ops.start(this.config.ops.port, this.config.ops.host)
    await this.publisher.sync(this.config.markets.map((m) => m.marketId))
    this.#log.info({ peer: this.peerUrl, ops: this.opsUrl, markets: this.config.markets.length }, 'oracle node started')
    if (this.c.autoRounds !== false) this.#schedule()
  }

  #schedule(): void {
    if (this.#stopped) return
    const ms = this.config.roundSeconds * 1000
    this.#timer = setTimeout(() => {
      this.#running = this.runRound().catch((e) => this.#log.error({ err: e }, 'round failed')).finally(() => this.#schedule())
    }, ms - (Date.now() % ms))
  }

  /**
   * One round at the current time: aggregate every market; the round's leader signs and publishes;
   * then the keeper (if any) follows the chains' prices (for the leader, its report is on chain by then).
   */
  async runRound(now = this.#now()): Promise<RoundResult> {
    const result = await this.#round(now)
    if (this.c.keeper) await this.#feedKeeper(performance.now())
    return result
  }

  async #round(now: number): Promise<RoundResult> {
    this.metrics.rounds.inc()
    const round = Math.floor(now / this.config.roundSeconds)
    const entries: PriceEntry[] = []
    await Promise.all(
      [...this.aggregators].map(async ([id, agg]) => {
        const { reports, failures } = await collectReports(this.sources.get(id) ?? [], now)
        for (const f of failures) this.metrics.sourceErrors.inc({ source: f.source, error: f.error.name })
        try {
          const u = agg.update(reports, now)
          entries.push(u.entry)
          this.metrics.price.set({ market: String(id) }, Number(u.entry.price) / 1e18)
          this.metrics.multiplier.set({ market: String(id) }, Number(u.entry.volMultiplier) / 1e18)
          this.metrics.breaker.set({ market: String(id) }, u.breaker.status)
          this.metrics.sources.set({ market: String(id) }, u.aggregated.sources)
        } catch (e) {
          this.metrics.marketErrors.inc({ market: String(id), error: (e as Error).name })
          this.#log.warn({ market: id, err: (e as Error).name, msg: (e as Error).message, failures: failures.map((f) => `${f.source}: ${f.error.name}`) }, 'no price this round')
        }
      }),
    )
    if (entries.length > 0) this.#lastGoodRound = now
    const leader = round % this.config.oracleSet.keys.length === this.config.guardianIndex
    const result: RoundResult = { round, leader, priced: entries.map((e) => e.marketId).sort((a, b) => a - b), published: 0, vaas: [] }
    if (!leader) return result
    // compare with what the chains hold now (another node may have led the previous rounds)
    await this.publisher.sync(entries.map((e) => e.marketId))
    const due = dueEntries(entries, this.publisher.view(), now, {
      deviationBps: BigInt(this.config.publish.deviationBps),
      multiplierDeviationBps: BigInt(this.config.publish.multiplierDeviationBps),
      heartbeatSeconds: this.config.publish.heartbeatSeconds,
    })
    if (due.length === 0) return result
    const bodies = buildReportBodies(due, now, { chain: this.config.emitter.chain, address: this.config.emitter.address as Hex })
    let vaas: Uint8Array[]
    try {
      vaas = await collectQuorum(bodies, { signing: this.signing, set: { index: this.config.oracleSet.index, keys: this.config.oracleSet.keys as Hex[] }, peers: this.config.peers, timeoutMs: this.config.peerTimeoutMs, logger: this.#log })
    } catch (e) {
      this.metrics.reports.inc({ outcome: (e as Error).name })
      this.#log.warn({ err: (e as Error).name, msg: (e as Error).message }, 'no quorum this round')
      return result
    }
    this.metrics.reports.inc({ outcome: 'signed' }, vaas.length)
    this.lastVaas = vaas.map((v) => bytesToHex(v))
    for (const o of await this.publisher.publish(vaas)) this.metrics.published.inc({ chain: String(o.chainId), outcome: o.txHash ? 'submitted' : (o.skipped ?? 'error') })
    return { ...result, published: due.length, vaas: this.lastVaas }
  }

  /**
   * The keeper follows what the chains hold (liquidations are judged at on-chain prices): new
   * account events, then every market whose on-chain report is newer than the last applied.
   */
  async #feedKeeper(receivedAt: number): Promise<void> {
    const k = this.c.keeper!
    try {
      await k.poll()
      for (const r of await k.followChains(receivedAt)) {
        this.metrics.keeperLiquidations.inc({ outcome: r.outcome })
        if (r.outcome === 'submitted') this.metrics.keeperLatency.observe(r.latencyMs / 1000)
      }
    } catch (e) {
      this.#log.error({ err: e }, 'keeper pass failed')
    }
    this.metrics.keeperAccounts.set(k.stats.accountsTracked)
  }

  health(): { ok: boolean; reason?: string } {
    const age = this.#now() - this.#lastGoodRound
    return age <= 3 * this.config.roundSeconds ? { ok: true } : { ok: false, reason: this.#lastGoodRound ? `no price for ${age}s` : 'no round priced yet' }
  }

  status() {
    return {
      guardianIndex: this.config.guardianIndex,
      peerUrl: this.peerUrl,
      markets: [...this.aggregators].map(([id, a]) => ({ marketId: id, entry: a.last?.entry, sources: a.last?.aggregated.sources, rejected: a.last?.aggregated.rejected, breaker: a.breaker.status })),
      lastVaas: this.lastVaas,
      keeper: this.c.keeper?.stats,
    }
  }

  /** Stops the timer, waits for the round in flight, closes servers and chains. */
  async stop(): Promise<void> {
    this.#stopped = true
    clearTimeout(this.#timer)
    await this.#running
    await Promise.all([this.#peer.stop(), this.#ops.stop()])
    for (const ch of this.c.chains ?? []) await ch.close()
    this.#log.info('oracle node stopped')
  }
}
