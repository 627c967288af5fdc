import { WAD } from '../math/constants.js'
import type { Account, AssetConfig, MarketConfig, RiskContext } from '../risk/types.js'

/** Vector form of a risk scenario: arrays, references by index, easy to read from Solidity and Rust. */
export type RiskInput = {
  assets: (AssetConfig & { pendingWeight: bigint })[]
  markets: MarketConfig[]
  account: {
    collateral: { asset: number; amount: bigint; pending: boolean }[]
    positions: { market: number; size: bigint; entryPrice: bigint }[]
    settlement: bigint
  }
}

export function toCore(input: RiskInput): { account: Account; ctx: RiskContext } {
  const assets = Object.fromEntries(input.assets.map((a, i) => [`a${i}`, a]))
  const markets = Object.fromEntries(input.markets.map((m, i) => [`m${i}`, m]))
  const account: Account = {
    settlement: input.account.settlement,
    collateral: input.account.collateral.map((c) => ({ asset: `a${c.asset}`, amount: c.amount, state: c.pending ? 'pending' : 'active' })),
    positions: input.account.positions.map((p) => ({ market: `m${p.market}`, size: p.size, entryPrice: p.entryPrice })),
  }
  return { account, ctx: { assets, markets } }
}

export function fromCoreAccount(a: Account): RiskInput['account'] {
  return {
    settlement: a.settlement,
    collateral: a.collateral.map((c) => ({ asset: Number(c.asset.slice(1)), amount: c.amount, pending: c.state === 'pending' })),
    positions: a.positions.map((p) => ({ market: Number(p.market.slice(1)), size: p.size, entryPrice: p.entryPrice })),
  }
}

const w = (x: number | string): bigint => {
  const [i, f = ''] = String(x).split('.')
  return BigInt(i!) * WAD + BigInt((f + '0'.repeat(18)).slice(0, 18))
}
export { w as wad }

/** USDC (6 decimals, weight 1, pending 0.5), WETH (18, 0.8, pending 0), SOL (9, 0.7, pending 0). */
export const ASSETS: RiskInput['assets'] = [
  { decimals: 6, price: w(1), weight: w(1), pendingWeight: w('0.5') },
  { decimals: 18, price: w(3000), weight: w('0.8'), pendingWeight: 0n },
  { decimals: 9, price: w(150), weight: w('0.7'), pendingWeight: 0n },
]

/** ETH-PERP, BTC-PERP, SOL-PERP at 10%/5% margin, multiplier 1. */
export const MARKETS: MarketConfig[] = [
  { markPrice: w(3000), imf: w('0.1'), mmf: w('0.05'), volMultiplier: w(1) },
  { markPrice: w(60000), imf: w('0.1'), mmf: w('0.05'), volMultiplier: w(1) },
  { markPrice: w(150), imf: w('0.2'), mmf: w('0.1'), volMultiplier: w(1) },
]
