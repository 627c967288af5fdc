import { VAA_BODY_FIXED_SIZE, VAA_HEADER_SIZE, VAA_SIGNATURE_SIZE, decodePayload, mulDivDown, parseVaa, type Hex, type PriceSnapshot } from '@bulwark/core'

export type AssetPrice = { chain: number; asset: Hex; marketId: number; decimals: number }

/**
 * USD notional (WAD) of a CollateralLocked VAA: amount * price / 10^decimals, rounded down, with
 * the price read from the oracle on the destination chain. null for other payloads (not governed)
 * and 'unpriced' when the asset has no configured market or the oracle has no price.
 */
export async function notionalOf(
  vaa: Uint8Array,
  assets: readonly AssetPrice[],
  readPrice: (marketId: number) => Promise<PriceSnapshot | null>,
): Promise<bigint | 'unpriced' | null> {
  const v = parseVaa(vaa)
  const p = decodePayload(v.payload)
  if (p.type !== 'CollateralLocked') return null
  const a = assets.find((x) => x.chain === v.emitterChain && x.asset.toLowerCase() === p.asset.toLowerCase())
  if (a === undefined) return 'unpriced'
  const price = await readPrice(a.marketId)
  if (price === null || price.price === 0n) return 'unpriced'
  return mulDivDown(p.amount, price.price, 10n ** BigInt(a.decimals))
}

/** The chain a VAA must be delivered to, from its payload (null when it names none). No hashing. */
export function destinationOf(vaa: Uint8Array): number | null {
  const p = decodePayload(vaa.subarray(VAA_HEADER_SIZE + (vaa[5] ?? 0) * VAA_SIGNATURE_SIZE + VAA_BODY_FIXED_SIZE))
  switch (p.type) {
    case 'CollateralLocked':
      return p.destinationChain
    case 'WithdrawalApproved':
      return p.originChain
    case 'CollateralReleased':
      return p.positionChain
    default:
      return null
  }
}
