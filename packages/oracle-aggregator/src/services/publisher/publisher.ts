import { isBulwarkError, parseVaa, decodePayload, type ChainAdapter, type Hex, type PriceSnapshot } from '@bulwark/core'
import type { Logger } from 'pino'
import type { Published } from './trigger.js'

export type PublishOutcome = { chainId: number; txHash?: Hex; skipped?: string; error?: Error }

/** Errors meaning another oracle node got there first: the chain already has this or a newer report. */
const ALREADY_DONE = new Set(['VaaAlreadyConsumed', 'StaleUpdate'])

/**
 * Pushes signed PriceReport VAAs to every chain through ChainAdapter.submitVaa (EVM PriceOracle,
 * Solana program...). A report another node already landed is skipped, not an error. Tracks what
 * each chain last accepted, so the trigger compares against the chain, not against our intent.
 */
export class Publisher {
  readonly lastPublished = new Map<number, Map<number, Published>>()

  constructor(private readonly chains: readonly ChainAdapter[], private readonly logger: Logger) {
    for (const c of chains) this.lastPublished.set(c.chainId, new Map())
  }

  /** Seeds the last-published view from each chain's current prices. */
  async sync(marketIds: readonly number[]): Promise<void> {
    for (const c of this.chains) {
      for (const m of marketIds) {
        const p: PriceSnapshot | null = await c.readPrice(m).catch(() => null)
        if (p) this.lastPublished.get(c.chainId)!.set(m, { price: p.price, volMultiplier: p.volMultiplier, publishTime: Number(p.publishTime) })
      }
    }
  }

  /** The chains' most stale view of each market (a market due on any chain is due). */
  view(): Map<number, Published> {
    const out = new Map<number, Published>()
    for (const m of this.lastPublished.values()) {
      for (const [id, p] of m) {
        const cur = out.get(id)
        if (!cur || p.publishTime < cur.publishTime) out.set(id, p)
      }
    }
    for (const m of this.lastPublished.values()) for (const id of out.keys()) if (!m.has(id)) out.delete(id)
    return out
  }

  async publish(vaas: readonly Uint8Array[]): Promise<PublishOutcome[]> {
    const outcomes: PublishOutcome[] = []
    await Promise.all(
      this.chains.map(async (c) => {
        for (const vaa of vaas) {
          try {
            const r = await c.submitVaa(vaa)
            this.#record(c.chainId, vaa)
            outcomes.push({ chainId: c.chainId, txHash: r.txHash })
          } catch (e) {
            if (isBulwarkError(e) && ALREADY_DONE.has(e.name)) {
              outcomes.push({ chainId: c.chainId, skipped: e.name })
              continue
            }
            this.logger.error({ chain: c.chainId, err: e }, 'price report rejected')
            outcomes.push({ chainId: c.chainId, error: e as Error })
          }
        }
      }),
    )
    return outcomes
  }

  #record(chainId: number, vaa: Uint8Array): void {
    const p = decodePayload(parseVaa(vaa).payload)
    if (p.type !== 'PriceReport') return
    const m = this.lastPublished.get(chainId)!
    for (const e of p.prices) m.set(e.marketId, { price: e.price, volMultiplier: e.volMultiplier, publishTime: Number(p.publishTime) })
  }
}
