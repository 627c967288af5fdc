import {
  AccountHealthyError,
  liquidate,
  MarketHaltedError,
  UnknownAccountError,
  type Account,
  type AccountSnapshot,
  type Finality,
  type Hex,
  type ObservedMessage,
  type PriceSnapshot,
  type RiskContext,
  type SubmitResult,
} from '@bulwark/core'
import type { KeeperAsset, KeeperChain, KeeperMarket } from '../../src/services/keeper/types.js'

/**
 * An in-process chain whose margin engine is core itself (evaluateAccount / liquidate): used to
 * test the keeper's logic (multi-chain routing, racing keepers, breaker refusals) without a node.
 * Not a substitute for the EVM adapter's anvil tests; the keeper only sees the KeeperChain surface.
 */
export class CoreChain implements KeeperChain {
  readonly name: string
  height = 1n
  readonly accounts = new Map<Hex, AccountSnapshot>()
  readonly events: { height: bigint; account: Hex }[] = []
  readonly prices = new Map<number, { price: bigint; volMultiplier: bigint }>()
  readonly halted = new Set<number>()
  liquidations: Hex[] = []
  insurance = 0n
  /** Sum of bad debt left by liquidations (covered + socialized). */
  badDebt = 0n
  /** Artificial latency of a liquidation transaction, ms. */
  latencyMs = 0

  constructor(readonly chainId: number, readonly assets: KeeperAsset[], readonly markets: KeeperMarket[]) {
    this.name = `core-chain-${chainId}`
  }

  put(s: AccountSnapshot): void {
    this.accounts.set(s.account, s)
    this.events.push({ height: ++this.height, account: s.account })
  }

  setPrice(marketId: number, price: bigint, volMultiplier: bigint): void {
    this.prices.set(marketId, { price, volMultiplier })
    this.height++
  }

  context(): RiskContext {
    const assets = Object.fromEntries(this.assets.map((a) => [`${a.originChain}:${a.asset}`, { decimals: a.decimals, weight: a.weight, pendingWeight: a.pendingWeight ?? 0n, price: this.prices.get(a.priceMarketId)!.price }]))
    const markets = Object.fromEntries(this.markets.map((m) => [String(m.marketId), { imf: m.imf, mmf: m.mmf, markPrice: this.prices.get(m.marketId)!.price, volMultiplier: this.prices.get(m.marketId)!.volMultiplier }]))
    return { assets, markets }
  }

  toAccount(s: AccountSnapshot): Account {
    return {
      settlement: s.settlement,
      collateral: s.collateral.map((c) => ({ asset: `${c.originChain}:${c.asset}`, amount: c.amount, state: c.pending ? 'pending' : 'active' })),
      positions: s.positions.map((p) => ({ market: String(p.marketId), size: p.size, entryPrice: p.entryPrice })),
    }
  }

  async getHeight(_f: Finality): Promise<bigint> {
    return this.height
  }
  async getAccountChanges(from: bigint, to: bigint): Promise<Hex[]> {
    return [...new Set(this.events.filter((e) => e.height >= from && e.height <= to).map((e) => e.account))]
  }
  async readAccount(account: Hex): Promise<AccountSnapshot> {
    const a = this.accounts.get(account)
    if (!a) throw new UnknownAccountError(`no account ${account}`, { field: 'account' })
    return a
  }
  async readPrice(marketId: number): Promise<PriceSnapshot | null> {
    const p = this.prices.get(marketId)
    return p ? { marketId, price: p.price, conf: 0n, emaPrice: p.price, volMultiplier: p.volMultiplier, publishTime: 0n } : null
  }
  async liquidate(account: Hex): Promise<SubmitResult> {
    if (this.latencyMs) await new Promise((r) => setTimeout(r, this.latencyMs))
    const s = await this.readAccount(account)
    for (const p of s.positions) if (this.halted.has(p.marketId)) throw new MarketHaltedError(`market ${p.marketId} is halted`, { field: 'operation' })
    const r = liquidate(this.toAccount(s), this.context(), this.insurance) // AccountHealthy when not liquidatable
    this.insurance = r.insuranceFundAfter
    this.badDebt += r.badDebt
    this.put({
      account,
      settlement: r.account.settlement,
      collateral: s.collateral,
      positions: r.account.positions.map((p) => ({ marketId: Number(p.market), size: p.size, entryPrice: p.entryPrice })),
    })
    this.liquidations.push(account)
    return { txHash: `0x${this.liquidations.length.toString(16).padStart(64, '0')}` as Hex, height: this.height }
  }
  async getMessages(): Promise<ObservedMessage[]> {
    return []
  }
  async getBlockHash(): Promise<Hex | null> {
    return null
  }
  async isVaaConsumed(): Promise<boolean> {
    return false
  }
  async submitVaa(): Promise<SubmitResult> {
    throw new AccountHealthyError('not a VAA chain', { field: 'vaa' })
  }
  async close(): Promise<void> {}
}
