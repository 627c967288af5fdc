import { isBulwarkError, LiquidationIndex, WAD, type HealthBook, type Hex } from '@bulwark/core'
import type { Logger } from 'pino'
import { AccountSlots } from './account-slots.js'
import { BookLayout } from './book-layout.js'
import type { KeeperChain, KeeperConfig } from './types.js'

export type LiquidationRecord = { chainId: number; account: Hex; txHash?: Hex; outcome: 'submitted' | 'lost' | 'refused' | 'failed'; reason?: string; latencyMs: number }
export type KeeperStats = { accountsTracked: number; reevaluated: number; submitted: number; lost: number; refused: number; failed: number; rebuilds: number }
export type KeeperComponents = { chains: readonly KeeperChain[]; logger: Logger; clock?: () => number; onLiquidation?: (r: LiquidationRecord) => void }

/** Refusals that clear by themselves (breaker halt, grace window, pause): the account stays due and is retried on the next tick. */
const TRANSIENT = new Set(['MarketHalted', 'GracePeriod', 'OperationPaused'])

/**
 * Liquidation keeper over every chain. Indexes accounts from the chains' events into core's
 * HealthBook + LiquidationIndex, re-evaluates only the accounts a price tick can affect, and
 * liquidates on the account's own chain. Several keepers may race: an account already liquidated
 * by someone else answers AccountHealthy, counted as `lost`, not as an error.
 */
export class LiquidationKeeper {
  readonly layout: BookLayout
  readonly slots = new AccountSlots()
  readonly stats: KeeperStats = { accountsTracked: 0, reevaluated: 0, submitted: 0, lost: 0, refused: 0, failed: 0, rebuilds: 0 }
  book!: HealthBook
  index!: LiquidationIndex
  readonly #byChain = new Map<number, KeeperChain>()
  readonly #heights = new Map<number, bigint>()
  readonly #actual: bigint[]
  readonly #ceiling: bigint[]
  readonly #inFlight = new Set<number>()
  readonly #clock: () => number

  constructor(readonly config: KeeperConfig, private readonly c: KeeperComponents) {
    this.layout = new BookLayout(config)
    for (const ch of c.chains) this.#byChain.set(ch.chainId, ch)
    this.#actual = config.markets.map(() => WAD)
    this.#ceiling = config.markets.map(() => this.#headroom(WAD))
    this.#clock = c.clock ?? (() => performance.now())
  }

