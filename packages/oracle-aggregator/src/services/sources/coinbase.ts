import { MalformedResponseError } from '../../errors.js'
import { HttpPriceSource, type HttpSourceInit } from './http-source.js'
import { isObject, priceField } from './parse-util.js'
import type { ParsedQuote } from './types.js'

/**
 * Coinbase Exchange `GET /products/<product_id>/ticker`:
 * `{"ask","bid","volume","trade_id","price","size","time":"2024-01-01T00:00:00.000000Z"}`.
 */
export function parseCoinbaseTicker(body: unknown, origin: string): ParsedQuote {
  if (!isObject(body)) throw new MalformedResponseError(origin, 'body', 'not an object')
  if (typeof body['message'] === 'string' && body['price'] === undefined) throw new MalformedResponseError(origin, 'message', `API error: ${body['message']}`)
  const price = priceField(body['price'], origin, 'price')
  const t = typeof body['time'] === 'string' ? Date.parse(body['time']) : NaN
  if (!Number.isFinite(t)) throw new MalformedResponseError(origin, 'time', 'missing or not an ISO time')
  return { price, publishTime: Math.floor(t / 1000) }
}

export const coinbaseSource = (i: Omit<HttpSourceInit, 'parse' | 'url' | 'id'> & { baseUrl: string; product: string }) =>
  new HttpPriceSource({ ...i, id: `coinbase:${i.product}`, url: `${i.baseUrl}/products/${encodeURIComponent(i.product)}/ticker`, parse: parseCoinbaseTicker })
