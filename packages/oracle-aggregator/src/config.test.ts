import { describe, expect, it } from 'vitest'
import { ConfigError, parseConfig } from './config.js'

const base = {
  guardianIndex: 0,
  oracleSet: { keys: ['0x' + '11'.repeat(20)] },
  emitter: { chain: 10002, address: '0x' + '00'.repeat(31) + '0a' },
  markets: [{ marketId: 1, name: 'BTC-USD', sources: [{ type: 'coinbase', product: 'BTC-USD' }, { type: 'chainlink', rpcUrl: 'http://127.0.0.1:8545', feed: '0x' + '22'.repeat(20) }] }],
}

describe('config', () => {
  it('fills defaults', () => {
    const c = parseConfig(base)
    expect(c.roundSeconds).toBe(1)
    expect(c.markets[0]!.sigmaRef).toBe(10n ** 15n)
    expect(c.markets[0]!.sources[0]).toMatchObject({ baseUrl: 'https://api.exchange.coinbase.com' })
  })
  it.each([
    [{ ...base, emitter: { chain: 0, address: base.emitter.address } }, 'emitter.chain'],
    [{ ...base, markets: [{ ...base.markets[0], sources: [{ type: 'chainlink', rpcUrl: 'http://x', feed: '0x12' }] }] }, 'markets.0.sources.0.feed'],
    [{ ...base, markets: [{ ...base.markets[0], sources: [{ type: 'bitstamp' }] }] }, 'markets.0.sources.0.type'],
    [{ ...base, guardianIndex: 3 }, 'guardianIndex'],
    [{ ...base, markets: [base.markets[0], base.markets[0]] }, 'markets.1.marketId'],
    [{ ...base, markets: [] }, 'markets'],
  ])('rejects a bad field and names it (%#)', (input, field) => {
    const e = (() => {
      try {
        parseConfig(input)
      } catch (x) {
        return x
      }
    })()
    expect(e).toBeInstanceOf(ConfigError)
    expect((e as ConfigError).field).toBe(field)
  })
})
