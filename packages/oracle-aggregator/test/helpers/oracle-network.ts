import { addressOfPrivateKey, type ChainAdapter, type Hex } from '@bulwark/core'
import { testGuardianKeys } from '@bulwark/core/testing'
import pino from 'pino'
import { parseConfig } from '../../src/config.js'
import type { LiquidationKeeper } from '../../src/services/keeper/keeper.js'
import { OracleNode, type RoundResult } from '../../src/services/node/oracle-node.js'
import { ExchangeServer } from './exchange-server.js'

const VENUES = ['coinbase', 'kraken', 'binance', 'okx'] as const

/** One market priced by its own local venue server (Coinbase, Kraken, Binance, OKX formats). */
export type NetworkMarket = { marketId: number; name: string; price: string }

/**
 * `n` oracle nodes (quorum floor(2n/3)+1) co-signing over HTTP, each market priced by 4 venues on
 * its own local exchange server; every node publishes to `chains(i)`. Rounds are driven by the test.
 */
export class OracleNetwork {
  readonly keys = testGuardianKeys(4, 'oracle-aggregator-network').map((k) => k.privateKey)
  readonly signers: Hex[] = this.keys.map(addressOfPrivateKey)
  readonly exchanges = new Map<number, ExchangeServer>()
  readonly nodes: OracleNode[] = []

  constructor(readonly emitter: { chain: number; address: Hex }, readonly markets: NetworkMarket[]) {}

  async start(chains: (i: number) => ChainAdapter[], keeperOf: (i: number) => LiquidationKeeper | undefined = () => undefined): Promise<void> {
    const urls = new Map<number, string>()
    for (const m of this.markets) {
      const x = new ExchangeServer(m.price)
      this.exchanges.set(m.marketId, x)
      urls.set(m.marketId, await x.start())
    }
    const logger = pino({ level: 'silent' })
    for (let i = 0; i < this.keys.length; i++) {
      const config = parseConfig({
        guardianIndex: i,
        oracleSet: { keys: this.signers },
        emitter: this.emitter,
        ops: { port: 0 },
        publish: { deviationBps: 10, multiplierDeviationBps: 500, heartbeatSeconds: 3600 },
        markets: this.markets.map((m) => ({
          marketId: m.marketId,
          name: m.name,
          minSources: 3,
          sigmaRef: String(10n ** 17n), // 10% per round: the multiplier stays 1 in these tests
          sources: [
            // each market has its own server; it answers with the symbols these requests name
            { type: 'coinbase', baseUrl: urls.get(m.marketId)!, product: 'BTC-USD' },
            { type: 'kraken', baseUrl: urls.get(m.marketId)!, pair: 'XBTUSD' },
            { type: 'binance', baseUrl: urls.get(m.marketId)!, symbol: 'BTCUSDT' },
            { type: 'okx', baseUrl: urls.get(m.marketId)!, instId: 'BTC-USDT' },
          ],
        })),
      })
      const keeper = keeperOf(i)
      this.nodes.push(new OracleNode(config, { logger, privateKey: this.keys[i]!, chains: chains(i), autoRounds: false, ...(keeper ? { keeper } : {}) }))
    }
    for (const n of this.nodes) await n.start()
    for (const n of this.nodes) n.config.peers.push(...this.nodes.filter((m) => m !== n).map((m) => m.peerUrl))
  }

  /** Sets a market's price on every venue, stamped now. */
  setPrice(marketId: number, price: string): void {
    const x = this.exchanges.get(marketId)!
    for (const v of VENUES) x.set(v, { price, time: Math.floor(Date.now() / 1000) })
  }

  /** One round at `now`: followers first (they co-sign), then the round's leader signs and publishes. */
  async round(now: number): Promise<RoundResult> {
    const leader = this.nodes[now % this.nodes.length]!
    await Promise.all(this.nodes.filter((n) => n !== leader).map((n) => n.runRound(now)))
    return leader.runRound(now)
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.stop()))
    for (const x of this.exchanges.values()) await x.stop()
  }
}
