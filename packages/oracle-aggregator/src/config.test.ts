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
    // RISK_PROFILE's volatility (30 min half-life, 0.06% a minute, max 5) per one-second round
    expect(c.markets[0]).toMatchObject({ halfLifeSeconds: 1800, halfLife: 1800, sigmaRefPerMinute: 6n * 10n ** 14n, sigmaRef: 77_459_666_924_148n, maxMultiplier: 5n * 10n ** 18n })
    expect(c.markets[0]!.sources[0]).toMatchObject({ baseUrl: 'https://api.exchange.coinbase.com' })
  })
  it('turns the time-based volatility settings into rounds, and takes explicit per-round values over them', () => {
    expect(parseConfig({ ...base, roundSeconds: 60 }).markets[0]).toMatchObject({ halfLife: 30, sigmaRef: 6n * 10n ** 14n })
    expect(parseConfig({ ...base, roundSeconds: 15, markets: [{ ...base.markets[0], halfLifeSeconds: 600 }] }).markets[0]).toMatchObject({ halfLife: 40, sigmaRef: 3n * 10n ** 14n })
    expect(parseConfig({ ...base, markets: [{ ...base.markets[0], halfLife: 7, sigmaRef: '1000' }] }).markets[0]).toMatchObject({ halfLife: 7, sigmaRef: 1000n })
  })
  it.each([
    [{ ...base, markets: [{ ...base.markets[0], maxMultiplier: '5' }] }, 'markets.0.maxMultiplier'],
    [{ ...base, markets: [{ ...base.markets[0], sigmaRefPerMinute: '1' }] }, 'markets.0.sigmaRefPerMinute'],
    [{ ...base, markets: [{ ...base.markets[0], sigmaRef: '0' }] }, 'markets.0.sigmaRef'],
    [{ ...base, markets: [{ ...base.markets[0], halfLifeSeconds: 0 }] }, 'markets.0.halfLifeSeconds'],
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
