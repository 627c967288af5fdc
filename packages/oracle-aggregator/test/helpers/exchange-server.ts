import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export type Venue = 'coinbase' | 'kraken' | 'binance' | 'okx' | 'pyth'
/** How a venue answers: its real format, or one of the failures a real venue shows. */
export type Mode = { kind: 'ok' } | { kind: 'malformed'; body: string } | { kind: 'http'; status: number; body: string } | { kind: 'slow'; ms: number } | { kind: 'apiError' }

export type VenueState = { price: string; /** unix seconds the venue stamps on its answer */ time: number; mode: Mode; hits: number }

export const PYTH_FEED = 'e62df6c8b4a85fe1a67db44dc12de5db330f7ac66b72dc658afedf0f4a415b43'

/** Each venue's documented success body for a decimal price. */
function body(v: Venue, s: VenueState): unknown {
  const ms = s.time * 1000
  switch (v) {
    case 'coinbase':
      return { ask: s.price, bid: s.price, volume: '9512.33', trade_id: 74392881, price: s.price, size: '0.0015', time: new Date(ms).toISOString() }
    case 'kraken':
      return { error: [], result: { XXBTZUSD: { a: [s.price, '1', '1.000'], b: [s.price, '1', '1.000'], c: [s.price, '0.00067643'], v: ['4083.67', '4412.73'], p: [s.price, s.price], t: [34619, 38907], l: [s.price, s.price], h: [s.price, s.price], o: s.price } } }
    case 'binance':
      return { symbol: 'BTCUSDT', price: s.price }
    case 'okx':
      return { code: '0', msg: '', data: [{ instType: 'SPOT', instId: 'BTC-USDT', last: s.price, lastSz: '0.1', askPx: s.price, askSz: '1', bidPx: s.price, bidSz: '1', open24h: s.price, high24h: s.price, low24h: s.price, volCcy24h: '1', vol24h: '1', ts: String(ms), sodUtc0: s.price, sodUtc8: s.price }] }
    case 'pyth': {
      const [i, f = ''] = s.price.split('.')
      const mant = `${i}${f.padEnd(8, '0').slice(0, 8)}`.replace(/^0+(?=\d)/, '')
      const p = { price: mant, conf: '3287905163', expo: -8, publish_time: s.time }
      return { binary: { encoding: 'hex', data: ['504e4155010000'] }, parsed: [{ id: PYTH_FEED, price: p, ema_price: p, metadata: { slot: 1, proof_available_time: s.time, prev_publish_time: s.time - 1 } }] }
    }
  }
}

const API_ERRORS: Record<Venue, unknown> = {
  coinbase: { message: 'NotFound' },
  kraken: { error: ['EQuery:Unknown asset pair'] },
  binance: { code: -1121, msg: 'Invalid symbol.' },
  okx: { code: '51001', msg: "Instrument ID doesn't exist.", data: [] },
  pyth: { binary: { encoding: 'hex', data: [] }, parsed: [] },
}

function route(url: string): Venue | null {
  if (url.startsWith('/products/')) return 'coinbase'
  if (url.startsWith('/0/public/Ticker')) return 'kraken'
  if (url.startsWith('/api/v3/ticker/price')) return 'binance'
  if (url.startsWith('/api/v5/market/ticker')) return 'okx'
  if (url.startsWith('/v2/updates/price/latest')) return 'pyth'
  return null
}

/** A local HTTP server answering like Coinbase, Kraken, Binance, OKX and Pyth Hermes, on 127.0.0.1. */
export class ExchangeServer {
  readonly venues = new Map<Venue, VenueState>()
  #server: Server | undefined
  readonly #pending = new Set<NodeJS.Timeout>()
  url = ''

  constructor(price = '30300.10000', time = Math.floor(Date.now() / 1000)) {
    for (const v of ['coinbase', 'kraken', 'binance', 'okx', 'pyth'] as const) this.venues.set(v, { price, time, mode: { kind: 'ok' }, hits: 0 })
  }

  set(v: Venue, patch: Partial<VenueState>): void {
    Object.assign(this.venues.get(v)!, patch)
  }

  async start(): Promise<string> {
    this.#server = createServer((req, res) => this.#handle(req, res))
    await new Promise<void>((r) => this.#server!.listen(0, '127.0.0.1', r))
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`
    return this.url
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const v = route(req.url ?? '')
    if (!v) return void res.writeHead(404).end('{"message":"not found"}')
    const s = this.venues.get(v)!
    s.hits++
    const send = (status: number, text: string) => res.writeHead(status, { 'content-type': 'application/json' }).end(text)
    const m = s.mode
    if (m.kind === 'malformed') return void send(200, m.body)
    if (m.kind === 'http') return void send(m.status, m.body)
    if (m.kind === 'apiError') return void send(v === 'coinbase' ? 404 : 200, JSON.stringify(API_ERRORS[v]))
    if (m.kind === 'slow') {
      const t = setTimeout(() => (this.#pending.delete(t), send(200, JSON.stringify(body(v, s)))), m.ms)
      this.#pending.add(t)
      return
    }
    send(200, JSON.stringify(body(v, s)))
  }

  async stop(): Promise<void> {
    for (const t of this.#pending) clearTimeout(t)
    this.#server?.closeAllConnections()
    await new Promise<void>((r) => (this.#server ? this.#server.close(() => r()) : r()))
  }
}
