import { LiquidationKeeper, type KeeperChain, type KeeperConfig } from '@bulwark/oracle-aggregator'
import type { Logger } from 'pino'

/**
 * SHIM (devnet-local): LiquidationKeeper.start() needs a starting price for every market, but on a
 * fresh devnet no price is on chain until the oracle network's first report. This wrapper starts
 * the real keeper once the position chain holds every price; until then it does nothing.
 */
export class LazyKeeper {
  #keeper: LiquidationKeeper | undefined
  #starting: Promise<void> | undefined

  constructor(private readonly config: KeeperConfig, private readonly chain: KeeperChain, private readonly logger: Logger) {}

  get stats() {
    return this.#keeper?.stats ?? { accountsTracked: 0, reevaluated: 0, submitted: 0, lost: 0, refused: 0, failed: 0, rebuilds: 0 }
  }

  async #tryStart(): Promise<void> {
    const prices = new Map<number, { price: bigint; volMultiplier: bigint }>()
    for (const id of new Set([...this.config.markets.map((m) => m.marketId), ...this.config.assets.map((a) => a.priceMarketId)])) {
      const p = await this.chain.readPrice(id)
      if (!p) return
      prices.set(id, { price: p.price, volMultiplier: p.volMultiplier })
    }
    const k = new LiquidationKeeper(this.config, { chains: [this.chain], logger: this.logger.child({ module: 'keeper' }) })
    await k.start(prices)
    this.#keeper = k
    this.logger.info({ accounts: k.stats.accountsTracked }, 'keeper started')
  }

  async poll(): Promise<number> {
    if (!this.#keeper) {
      await (this.#starting ??= this.#tryStart().finally(() => (this.#starting = undefined)))
      return 0
    }
    return this.#keeper.poll()
  }

  async onPrice(marketId: number, price: bigint, volMultiplier: bigint | undefined, receivedAt?: number) {
    return this.#keeper ? this.#keeper.onPrice(marketId, price, volMultiplier, receivedAt) : []
  }
}
