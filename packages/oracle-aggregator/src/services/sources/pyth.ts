import { MalformedResponseError } from '../../errors.js'
import { scaledToWad } from './decimal.js'
import { HttpPriceSource, type HttpSourceInit } from './http-source.js'
import { isObject } from './parse-util.js'
import type { ParsedQuote } from './types.js'

/**
 * Pyth Hermes `GET /v2/updates/price/latest?ids[]=<feed id>`: `{"binary":{"encoding":"hex","data":[..]},
 * "parsed":[{"id":"<64 hex>","price":{"price":"6140993501000","conf":"3287905163","expo":-8,
 * "publish_time":1717632000},"ema_price":{..},"metadata":{..}}]}`. Price = price x 10^expo.
 */
export function parsePythLatest(body: unknown, origin: string, feedId: string): ParsedQuote {
  if (!isObject(body)) throw new MalformedResponseError(origin, 'body', 'not an object')
  const parsed = body['parsed']
  if (!Array.isArray(parsed)) throw new MalformedResponseError(origin, 'parsed', 'missing parsed array (request parsed=true)')
  const want = feedId.replace(/^0x/, '').toLowerCase()
  const feed = parsed.find((p) => isObject(p) && typeof p['id'] === 'string' && p['id'].replace(/^0x/, '').toLowerCase() === want)
  if (!isObject(feed)) throw new MalformedResponseError(origin, 'parsed[].id', `feed ${want.slice(0, 8)}.. not in the answer`)
  const p = feed['price']
  if (!isObject(p)) throw new MalformedResponseError(origin, 'parsed[].price', 'missing')
  if (typeof p['price'] !== 'string' || !/^-?\d{1,20}$/.test(p['price'])) throw new MalformedResponseError(origin, 'parsed[].price.price', 'not an integer string')
  const expo = p['expo']
  if (typeof expo !== 'number' || !Number.isInteger(expo) || expo < -30 || expo > 10) throw new MalformedResponseError(origin, 'parsed[].price.expo', 'not a small integer')
  const t = p['publish_time']
  if (typeof t !== 'number' || !Number.isSafeInteger(t) || t <= 0) throw new MalformedResponseError(origin, 'parsed[].price.publish_time', 'not unix seconds')
  const mantissa = BigInt(p['price'])
  if (mantissa <= 0n) throw new MalformedResponseError(origin, 'parsed[].price.price', 'price is not positive')
  const price = scaledToWad(mantissa, expo)
  if (price === 0n) throw new MalformedResponseError(origin, 'parsed[].price.price', 'price rounds to zero')
  return { price, publishTime: t }
}

export const pythSource = (i: Omit<HttpSourceInit, 'parse' | 'url' | 'id'> & { baseUrl: string; feedId: string }) =>
  new HttpPriceSource({
    ...i,
    id: `pyth:${i.feedId.replace(/^0x/, '').slice(0, 8)}`,
    url: `${i.baseUrl}/v2/updates/price/latest?ids%5B%5D=${encodeURIComponent(i.feedId)}&parsed=true`,
    parse: (b, o) => parsePythLatest(b, o, i.feedId),
  })
