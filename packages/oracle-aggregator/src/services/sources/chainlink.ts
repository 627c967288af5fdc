import type { SourceReport } from '@bulwark/core'
import { BaseError as ViemError, ContractFunctionZeroDataError, parseAbi, type Address, type PublicClient } from 'viem'
import { MalformedResponseError, SourceStaleError, SourceTimeoutError } from '../../errors.js'
import { scaledToWad } from './decimal.js'
import { DEFAULT_RETRY, type PriceSource, type RetryPolicy } from './types.js'

/** The read side of Chainlink's AggregatorV3Interface. */
export const aggregatorV3Abi = parseAbi([
  'function decimals() view returns (uint8)',
  'function description() view returns (string)',
  'function latestRoundData() view returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)',
])

export type ChainlinkSourceInit = {
  marketId: number
  feed: Address
  /** A viem public client for the feed's chain (its transport's own retries are left to it). */
  client: PublicClient
  policy?: Partial<RetryPolicy>
  /** Label used in the id. @default the feed address */
  label?: string
}

const withTimeout = <T>(p: Promise<T>, ms: number, origin: string): Promise<T> =>
  new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new SourceTimeoutError(origin, ms)), ms)
    p.then((v) => (clearTimeout(t), resolve(v)), (e) => (clearTimeout(t), reject(e)))
  })

/** An address without an aggregator answers empty data: MalformedResponse naming the feed. */
function noAggregator(e: unknown, origin: string): MalformedResponseError | undefined {
  if (e instanceof ViemError && e.walk((x) => x instanceof ContractFunctionZeroDataError)) {
    return new MalformedResponseError(origin, 'feed', 'no AggregatorV3 contract at this address')
  }
  return undefined
}

/** A Chainlink AggregatorV3 feed read with viem; `updatedAt` is the publish time. */
export class ChainlinkSource implements PriceSource {
  readonly id: string
  readonly marketId: number
  readonly policy: RetryPolicy
  #decimals: number | undefined

  constructor(private readonly init: ChainlinkSourceInit) {
    this.id = `chainlink:${init.label ?? init.feed}`
    this.marketId = init.marketId
    this.policy = { ...DEFAULT_RETRY, ...init.policy }
  }

  async fetch(nowSeconds: number): Promise<SourceReport> {
    let last: unknown
    for (let attempt = 0; attempt <= this.policy.retries; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, this.policy.backoffMs * 2 ** (attempt - 1)))
      try {
        return await withTimeout(this.#read(nowSeconds), this.policy.timeoutMs, this.id)
      } catch (err) {
        const e = noAggregator(err, this.id) ?? err
        last = e
        if (e instanceof MalformedResponseError || e instanceof SourceStaleError) throw e
      }
    }
    throw last
  }

  async #read(now: number): Promise<SourceReport> {
    const { client, feed } = this.init
    this.#decimals ??= await client.readContract({ address: feed, abi: aggregatorV3Abi, functionName: 'decimals' })
    const [roundId, answer, , updatedAt, answeredInRound] = await client.readContract({ address: feed, abi: aggregatorV3Abi, functionName: 'latestRoundData' })
    if (answer <= 0n) throw new MalformedResponseError(this.id, 'answer', `answer ${answer} is not positive`)
    if (updatedAt === 0n) throw new MalformedResponseError(this.id, 'updatedAt', 'round not complete')
    const publishTime = Number(updatedAt)
    if (answeredInRound < roundId || publishTime + this.policy.maxAgeSeconds < now) throw new SourceStaleError(this.id, publishTime, now, this.policy.maxAgeSeconds)
    return { source: this.id, price: scaledToWad(answer, -this.#decimals), publishTime }
  }
}
