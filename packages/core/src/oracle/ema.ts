import { InvalidParameterError, InvalidPriceError } from '../errors/input.js'
import { PriceDivergenceError } from '../errors/oracle.js'
import { BPS, WAD } from '../math/constants.js'

/** ema' = (alpha * price + (WAD - alpha) * ema) / WAD, rounded down; the first update seeds it. */
export function emaUpdate(ema: bigint | undefined, price: bigint, alpha: bigint): bigint {
  if (price <= 0n) throw new InvalidPriceError('price must be positive', { field: 'price' })
  if (alpha <= 0n || alpha > WAD) throw new InvalidParameterError('alpha must be in (0, 1e18]', { field: 'alpha' })
  if (ema === undefined) return price
  return (alpha * price + (WAD - alpha) * ema) / WAD
}

/** Throws PriceDivergence when |spot - ema| * 10000 > maxDivergenceBps * ema. */
export function checkDivergence(spot: bigint, ema: bigint, maxDivergenceBps: bigint): void {
  if (spot <= 0n) throw new InvalidPriceError('spot must be positive', { field: 'spot' })
  if (ema <= 0n) throw new InvalidPriceError('ema must be positive', { field: 'ema' })
  const d = spot > ema ? spot - ema : ema - spot
  if (d * BPS > maxDivergenceBps * ema) {
    throw new PriceDivergenceError(`spot ${spot} diverges from EMA ${ema} by more than ${maxDivergenceBps} bps`, { field: 'spot' })
  }
}
