/**
 * One replay of the risk benchmark: a trader population on one price path through core (margin,
 * liquidation) and the real LiquidationKeeper, under one margin multiplier series.
 */
import { DEFAULT_LIQUIDATION, evaluateAccount, liquidate, MarketHaltedError, WAD, type AccountSnapshot, type Hex, type SubmitResult } from '@bulwark/core'
import pino from 'pino'
import { LiquidationKeeper } from '../src/services/keeper/keeper.js'
import type { KeeperAsset, KeeperMarket } from '../src/services/keeper/types.js'
import { CoreChain } from '../test/helpers/core-chain.js'
import { normal } from './paths.js'

export const USDC: Hex = `0x${'00'.repeat(12)}${'a0'.repeat(20)}`
export const assets: KeeperAsset[] = [{ originChain: 10002, asset: USDC, decimals: 6, weight: WAD, priceMarketId: 100 }]
const COLLATERAL = 10_000n // USD per account

/**
 * A core chain whose liquidation may size the close to a target health (candidate (c)): core's
 * liquidate with its `targetHealth` parameter (docs/protocol.md section 8: the fraction closed is
 * (H mmReq - equity) / (H mmReq - penaltyRate notional), rounded to close more, at most 1; full below
 * health 0.5 and at dust as always). Until this parameter existed the bench emulated it by passing
 * that fraction as the close factor; the emulation is gone.
 */
export class SizedChain extends CoreChain {
  /** Sum of |size| over every account, kept as accounts change. */
  openUnits = 0n
  constructor(markets: KeeperMarket[], readonly targetHealth?: bigint) {
    super(10002, assets, markets)
  }
  override put(s: AccountSnapshot): void {
    const units = (a: AccountSnapshot | undefined) => (a ? a.positions.reduce((y, p) => y + (p.size < 0n ? -p.size : p.size), 0n) : 0n)
    this.openUnits += units(s) - units(this.accounts.get(s.account))
    super.put(s)
  }
  override async liquidate(account: Hex): Promise<SubmitResult> {
    if (this.targetHealth === undefined) return super.liquidate(account)
    const s = await this.readAccount(account)
    for (const p of s.positions) if (this.halted.has(p.marketId)) throw new MarketHaltedError(`market ${p.marketId} is halted`, { field: 'operation' })
    const r = liquidate(this.toAccount(s), this.context(), this.insurance, { ...DEFAULT_LIQUIDATION, targetHealth: this.targetHealth })
    this.insurance = r.insuranceFundAfter
    this.badDebt += r.badDebt
    this.put({ account, settlement: r.account.settlement, collateral: s.collateral, positions: r.account.positions.map((p) => ({ marketId: Number(p.market), size: p.size, entryPrice: p.entryPrice })) })
    this.liquidations.push(account)
    return { txHash: `0x${this.liquidations.length.toString(16).padStart(64, '0')}` as Hex, height: this.height }
  }
}

/**
 * Who trades. `t0`: the original book, every account opened at the first minute with
 * 1.5x..9.5x (capped below the strictest scheme's maximum), held to the end. `arrivals`: accounts
 * open uniformly through the path (an open the breaker refuses waits for the first allowed minute)
 * with leverage u * the strictest scheme's maximum, u in [0.15, 0.95]; each closes after an
 * exponential holding time (mean `holdMinutes`); a share `topUp` of them add collateral once, back
 * to health 2, when health falls below 1.2. The same traders (same draws) for every scheme.
 */
export type Population = { kind: 't0' } | { kind: 'arrivals'; topUp: number; holdMinutes: number }
export type Trader = { open: number; close: number; long: boolean; lev: (maxLev: number) => number; topUp: boolean }

export function traders(pop: Population, n: number, minutes: number, seed: number): Trader[] {
  if (pop.kind === 't0') {
    const z = normal(99) // the original population, unchanged
    return Array.from({ length: n }, (_, i) => {
      const desired = 1.5 + 8 * Math.abs(((z() % 1) + 1) % 1)
      return { open: 0, close: Infinity, long: i % 10 < 7, lev: (max: number) => Math.min(desired, max * 0.999), topUp: false }
    })
  }
  const z = normal(1000 + seed)
  const uni = () => ((((z() * 1e4) % 1) + 1) % 1)
  return Array.from({ length: n }, (_, i) => {
    const open = Math.floor(uni() * (minutes - 1))
    const hold = Math.ceil(-Math.log(1 - uni()) * pop.holdMinutes)
    const u = 0.15 + 0.8 * uni()
    return { open, close: open + hold, long: i % 10 < 7, lev: (max: number) => u * max, topUp: uni() < pop.topUp }
  })
}

export type ReplayInput = {
  prices: bigint[]
  /** liquidations refused (breaker halted or in grace) / opens refused, per minute */
  noLiquidate: boolean[]
  noOpen: boolean[]
  mult: bigint[]
  /** the strictest multiplier of the schemes compared, per minute: sets the leverage at open */
  strict: bigint[]
  market: KeeperMarket
  targetHealth?: bigint
  traders: Trader[]
}

