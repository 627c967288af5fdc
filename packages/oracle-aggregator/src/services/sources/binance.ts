import { MalformedResponseError } from '../../errors.js'
import { HttpPriceSource, type HttpSourceInit } from './http-source.js'
import { isObject, priceField } from './parse-util.js'
import type { ParsedQuote } from './types.js'

/**
 * Binance `GET /api/v3/ticker/price?symbol=BTCUSDT`: `{"symbol":"BTCUSDT","price":"43000.01000000"}`;
 * errors are `{"code":-1121,"msg":"Invalid symbol."}`. No timestamp.
 */
export function parseBinanceTicker(body: unknown, origin: string, symbol?: string): ParsedQuote {
  if (!isObject(body)) throw new MalformedResponseError(origin, 'body', 'not an object')
  if (typeof body['code'] === 'number') throw new MalformedResponseError(origin, 'code', `API error ${body['code']}: ${String(body['msg'])}`)
  if (symbol !== undefined && body['symbol'] !== symbol) throw new MalformedResponseError(origin, 'symbol', `expected ${symbol}, got ${String(body['symbol'])}`)
  return { price: priceField(body['price'], origin, 'price') }
}

export const binanceSource = (i: Omit<HttpSourceInit, 'parse' | 'url' | 'id'> & { baseUrl: string; symbol: string }) =>
  new HttpPriceSource({
    ...i,
    id: `binance:${i.symbol}`,
    url: `${i.baseUrl}/api/v3/ticker/price?symbol=${encodeURIComponent(i.symbol)}`,
    parse: (b, o) => parseBinanceTicker(b, o, i.symbol),
  })
