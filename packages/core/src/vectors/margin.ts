import { WAD } from '../math/constants.js'
import { HEALTH_MAX, evaluateAccount } from '../risk/margin.js'
import { trade, withdraw } from '../risk/operations.js'
import { ASSETS, MARKETS, fromCoreAccount, toCore, wad, type RiskInput } from './risk-input.js'
import { randomUint, rng, vcase, type VectorCase, type VectorFile } from './harness.js'

const healthOut = (h: ReturnType<typeof evaluateAccount>) => ({ ...h, health: h.health === HEALTH_MAX ? 'max' : h.health })

export const scenario = (account: Partial<RiskInput['account']>, markets = MARKETS, assets = ASSETS): RiskInput => ({
  assets,
  markets,
  account: { collateral: [], positions: [], settlement: 0n, ...account },
})

export function marginVectors(): VectorCase[] {
  const cases: VectorCase[] = []
  const evaluate = (name: string, input: RiskInput) =>
    cases.push(vcase(name, 'evaluate', input, () => {
      const { account, ctx } = toCore(input)
      return healthOut(evaluateAccount(account, ctx))
    }))
  evaluate('empty account', scenario({}))
  evaluate('collateral only', scenario({ collateral: [{ asset: 0, amount: 10_000_000_000n, pending: false }] }))
  evaluate('long in profit', scenario({ collateral: [{ asset: 0, amount: 1_000_000_000n, pending: false }], positions: [{ market: 0, size: wad(2), entryPrice: wad(2500) }] }))
  evaluate('short in loss', scenario({ collateral: [{ asset: 1, amount: wad('0.5'), pending: false }], positions: [{ market: 0, size: -wad('1.5'), entryPrice: wad(2800) }] }))
  evaluate('pending collateral at its weight', scenario({ collateral: [{ asset: 0, amount: 2_000_000_000n, pending: true }, { asset: 1, amount: wad(1), pending: true }] }))
  evaluate('three collateral, three positions', scenario({
    collateral: [{ asset: 0, amount: 5_000_000_000n, pending: false }, { asset: 1, amount: wad('1.25'), pending: false }, { asset: 2, amount: 40_000_000_000n, pending: false }],
    positions: [{ market: 0, size: wad(3), entryPrice: wad(3100) }, { market: 1, size: -wad('0.1'), entryPrice: wad(58000) }, { market: 2, size: wad(100), entryPrice: wad('149.5') }],
    settlement: -wad('123.456'),
  }))
  const hot = MARKETS.map((m, i) => ({ ...m, volMultiplier: [wad(2), wad('1.5'), wad(3)][i]! }))
  evaluate('volatility multiplier raises requirements', scenario({ collateral: [{ asset: 0, amount: 1_000_000_000n, pending: false }], positions: [{ market: 0, size: wad(2), entryPrice: wad(3000) }] }, hot))
  evaluate('negative equity', scenario({ collateral: [{ asset: 0, amount: 100_000_000n, pending: false }], positions: [{ market: 0, size: wad(1), entryPrice: wad(3500) }] }))
  evaluate('odd sizes round against the trader', scenario({ collateral: [{ asset: 0, amount: 333_333_333n, pending: false }], positions: [{ market: 0, size: 1_000_000_000_000_001n, entryPrice: 2_999_999_999_999_999_999_999n }, { market: 2, size: -7n, entryPrice: 3n }] }))
  evaluate('unknown asset', scenario({ collateral: [{ asset: 9, amount: 1n, pending: false }] }))
  evaluate('unknown market', scenario({ positions: [{ market: 9, size: wad(1), entryPrice: wad(1) }] }))
  evaluate('zero asset price', scenario({ collateral: [{ asset: 0, amount: 1n, pending: false }] }, MARKETS, [{ ...ASSETS[0]!, price: 0n }]))
  evaluate('zero entry price', scenario({ positions: [{ market: 0, size: wad(1), entryPrice: 0n }] }))
  const next = rng(0x3a26a1n)
  for (let i = 0; i < 24; i++) {
    const r = (bits: number) => randomUint(next, bits)
    evaluate(`random account ${i}`, scenario({
      collateral: [{ asset: 0, amount: r(40), pending: i % 5 === 0 }, { asset: 1, amount: r(64), pending: false }, { asset: 2, amount: r(40), pending: false }],
      positions: [
        { market: 0, size: (r(1) === 1n ? -1n : 1n) * r(62), entryPrice: wad(2000) + r(70) },
        { market: 1, size: (r(1) === 1n ? -1n : 1n) * r(58), entryPrice: wad(50000) + r(74) },
        { market: 2, size: (r(1) === 1n ? -1n : 1n) * r(66), entryPrice: wad(100) + r(66) },
      ],
      settlement: (r(1) === 1n ? -1n : 1n) * r(72),
    }))
  }
  const tradeCase = (name: string, input: RiskInput, market: number, sizeDelta: bigint, feeRate: bigint) =>
    cases.push(vcase(name, 'trade', { ...input, market, sizeDelta, feeRate }, () => {
      const { account, ctx } = toCore(input)
      const r = trade(account, `m${market}`, sizeDelta, ctx, feeRate)
      return { account: fromCoreAccount(r.account), fee: r.fee, realizedPnl: r.realizedPnl, health: healthOut(r.health) }
    }))
  const funded = { collateral: [{ asset: 0, amount: 10_000_000_000n, pending: false }] }
  const fee = wad('0.0005')
  tradeCase('open long', scenario(funded), 0, wad(2), fee)
  tradeCase('increase long averages entry up', scenario({ ...funded, positions: [{ market: 0, size: wad(1), entryPrice: wad(2900) }] }), 0, wad(2), fee)
  tradeCase('increase short averages entry down', scenario({ ...funded, positions: [{ market: 0, size: -wad(1), entryPrice: wad(2900) }] }), 0, -7n, fee)
  tradeCase('reduce long realizes pnl', scenario({ ...funded, positions: [{ market: 0, size: wad(3), entryPrice: wad(2500) }] }), 0, -wad(1), fee)
  tradeCase('close short fully', scenario({ ...funded, positions: [{ market: 0, size: -wad(3), entryPrice: wad(2500) }] }), 0, wad(3), fee)
  tradeCase('flip long to short', scenario({ ...funded, positions: [{ market: 0, size: wad(1), entryPrice: wad(3100) }] }), 0, -wad(3), fee)
  tradeCase('open beyond initial margin', scenario(funded), 1, wad(2), fee)
  tradeCase('zero size', scenario(funded), 0, 0n, fee)
  tradeCase('unknown market', scenario(funded), 5, wad(1), fee)
  tradeCase('reduce allowed below initial margin', scenario({ collateral: [{ asset: 0, amount: 100_000_000n, pending: false }], positions: [{ market: 0, size: wad(1), entryPrice: wad(3000) }] }), 0, -wad('0.5'), fee)
  const withdrawCase = (name: string, input: RiskInput, asset: number, amount: bigint) =>
    cases.push(vcase(name, 'withdraw', { ...input, asset, amount }, () => {
      const { account, ctx } = toCore(input)
      const r = withdraw(account, `a${asset}`, amount, ctx)
      return { account: fromCoreAccount(r.account), health: healthOut(r.health) }
    }))
  const book = { collateral: [{ asset: 0, amount: 2_000_000_000n, pending: false }, { asset: 1, amount: wad(1), pending: false }], positions: [{ market: 0, size: wad(10), entryPrice: wad(3000) }] }
  withdrawCase('withdraw with no positions', scenario(funded), 0, 1_000_000_000n)
  withdrawCase('withdraw all with no positions', scenario(funded), 0, 10_000_000_000n)
  withdrawCase('withdraw keeping initial margin', scenario(book), 0, 500_000_000n)
  withdrawCase('withdraw below initial margin', scenario(book), 0, 1_900_000_000n)
  withdrawCase('withdraw more than held', scenario(book), 1, wad(2))
  withdrawCase('withdraw pending collateral', scenario({ collateral: [{ asset: 0, amount: 5n, pending: true }] }), 0, 5n)
  withdrawCase('withdraw zero', scenario(book), 0, 0n)
  withdrawCase('withdraw unknown asset', scenario(book), 7, 1n)
  return cases
}

export function marginFile(): VectorFile {
  return {
    topic: 'margin',
    version: 1,
    description: `Cross-margin evaluation, trades and withdrawals (docs/protocol.md section 7). WAD=${WAD}. Assets and markets by index; health "max" when mmReq is 0.`,
    cases: marginVectors(),
  }
}
