import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** The exchanges the devnet imitates; each answers in its public API's own format. */
export const VENUES = ['coinbase', 'kraken', 'binance', 'okx'] as const
export type Venue = (typeof VENUES)[number]

/** Small fixed spreads between venues (parts per million) so the oracle sees a real confidence band. */
const SPREAD_PPM: Record<Venue, number> = { coinbase: 0, kraken: 150, binance: -120, okx: 60 }

/** How each venue names a base asset quoted in dollars. */
export const SYMBOL: Record<Venue, (base: string) => string> = {
  coinbase: (b) => `${b}-USD`,
  kraken: (b) => `${b}USD`,
  binance: (b) => `${b}USDT`,
  okx: (b) => `${b}-USDT`,
}

function decimal(price: number, venue: Venue): string {
  return (price * (1 + SPREAD_PPM[venue] / 1e6)).toFixed(6)
}

/**
 * A local HTTP server on 127.0.0.1 answering like Coinbase, Kraken, Binance and OKX tickers for
 * the devnet's assets. The scenario moves prices with set(); oracle nodes poll it as their sources.
 */
export class VenueServer {
  readonly #prices = new Map<string, number>()
  #server: Server | undefined
  url = ''
  hits = 0

  constructor(initial: Record<string, number>) {
    for (const [k, v] of Object.entries(initial)) this.#prices.set(k, v)
  }

  /** Sets the dollar price of a base asset on every venue. */
  set(base: string, price: number): void {
    if (!(price > 0)) throw new RangeError(`price of ${base} must be positive, got ${price}`)
    this.#prices.set(base, price)
  }

  get(base: string): number | undefined {
    return this.#prices.get(base)
  }

  async start(port = 0): Promise<string> {
    this.#server = createServer((req, res) => this.#handle(req, res))
    await new Promise<void>((r) => this.#server!.listen(port, '127.0.0.1', r))
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`
    return this.url
  }

  async stop(): Promise<void> {
    const s = this.#server
    if (!s) return
    s.closeAllConnections()
    await new Promise<void>((r) => s.close(() => r()))
  }

  /** The base asset a venue's symbol names, if it is one of ours. */
  #base(venue: Venue, symbol: string): string | undefined {
    return [...this.#prices.keys()].find((b) => SYMBOL[venue](b) === symbol)
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    this.hits++
    const u = new URL(req.url ?? '/', 'http://x')
    const send = (status: number, body: unknown): void => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
    const now = Date.now()
    const cb = /^\/products\/([^/]+)\/ticker$/.exec(u.pathname)
    if (cb) {
      const base = this.#base('coinbase', decodeURIComponent(cb[1]!))
      if (!base) return send(404, { message: 'NotFound' })
      const p = decimal(this.#prices.get(base)!, 'coinbase')
      return send(200, { ask: p, bid: p, volume: '1000.0', trade_id: now, price: p, size: '0.01', time: new Date(now).toISOString() })
    }
    if (u.pathname === '/0/public/Ticker') {
      const pair = u.searchParams.get('pair') ?? ''
      const base = this.#base('kraken', pair)
      if (!base) return send(200, { error: ['EQuery:Unknown asset pair'] })
      const p = decimal(this.#prices.get(base)!, 'kraken')
      return send(200, { error: [], result: { [`X${pair}`]: { a: [p, '1', '1.000'], b: [p, '1', '1.000'], c: [p, '0.01'], v: ['1', '1'], p: [p, p], t: [1, 1], l: [p, p], h: [p, p], o: p } } })
    }
    if (u.pathname === '/api/v3/ticker/price') {
      const symbol = u.searchParams.get('symbol') ?? ''
      const base = this.#base('binance', symbol)
      if (!base) return send(400, { code: -1121, msg: 'Invalid symbol.' })
      return send(200, { symbol, price: decimal(this.#prices.get(base)!, 'binance') })
    }
    if (u.pathname === '/api/v5/market/ticker') {
      const instId = u.searchParams.get('instId') ?? ''
      const base = this.#base('okx', instId)
      if (!base) return send(200, { code: '51001', msg: "Instrument ID doesn't exist.", data: [] })
      const p = decimal(this.#prices.get(base)!, 'okx')
      return send(200, { code: '0', msg: '', data: [{ instType: 'SPOT', instId, last: p, lastSz: '1', askPx: p, askSz: '1', bidPx: p, bidSz: '1', ts: String(now) }] })
    }
    send(404, { message: 'not found' })
  }
}
