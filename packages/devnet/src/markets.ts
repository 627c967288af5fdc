/** The devnet's markets: id (as the oracle and engines know it), base asset, opening price in USD. */
export type MarketDef = { id: number; base: string; name: string; price: number }

export const MARKETS: readonly MarketDef[] = [
  { id: 1, base: 'ETH', name: 'ETH-USD', price: 3000 },
  { id: 3, base: 'SOL', name: 'SOL-USD', price: 150 },
  { id: 100, base: 'USDC', name: 'USDC-USD', price: 1 },
]

/** The market the crash scenario moves and the page charts. */
export const CRASH_MARKET = MARKETS[0]!

export const initialPrices = (): Record<string, number> => Object.fromEntries(MARKETS.map((m) => [m.base, m.price]))
