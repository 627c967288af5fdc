import { evaluateAccount, isBulwarkError, isLiquidatable, type Hex, type RiskContext } from '@bulwark/core'
import type { Logger } from 'pino'
import type { BookLayout } from './book-layout.js'
import type { KeeperChain } from './types.js'

export type LiquidationOutcome = 'submitted' | 'lost' | 'refused' | 'failed'
export type LiquidationRecord = { chainId: number; account: Hex; txHash?: Hex; outcome: LiquidationOutcome; reason?: string; latencyMs: number }

/** Refusals that clear by themselves (breaker halt, grace window, pause): the account stays due and is retried on the next tick. */
const TRANSIENT = new Set(['MarketHalted', 'GracePeriod', 'OperationPaused'])

/**
 * One liquidation transaction and what its outcome means. AccountHealthy = another keeper got
 * there first (`lost`). Any other failure is diagnosed against the chain: if the account, read
 * back, is no longer liquidatable at the keeper's prices, someone else changed it between our
 * check and our transaction (a race lost at inclusion, e.g. a reverted or unestimable tx): `lost`.
 */
export async function attemptLiquidation(
  ch: KeeperChain,
  account: Hex,
  d: { layout: BookLayout; context: () => RiskContext; logger: Logger; elapsed: () => number },
): Promise<LiquidationRecord> {
  const chainId = ch.chainId
  try {
    const r = await ch.liquidate(account)
    return { chainId, account, txHash: r.txHash, outcome: 'submitted', latencyMs: d.elapsed() }
  } catch (e) {
    const latencyMs = d.elapsed()
    if (isBulwarkError(e, 'AccountHealthy')) return { chainId, account, outcome: 'lost', reason: 'AccountHealthy', latencyMs }
    if (isBulwarkError(e) && TRANSIENT.has(e.name)) return { chainId, account, outcome: 'refused', reason: e.name, latencyMs }
    const snap = await ch.readAccount(account).catch(() => null)
    if (snap && !isLiquidatable(evaluateAccount(d.layout.toBookAccount(snap), d.context()))) {
      return { chainId, account, outcome: 'lost', reason: `not liquidatable after: ${(e as Error).name}`, latencyMs }
    }
    d.logger.error({ chainId, account, err: e }, 'liquidation failed')
    return { chainId, account, outcome: 'failed', reason: (e as Error).message, latencyMs }
  }
}
