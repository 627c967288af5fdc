import {
  BPS,
  decodePayload,
  FuturePriceError,
  InvalidParameterError,
  PriceDivergenceError,
  StalePriceError,
  UnknownEmitterError,
  UnknownMarketError,
  type PriceEntry,
} from '@bulwark/core'
import { bytesToHex, bytesToUint, type Hex } from '@bulwark/core'
import type { OracleEmitter } from './report-builder.js'

export type ProposalPolicy = {
  /** A proposed price further than this from our own is refused. @default 100n (1%) */
  maxDeviationBps: bigint
  /** A proposed multiplier below ours by more than this is refused (a higher one is always safe). @default 1000n */
  maxMultiplierShortfallBps: bigint
  /** Proposals older than this are refused. @default 30 */
  maxAge: number
  /** Proposals newer than now + this are refused. @default 5 */
  maxFuture: number
}

export const DEFAULT_PROPOSAL_POLICY: ProposalPolicy = { maxDeviationBps: 100n, maxMultiplierShortfallBps: 1000n, maxAge: 30, maxFuture: 5 }

const far = (a: bigint, b: bigint, bps: bigint) => (a > b ? a - b : b - a) * BPS > bps * b

/**
 * A follower's check before co-signing a leader's report body: our emitter, fresh, every market
 * one we price, and every price within tolerance of our own view. Throws a typed core error.
 */
export function checkProposal(body: Uint8Array, emitter: OracleEmitter, own: (marketId: number) => PriceEntry | undefined, now: number, p: ProposalPolicy = DEFAULT_PROPOSAL_POLICY): void {
  if (body.length < 51) throw new InvalidParameterError('body shorter than a VAA body', { field: 'body' })
  const chain = Number(bytesToUint(body, 8, 2))
  const address = bytesToHex(body.subarray(10, 42)) as Hex
  if (chain !== emitter.chain || address.toLowerCase() !== emitter.address.toLowerCase()) throw new UnknownEmitterError(`emitter ${chain}:${address} is not the oracle emitter`, { field: 'emitter' })
  const payload = decodePayload(body.subarray(51))
  if (payload.type !== 'PriceReport') throw new InvalidParameterError(`payload is ${payload.type}`, { field: 'payload.type' })
  const t = Number(payload.publishTime)
  if (t + p.maxAge < now) throw new StalePriceError(`proposal from ${t} is older than ${p.maxAge}s`, { field: 'publishTime' })
  if (t > now + p.maxFuture) throw new FuturePriceError(`proposal from ${t} is in the future`, { field: 'publishTime' })
  payload.prices.forEach((e, i) => {
    const mine = own(e.marketId)
    if (!mine) throw new UnknownMarketError(`no own price for market ${e.marketId}`, { field: `prices[${i}].marketId` })
    if (far(e.price, mine.price, p.maxDeviationBps)) throw new PriceDivergenceError(`market ${e.marketId}: ${e.price} vs own ${mine.price}`, { field: `prices[${i}].price` })
    if (far(e.emaPrice, mine.emaPrice, p.maxDeviationBps)) throw new PriceDivergenceError(`market ${e.marketId}: ema ${e.emaPrice} vs own ${mine.emaPrice}`, { field: `prices[${i}].emaPrice` })
    if (e.volMultiplier * BPS < mine.volMultiplier * (BPS - p.maxMultiplierShortfallBps)) {
      throw new InvalidParameterError(`market ${e.marketId}: multiplier ${e.volMultiplier} below own ${mine.volMultiplier}`, { field: `prices[${i}].volMultiplier` })
    }
  })
}
