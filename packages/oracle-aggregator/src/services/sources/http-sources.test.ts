import { WAD } from '@bulwark/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ExchangeServer, PYTH_FEED, type Venue } from '../../../test/helpers/exchange-server.js'
import { binanceSource } from './binance.js'
import { coinbaseSource } from './coinbase.js'
import type { HttpPriceSource } from './http-source.js'
import { krakenSource } from './kraken.js'
import { okxSource } from './okx.js'
import { pythSource } from './pyth.js'

const server = new ExchangeServer('30300.12345678')
const policy = { timeoutMs: 150, retries: 2, backoffMs: 5, maxAgeSeconds: 30 }
let make: Record<Venue, () => HttpPriceSource>

beforeAll(async () => {
  const baseUrl = await server.start()
  make = {
    coinbase: () => coinbaseSource({ baseUrl, product: 'BTC-USD', marketId: 1, policy }),
    kraken: () => krakenSource({ baseUrl, pair: 'XBTUSD', marketId: 1, policy }),
    binance: () => binanceSource({ baseUrl, symbol: 'BTCUSDT', marketId: 1, policy }),
    okx: () => okxSource({ baseUrl, instId: 'BTC-USDT', marketId: 1, policy }),
    pyth: () => pythSource({ baseUrl, feedId: `0x${PYTH_FEED}`, marketId: 1, policy }),
  }
})
afterAll(() => server.stop())

const now = () => Math.floor(Date.now() / 1000)
const reset = (v: Venue) => server.set(v, { mode: { kind: 'ok' }, time: now(), price: '30300.12345678', hits: 0 })

describe.each(['coinbase', 'kraken', 'binance', 'okx', 'pyth'] as const)('%s ticker source', (v) => {
  it('reads the price from the real response format, exactly in WAD', async () => {
    reset(v)
    const r = await make[v]().fetch(now())
    expect(r.price).toBe(30300n * WAD + 123456780000000000n)
    expect(r.source.startsWith(v)).toBe(true)
    expect(Math.abs(r.publishTime - now())).toBeLessThanOrEqual(2)
  })

  it('a malformed body is MalformedResponse, not retried', async () => {
    reset(v)
    server.set(v, { mode: { kind: 'malformed', body: '{"price": 12' } })
    await expect(make[v]().fetch(now())).rejects.toMatchObject({ name: 'MalformedResponse', field: 'body' })
    expect(server.venues.get(v)!.hits).toBe(1)
  })

  it('a well-formed JSON without a price names the missing field', async () => {
    reset(v)
    server.set(v, { mode: { kind: 'malformed', body: '{"error":[],"result":{},"code":"0","data":[{}],"parsed":[]}' } })
    const e = await make[v]().fetch(now()).catch((x: unknown) => x)
    expect(e).toMatchObject({ name: 'MalformedResponse' })
    expect((e as { field: string }).field).not.toBe('body')
  })

  it("the venue's API error is MalformedResponse or SourceHttpError, never a price", async () => {
    reset(v)
    server.set(v, { mode: { kind: 'apiError' } })
    const e = await make[v]().fetch(now()).catch((x: unknown) => x)
    expect(['MalformedResponse', 'SourceHttpError']).toContain((e as Error).name)
  })

  it('HTTP 503 is retried, then SourceHttpError naming the status', async () => {
    reset(v)
    server.set(v, { mode: { kind: 'http', status: 503, body: 'Service Unavailable' } })
    await expect(make[v]().fetch(now())).rejects.toMatchObject({ name: 'SourceHttpError', status: 503 })
    expect(server.venues.get(v)!.hits).toBe(3)
  })

  it('HTTP 400 is not retried', async () => {
    reset(v)
    server.set(v, { mode: { kind: 'http', status: 400, body: '{"msg":"bad"}' } })
    await expect(make[v]().fetch(now())).rejects.toMatchObject({ name: 'SourceHttpError', status: 400 })
    expect(server.venues.get(v)!.hits).toBe(1)
  })

  it('a slow answer times out on every attempt: SourceTimeout', async () => {
    reset(v)
    server.set(v, { mode: { kind: 'slow', ms: 1000 } })
    await expect(make[v]().fetch(now())).rejects.toMatchObject({ name: 'SourceTimeout' })
    expect(server.venues.get(v)!.hits).toBe(3)
  })

  it('a slow answer inside the timeout is accepted', async () => {
    reset(v)
    server.set(v, { mode: { kind: 'slow', ms: 30 } })
    await expect(make[v]().fetch(now())).resolves.toMatchObject({ price: 30300n * WAD + 123456780000000000n })
  })
})

describe.each(['coinbase', 'okx', 'pyth'] as const)('%s (timestamped) staleness', (v) => {
  it('an answer stamped older than maxAge marks the source stale instead of reporting it', async () => {
    reset(v)
    server.set(v, { time: now() - 120 })
    await expect(make[v]().fetch(now())).rejects.toMatchObject({ name: 'SourceStale', field: 'publishTime' })
  })
})

describe.each(['kraken', 'binance'] as const)('%s (untimestamped)', (v) => {
  it('uses the receive time as publish time', async () => {
    reset(v)
    server.set(v, { time: now() - 1000 })
    const t = now()
    expect((await make[v]().fetch(t)).publishTime).toBe(t)
  })
})
