import { MalformedResponseError } from '../../errors.js'
import { HttpPriceSource, type HttpSourceInit } from './http-source.js'
import { isObject, priceField } from './parse-util.js'
import type { ParsedQuote } from './types.js'

/**
 * OKX `GET /api/v5/market/ticker?instId=BTC-USDT`: `{"code":"0","msg":"","data":[{"instType":"SPOT",
 * "instId":"BTC-USDT","last":"43000.1","askPx":..,"bidPx":..,"ts":"1700000000000",...}]}`; a non-"0"
 * code is an API error. `ts` is unix milliseconds.
 */
export function parseOkxTicker(body: unknown, origin: string, instId?: string): ParsedQuote {
  if (!isObject(body)) throw new MalformedResponseError(origin, 'body', 'not an object')
  if (body['code'] !== '0') throw new MalformedResponseError(origin, 'code', `API error ${String(body['code'])}: ${String(body['msg'])}`)
  const data = body['data']
  if (!Array.isArray(data) || data.length !== 1 || !isObject(data[0])) throw new MalformedResponseError(origin, 'data', 'expected one ticker')
  const t = data[0]
  if (instId !== undefined && t['instId'] !== instId) throw new MalformedResponseError(origin, 'data[0].instId', `expected ${instId}, got ${String(t['instId'])}`)
  const ts = typeof t['ts'] === 'string' && /^\d{1,16}$/.test(t['ts']) ? Number(t['ts']) : NaN
  if (!Number.isFinite(ts)) throw new MalformedResponseError(origin, 'data[0].ts', 'missing or not milliseconds')
  return { price: priceField(t['last'], origin, 'data[0].last'), publishTime: Math.floor(ts / 1000) }
}

export const okxSource = (i: Omit<HttpSourceInit, 'parse' | 'url' | 'id'> & { baseUrl: string; instId: string }) =>
  new HttpPriceSource({
    ...i,
    id: `okx:${i.instId}`,
    url: `${i.baseUrl}/api/v5/market/ticker?instId=${encodeURIComponent(i.instId)}`,
    parse: (b, o) => parseOkxTicker(b, o, i.instId),
  })
