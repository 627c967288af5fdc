import { InvalidParameterError, LiquidationIndex, WAD, type HealthBook, type Hex, type PriceSnapshot } from '@bulwark/core'
import type { Logger } from 'pino'
import { AccountSlots } from './account-slots.js'
import { attemptLiquidation, type LiquidationRecord } from './attempt.js'
import { BookLayout } from './book-layout.js'
import type { KeeperChain, KeeperConfig } from './types.js'

export type { LiquidationRecord } from './attempt.js'
export type KeeperStats = { accountsTracked: number; reevaluated: number; submitted: number; lost: number; refused: number; failed: number; rebuilds: number }
export type KeeperComponents = { chains: readonly KeeperChain[]; logger: Logger; clock?: () => number; onLiquidation?: (r: LiquidationRecord) => void }

/**
 * Liquidation keeper over every chain. Indexes accounts from the chains' events into core's
 * HealthBook + LiquidationIndex, re-evaluates only the accounts a price tick can affect, and
 * liquidates on the account's own chain. Several keepers may race: an account already liquidated
 * by someone else is counted as `lost`, not as an error.
 */
export class LiquidationKeeper {
  readonly layout: BookLayout
  readonly slots = new AccountSlots()
  readonly stats: KeeperStats = { accountsTracked: 0, reevaluated: 0, submitted: 0, lost: 0, refused: 0, failed: 0, rebuilds: 0 }
  book!: HealthBook
  index!: LiquidationIndex
  readonly #byChain = new Map<number, KeeperChain>()
  readonly #heights = new Map<number, bigint>()
  readonly #multiplier: bigint[]
  readonly #inFlight = new Set<number>()
  /** Publish time of the last chain price applied, per market id (followChains). */
  readonly #seen = new Map<number, bigint>()
  readonly #clock: () => number

  constructor(readonly config: KeeperConfig, private readonly c: KeeperComponents) {
    this.layout = new BookLayout(config)
    for (const ch of c.chains) this.#byChain.set(ch.chainId, ch)
    this.#multiplier = config.markets.map(() => WAD)
    this.#clock = c.clock ?? (() => performance.now())
  }

  /** Whether start() (or startFromChains()) has run. */
  get started(): boolean {
    return this.book !== undefined
  }

  /** Sets every feed's starting price (and multipliers), then indexes every account on every chain. */
  async start(prices: ReadonlyMap<number, { price: bigint; volMultiplier?: bigint }>): Promise<void> {
    for (const [k, m] of this.config.markets.entries()) {
      const v = prices.get(m.marketId)?.volMultiplier
      if (v !== undefined) this.#multiplier[k] = v
    }
    const missing = this.layout.feedMarketIds.filter((id) => !prices.get(id))
    if (missing.length) throw new Error(`no starting price for market ${missing.join(', ')}`)
    this.#rebuild(this.config.capacity ?? 1024)
    for (const [marketId, f] of this.layout.feedOf) this.book.setPrice(f, prices.get(marketId)!.price)
    for (const ch of this.c.chains) {
      const h = await ch.getHeight(ch.accountChangesFinality ?? 'instant')
      // every block up to h exists before the first read, so one read per account is current enough
      // (later changes arrive through poll from h + 1): an account met again in a later range is skipped
      for (const [from, to] of ranges(ch, 0n, h)) await this.#ingest(ch, await ch.getAccountChanges(from, to), false, true)
      this.#heights.set(ch.chainId, h)
    }
    this.index.build()
  }

  /** Starts from the prices the chains hold; false (and nothing done) while a market has none yet. */
  async startFromChains(): Promise<boolean> {
    const latest = await this.#chainPrices()
    if (latest.size < this.layout.feedMarketIds.length) return false
    for (const [id, p] of latest) this.#seen.set(id, p.publishTime)
    await this.start(latest)
    return true
  }