export type ReplayResult = {
  liquidations: number
  liquidatedAccounts: number
  badDebtUsd: number
  avgMaintenanceRequirementUsd: number
  requirementPerNotional: number
  avgMultiplier: number
  accountsOpened: number
  toppedUp: number
}

const num = (x: bigint) => Number(x) / 1e18

export async function replay(x: ReplayInput): Promise<ReplayResult> {
  const { prices, market, traders: ts } = x
  const chain = new SizedChain([market], x.targetHealth)
  chain.setPrice(100, WAD, WAD)
  chain.setPrice(1, prices[0]!, x.mult[0]!)
  const ids = ts.map((_, k) => `0x${k.toString(16).padStart(64, '0')}` as Hex)
  const schedule = (when: Map<number, number[]>, at: number, k: number) => (when.get(at) ?? when.set(at, []).get(at)!).push(k)
  const opens = new Map<number, number[]>()
  const closes = new Map<number, number[]>()
  ts.forEach((t, k) => {
    let at = t.open
    while (at < prices.length - 1 && x.noOpen[at]) at++
    schedule(opens, at, k)
    if (t.close !== Infinity) schedule(closes, Math.max(t.close, at + 1), k)
  })
  const open = (k: number, i: number) => {
    const t = ts[k]!
    const maxLev = 1 / (num(market.imf) * num(x.strict[i]!))
    const notional = BigInt(Math.floor(t.lev(maxLev) * 1e6)) * COLLATERAL * 10n ** 12n
    const size = (notional * WAD) / prices[i]!
    chain.put({ account: ids[k]!, settlement: 0n, collateral: [{ originChain: 10002, asset: USDC, amount: COLLATERAL * 10n ** 6n, pending: false }], positions: [{ marketId: 1, size: t.long ? size : -size, entryPrice: prices[i]! }] })
    opened++
    if (t.topUp) watch.add(k)
  }
  let opened = 0
  const watch = new Set<number>() // traders who will top up once
  let toppedUp = 0
  for (const k of opens.get(0) ?? []) open(k, 0)
  const keeper = new LiquidationKeeper({ assets, markets: [market], capacity: ts.length }, { chains: [chain], logger: pino({ level: 'silent' }) })
  await keeper.start(new Map([[100, { price: WAD }], [1, { price: prices[0]!, volMultiplier: x.mult[0]! }]]))
  let reqSum = 0
  let notionalSum = 0
  let multSum = 0
  for (let i = 1; i < prices.length; i++) {
    const p = prices[i]!
    const m = x.mult[i]!
    if (x.noLiquidate[i]) chain.halted.add(1)
    else chain.halted.delete(1)
    chain.setPrice(1, p, m)
    await keeper.onPrice(1, p, m)
    // traders act at this minute's price, after the keeper
    const height = chain.height
    for (const k of opens.get(i) ?? []) open(k, i)
    for (const k of closes.get(i) ?? []) {
      if (x.noOpen[i] && i < prices.length - 1) {
        schedule(closes, i + 1, k) // the breaker refuses it: next minute
        continue
      }
      const s = chain.accounts.get(ids[k]!)!
      const pos = s.positions[0]
      watch.delete(k)
      if (pos) chain.put({ ...s, settlement: s.settlement + (pos.size * (p - pos.entryPrice)) / WAD, positions: [] })
    }
    for (const k of watch) {
      const s = chain.accounts.get(ids[k]!)!
      const pos = s.positions[0]
      if (!pos) {
        watch.delete(k)
        continue
      }
      const equity = num(s.collateral[0]!.amount * 10n ** 12n) + num(s.settlement) + num(pos.size) * num(p - pos.entryPrice)
      const mm = Math.abs(num(pos.size)) * num(p) * num(market.mmf) * num(m)
      if (equity < 1.2 * mm) {
        const add = BigInt(Math.ceil(2 * mm - equity)) * 10n ** 6n
        chain.put({ ...s, collateral: [{ ...s.collateral[0]!, amount: s.collateral[0]!.amount + add }] })
        watch.delete(k)
        toppedUp++
      }
    }
    if (chain.height !== height) await keeper.poll()
    const notionalUsd = num((chain.openUnits * p) / WAD)
    reqSum += notionalUsd * num(market.mmf) * num(m)
    notionalSum += notionalUsd
    multSum += num(m)
  }
  const ctx = chain.context()
  let underwater = 0n
  for (const a of chain.accounts.values()) {
    const h = evaluateAccount(chain.toAccount(a), ctx)
    if (h.equity < 0n) underwater += -h.equity
  }
  const steps = prices.length - 1
  return {
    liquidations: chain.liquidations.length,
    liquidatedAccounts: new Set(chain.liquidations).size,
    badDebtUsd: num(chain.badDebt + underwater),
    avgMaintenanceRequirementUsd: Math.round(reqSum / steps),
    requirementPerNotional: notionalSum ? +(reqSum / notionalSum).toFixed(5) : 0,
    avgMultiplier: +(multSum / steps).toFixed(4),
    accountsOpened: opened,
    toppedUp,
  }
}
