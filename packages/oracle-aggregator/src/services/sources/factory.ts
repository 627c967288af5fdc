import { createPublicClient, http, type PublicClient } from 'viem'
import type { SourceConfig } from '../../config.js'
import { binanceSource } from './binance.js'
import { ChainlinkSource } from './chainlink.js'
import { coinbaseSource } from './coinbase.js'
import { krakenSource } from './kraken.js'
import { okxSource } from './okx.js'
import { pythSource } from './pyth.js'
import type { PriceSource } from './types.js'

/** Builds a price source from its config entry (RPC clients are shared per URL). */
export function makeSource(marketId: number, s: SourceConfig, clients: Map<string, PublicClient> = new Map()): PriceSource {
  const policy = s.policy ?? {}
  switch (s.type) {
    case 'coinbase':
      return coinbaseSource({ marketId, baseUrl: s.baseUrl, product: s.product, policy })
    case 'kraken':
      return krakenSource({ marketId, baseUrl: s.baseUrl, pair: s.pair, policy })
    case 'binance':
      return binanceSource({ marketId, baseUrl: s.baseUrl, symbol: s.symbol, policy })
    case 'okx':
      return okxSource({ marketId, baseUrl: s.baseUrl, instId: s.instId, policy })
    case 'pyth':
      return pythSource({ marketId, baseUrl: s.baseUrl, feedId: s.feedId, policy })
    case 'chainlink': {
      let client = clients.get(s.rpcUrl)
      if (!client) {
        client = createPublicClient({ transport: http(s.rpcUrl, { retryCount: 0 }) }) as PublicClient
        clients.set(s.rpcUrl, client)
      }
      return new ChainlinkSource({ marketId, feed: s.feed as `0x${string}`, client, policy, ...(s.label ? { label: s.label } : {}) })
    }
  }
}