  #headroom(m: bigint): bigint {
    const max = this.config.maxMultiplier ?? 3n * WAD
    const h = BigInt(Math.round((this.config.multiplierHeadroom ?? 1.25) * 1e6))
    const up = (m * h) / 1_000_000n
    return up > max ? (m > max ? m : max) : up
  }

  /** Sets every feed's starting price (and multipliers), then indexes every account on every chain. */
  async start(prices: ReadonlyMap<number, { price: bigint; volMultiplier?: bigint }>): Promise<void> {
    for (const [k, m] of this.config.markets.entries()) {
      const v = prices.get(m.marketId)?.volMultiplier
      if (v !== undefined) (this.#actual[k] = v), (this.#ceiling[k] = this.#headroom(v))
    }
    this.#rebuild(this.config.capacity ?? 1024)
    for (const [marketId, f] of this.layout.feedOf) {
      const p = prices.get(marketId)
      if (!p) throw new Error(`no starting price for market ${marketId}`)
      this.book.setPrice(f, p.price)
    }
    for (const ch of this.c.chains) {
      const h = await ch.getHeight('instant')
      await this.#ingest(ch, await ch.getAccountChanges(0n, h))
      this.#heights.set(ch.chainId, h)
    }
    this.index.build()
  }

  /** Reads new account events on every chain and re-indexes the touched accounts. */
  async poll(): Promise<number> {
    let n = 0
    for (const ch of this.c.chains) {
      const from = this.#heights.get(ch.chainId)! + 1n
      const to = await ch.getHeight('instant')
      if (to < from) continue
      const changed = await ch.getAccountChanges(from, to)
      await this.#ingest(ch, changed, true)
      this.#heights.set(ch.chainId, to)
      n += changed.length
    }
    return n
  }

  async #ingest(ch: KeeperChain, accounts: readonly Hex[], reindex = false): Promise<void> {
    for (const account of accounts) {
      const snap = await ch.readAccount(account)
      const { slot, fresh } = this.slots.slot(ch.chainId, account)
      if (slot >= this.book.capacity) {
        this.#rebuild(this.book.capacity * 2)
        if (reindex) this.index.build()
      }
      this.book.setAccount(slot, this.layout.toBookAccount(snap))
      if (fresh) this.stats.accountsTracked++
      if (reindex) this.index.reindex(slot)
    }
  }

  /**
   * Applies one market's new price (and multiplier) from a PriceReport received at `receivedAt`
   * (keeper clock, ms) and submits the liquidations it makes possible. Returns the submissions.
   */
  async onPrice(marketId: number, price: bigint, volMultiplier: bigint | undefined, receivedAt = this.#clock()): Promise<LiquidationRecord[]> {
    const k = this.layout.marketIndex(marketId)
    if (k !== undefined && volMultiplier !== undefined && volMultiplier !== this.#actual[k]) this.#setMultiplier(k, volMultiplier)
    const feed = this.layout.feedOf.get(marketId)
    if (feed === undefined) return []
    const tick = this.index.onPrice(feed, price)
    this.stats.reevaluated += tick.reevaluated
    return this.sweep(receivedAt)
  }

  /**
   * Submits a liquidation for every account the index holds as liquidatable (new ones, ones
   * found at start-up or after a rebuild, ones a halted market refused before).
   */
  async sweep(receivedAt = this.#clock()): Promise<LiquidationRecord[]> {
    const due = [...this.index.liquidatable].filter((s) => !this.#inFlight.has(s))
    const o = { slack: 0, mm: 0, magnitude: 0, exposure: 0 }
    const urgency = new Map(due.map((s) => (this.book.approxSlack(s, o), [s, o.slack / (o.mm || 1)])))
    due.sort((a, b) => urgency.get(a)! - urgency.get(b)!) // deepest under water first
    const byChain = new Map<number, number[]>()
    for (const s of due) {
      const c = this.slots.chainOf(s)
      if (!byChain.has(c)) byChain.set(c, [])
      byChain.get(c)!.push(s)
    }
    const out: LiquidationRecord[] = []
    const limit = this.config.maxInFlightPerChain ?? 4
    await Promise.all(
      [...byChain.values()].map((queue) => {
        let next = 0
        const worker = async () => {
          while (next < queue.length) out.push(...(await this.#liquidateUntilHealthy(queue[next++]!, receivedAt)))
        }
        return Promise.all(Array.from({ length: Math.min(limit, queue.length) }, worker))
      }),
    )
    return out
  }

  /** Partial liquidations may leave an account below 1: continue while the chain accepts (bounded). */
  async #liquidateUntilHealthy(slot: number, receivedAt: number): Promise<LiquidationRecord[]> {
    const out: LiquidationRecord[] = []
    for (let round = 0; round < 8; round++) {
      const r = await this.#liquidate(slot, receivedAt)
      out.push(r)
      if (r.outcome !== 'submitted' || !this.index.liquidatable.has(slot)) break
    }
    return out
  }

  /**
   * The exact check always uses the real multiplier; the float screen uses a ceiling above it, so
   * a move of the multiplier below the ceiling keeps every trigger conservative (the price tick
   * that carries it re-checks the accounts at the threshold). Above the ceiling: rebuild.
   */
  #setMultiplier(k: number, m: bigint): void {
    this.#actual[k] = m
    this.book.config.markets[k]!.volMultiplier = m
    if (m > this.#ceiling[k]!) {
      this.#ceiling[k] = this.#headroom(m)
      this.#rebuild(this.book.capacity)
      this.index.build()
    }
  }

  #rebuild(capacity: number): void {
    const old = this.book
    const book = this.layout.newBook(capacity, this.#ceiling, this.#actual)
    if (old) {
      for (let f = 0; f < old.feedPriceExact.length; f++) if (old.feedPriceExact[f]! > 0n) book.setPrice(f, old.feedPriceExact[f]!)
      for (let i = 0; i < old.size; i++) book.setAccount(i, old.account(i))
      this.stats.rebuilds++
    }
    this.book = book
    this.index = new LiquidationIndex(book)
  }

  async #liquidate(slot: number, receivedAt: number): Promise<LiquidationRecord> {
    const chainId = this.slots.chainOf(slot)
    const account = this.slots.accountOf(slot)
    const ch = this.#byChain.get(chainId)!
    this.#inFlight.add(slot)
    let rec: LiquidationRecord
    try {
      const r = await ch.liquidate(account)
      rec = { chainId, account, txHash: r.txHash, outcome: 'submitted', latencyMs: this.#clock() - receivedAt }
      this.stats.submitted++
    } catch (e) {
      const latencyMs = this.#clock() - receivedAt
      if (isBulwarkError(e, 'AccountHealthy')) {
        rec = { chainId, account, outcome: 'lost', reason: 'AccountHealthy', latencyMs }
        this.stats.lost++
      } else if (isBulwarkError(e) && TRANSIENT.has(e.name)) {
        rec = { chainId, account, outcome: 'refused', reason: e.name, latencyMs }
        this.stats.refused++
      } else {
        this.c.logger.error({ chainId, account, err: e }, 'liquidation failed')
        rec = { chainId, account, outcome: 'failed', reason: (e as Error).message, latencyMs }
        this.stats.failed++
      }
    } finally {
      this.#inFlight.delete(slot)
    }
    // the chain now holds the truth for this account: re-read it
    const snap = await ch.readAccount(account).catch(() => null)
    if (snap) {
      this.book.setAccount(slot, this.layout.toBookAccount(snap))
      this.index.reindex(slot)
    }
    this.c.onLiquidation?.(rec)
    return rec
  }
}
