import { WAD } from '../math/constants.js'
import { rng } from '../vectors/harness.js'
import { HealthBook } from './health-book.js'
import type { Account } from './types.js'

/**
 * A synthetic book for tests and benchmarks: 8 feeds (5 collateral assets valued by feeds 0-4 and
 * markets on feeds 5-7 and 0), accounts with 5 collateral entries and 3 positions, leverage spread so
 * that a small share sits near liquidation. Deterministic for a seed. `maxLeverage` (default 20,
 * the stressed book: about a quarter of accounts below health 1.1) bounds the notional at
 * 1..maxLeverage times the base collateral.
 */
export function syntheticBook(n: number, seed = 1n, maxLeverage = 20n): HealthBook {
  const book = new HealthBook({
    capacity: n,
    feeds: 8,
    assets: [
      { feed: 0, decimals: 6, weight: WAD, pendingWeight: WAD / 2n },
      { feed: 1, decimals: 18, weight: (WAD * 8n) / 10n },
      { feed: 2, decimals: 8, weight: (WAD * 8n) / 10n },
      { feed: 3, decimals: 9, weight: (WAD * 7n) / 10n },
      { feed: 4, decimals: 18, weight: WAD / 2n },
    ],
    markets: [
      { feed: 5, imf: WAD / 10n, mmf: WAD / 20n, volMultiplier: WAD },
      { feed: 6, imf: WAD / 10n, mmf: WAD / 20n, volMultiplier: (WAD * 3n) / 2n },
      { feed: 7, imf: WAD / 5n, mmf: WAD / 10n, volMultiplier: WAD },
      { feed: 1, imf: WAD / 10n, mmf: WAD / 20n, volMultiplier: WAD },
    ],
  })
  const prices = [WAD, 3000n * WAD, 60_000n * WAD, 150n * WAD, 5n * WAD, 3000n * WAD, 60_000n * WAD, 150n * WAD]
  prices.forEach((p, f) => book.setPrice(f, p))
  const next = rng(seed)
  const r = (m: bigint) => next() % m
  for (let i = 0; i < n; i++) {
    const base = 1000n + r(100_000n)
    const account: Account = {
      collateral: [
        { asset: '0', amount: base * 10n ** 6n },
        { asset: '1', amount: r(WAD / 4n) },
        { asset: '2', amount: r(10n ** 6n) },
        { asset: '3', amount: r(10n * 10n ** 9n), state: r(10n) === 0n ? 'pending' : 'active' },
        { asset: '4', amount: r(100n * WAD) },
      ],
      positions: [0, 1, 2].map((k) => {
        const market = Number(r(4n))
        const mark = prices[[5, 6, 7, 1][market]!]!
        // leverage up to ~20x on the base collateral, split over three positions
        const notional = (base * WAD * (1n + r(maxLeverage))) / 3n
        const size = (notional * WAD) / mark
        const entry = (mark * (980n + r(40n))) / 1000n
        return { market: String(market), size: r(2n) === 0n ? size : -size, entryPrice: entry + BigInt(k) }
      }).filter((p, k, all) => all.findIndex((q) => q.market === p.market) === k),
      settlement: -r(100n * WAD),
    }
    book.setAccount(i, account)
  }
  return book
}