  /** Newest price of every feed market across the chains (by publish time). */
  async #chainPrices(): Promise<Map<number, PriceSnapshot>> {
    const out = new Map<number, PriceSnapshot>()
    await Promise.all(
      this.layout.feedMarketIds.map(async (id) => {
        for (const ch of this.c.chains) {
          const p = await ch.readPrice(id)
          const best = out.get(id)
          if (p && (!best || p.publishTime > best.publishTime)) out.set(id, p)
        }
      }),
    )
    return out
  }

  /**
   * Follows the prices the chains hold (what liquidations are judged at): applies every market
   * whose on-chain report is newer than the last one applied, then liquidates what became due.
   * Starts the keeper first if it has not started and every price is now on chain.
   */
  async followChains(receivedAt = this.#clock()): Promise<LiquidationRecord[]> {
    if (!this.started) return (await this.startFromChains()) ? this.sweep(receivedAt) : []
    for (const [id, p] of await this.#chainPrices()) {
      if (p.publishTime <= (this.#seen.get(id) ?? -1n)) continue
      this.#seen.set(id, p.publishTime)
      this.#apply(id, p.price, p.volMultiplier)
    }
    return this.sweep(receivedAt)
  }

  /** Reads new account events on every chain and re-indexes the touched accounts (0 before start). */
  async poll(): Promise<number> {
    if (!this.started) return 0
    let n = 0
    for (const ch of this.c.chains) {
      const from = this.#heights.get(ch.chainId)! + 1n
      const to = await ch.getHeight(ch.accountChangesFinality ?? 'instant')
      if (to < from) continue
      for (const [a, b] of ranges(ch, from, to)) {
        const changed = await ch.getAccountChanges(a, b)
        await this.#ingest(ch, changed, true)
        this.#heights.set(ch.chainId, b)
        n += changed.length
      }
    }
    return n
  }

  async #ingest(ch: KeeperChain, accounts: readonly Hex[], reindex = false, skipKnown = false): Promise<void> {
    for (const account of accounts) {
      if (skipKnown && this.slots.get(ch.chainId, account) !== undefined) continue
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
    if (!this.#apply(marketId, price, volMultiplier)) return []
    return this.sweep(receivedAt)
  }

  /** Multiplier first (core's onMultiplier re-arms the market's accounts), then the price tick. */
  #apply(marketId: number, price: bigint, volMultiplier: bigint | undefined): boolean {
    const k = this.layout.marketIndex(marketId)
    if (k !== undefined && volMultiplier !== undefined && volMultiplier !== this.#multiplier[k]) {
      this.#multiplier[k] = volMultiplier
      this.stats.reevaluated += this.index.onMultiplier(k, volMultiplier).reevaluated
    }
    const feed = this.layout.feedOf.get(marketId)
    if (feed === undefined) return false
    this.stats.reevaluated += this.index.onPrice(feed, price).reevaluated
    return true
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

  #rebuild(capacity: number): void {
    const old = this.book
    const book = this.layout.newBook(capacity, this.#multiplier)
    if (old) {
      for (let f = 0; f < old.feedPriceExact.length; f++) if (old.feedPriceExact[f]! > 0n) book.setPrice(f, old.feedPriceExact[f]!)
      for (let i = 0; i < old.size; i++) book.setAccount(i, old.account(i))
      this.stats.rebuilds++
    }
    this.book = book
    this.index = new LiquidationIndex(book)
  }

  async #liquidate(slot: number, receivedAt: number): Promise<LiquidationRecord> {
    const account = this.slots.accountOf(slot)
    const ch = this.#byChain.get(this.slots.chainOf(slot))!
    this.#inFlight.add(slot)
    let rec: LiquidationRecord
    try {
      rec = await attemptLiquidation(ch, account, { layout: this.layout, context: () => this.book.context(), logger: this.c.logger, elapsed: () => this.#clock() - receivedAt })
    } finally {
      this.#inFlight.delete(slot)
    }
    this.stats[rec.outcome]++
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

/** [from, to] split into consecutive ranges of at most the chain's accountChangesRange heights. */
export function* ranges(ch: Pick<KeeperChain, 'accountChangesRange'>, from: bigint, to: bigint): Generator<[bigint, bigint]> {
  const span = ch.accountChangesRange
  if (span !== undefined && span <= 0n) throw new InvalidParameterError(`accountChangesRange ${span} must be positive`, { field: 'accountChangesRange' })
  for (let a = from; a <= to; a = span === undefined ? to + 1n : a + span) {
    const b = span === undefined || a + span - 1n > to ? to : a + span - 1n
    yield [a, b]
  }
}
