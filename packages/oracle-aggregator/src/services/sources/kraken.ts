import { MalformedResponseError } from '../../errors.js'
import { HttpPriceSource, type HttpSourceInit } from './http-source.js'
import { isObject, objectField, priceField } from './parse-util.js'
import type { ParsedQuote } from './types.js'

/**
 * Kraken `GET /0/public/Ticker?pair=XBTUSD`: `{"error":[],"result":{"XXBTZUSD":{"a":[..],"b":[..],
 * "c":["<last price>","<lot volume>"],...}}}`. The result key is Kraken's own pair name, which can
 * differ from the query (XBTUSD -> XXBTZUSD): exactly one pair is expected. No timestamp.
 */
export function parseKrakenTicker(body: unknown, origin: string): ParsedQuote {
  if (!isObject(body)) throw new MalformedResponseError(origin, 'body', 'not an object')
  const errors = body['error']
  if (!Array.isArray(errors)) throw new MalformedResponseError(origin, 'error', 'missing error array')
  if (errors.length > 0) throw new MalformedResponseError(origin, 'error', `API error: ${errors.join(', ')}`)
  const result = objectField(body, 'result', origin)
  const pairs = Object.keys(result)
  if (pairs.length !== 1) throw new MalformedResponseError(origin, 'result', `expected one pair, got ${pairs.length}`)
  const c = (result[pairs[0]!] as Record<string, unknown> | undefined)?.['c']
  if (!Array.isArray(c)) throw new MalformedResponseError(origin, `result.${pairs[0]}.c`, 'missing last-trade array')
  return { price: priceField(c[0], origin, `result.${pairs[0]}.c[0]`) }
}

export const krakenSource = (i: Omit<HttpSourceInit, 'parse' | 'url' | 'id'> & { baseUrl: string; pair: string }) =>
  new HttpPriceSource({ ...i, id: `kraken:${i.pair}`, url: `${i.baseUrl}/0/public/Ticker?pair=${encodeURIComponent(i.pair)}`, parse: parseKrakenTicker })
