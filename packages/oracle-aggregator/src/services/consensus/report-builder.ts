import { encodePayload, encodeVaaBody, InvalidParameterError, type Hex, type PriceEntry, type VaaBody } from '@bulwark/core'

/**
 * Markets per PriceReport. The spec allows a count of 1..15, but 15 entries make 11 + 68*15 = 1031
 * bytes, above the 1,024-byte payload limit (PayloadTooLarge): 14 (963 bytes) is the most that
 * any decoder accepts. Reported to the spec owner.
 */
export const MAX_MARKETS_PER_REPORT = 14
/** Reports per publish time: sequence = publishTime * 16 + chunk keeps sequences unique per emitter. */
export const MAX_CHUNKS = 16
/** Oracle reports are signed as soon as they are computed. */
export const ORACLE_CONSISTENCY = 200

export type OracleEmitter = { chain: number; address: Hex }

/**
 * PriceReport VAA bodies for `entries` at `publishTime`: sorted by marketId, 15 per report, each
 * emitted by the oracle emitter with a deterministic sequence, so every honest node builds the
 * same bytes from the same entries.
 */
export function buildReportBodies(entries: readonly PriceEntry[], publishTime: number, emitter: OracleEmitter): Uint8Array[] {
  if (entries.length === 0) return []
  const sorted = [...entries].sort((a, b) => a.marketId - b.marketId)
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.marketId === sorted[i - 1]!.marketId) throw new InvalidParameterError(`market ${sorted[i]!.marketId} appears twice`, { field: `entries[${i}].marketId` })
  }
  const chunks = Math.ceil(sorted.length / MAX_MARKETS_PER_REPORT)
  if (chunks > MAX_CHUNKS) throw new InvalidParameterError(`${sorted.length} markets need more than ${MAX_CHUNKS} reports`, { field: 'entries' })
  const bodies: Uint8Array[] = []
  for (let c = 0; c < chunks; c++) {
    const prices = sorted.slice(c * MAX_MARKETS_PER_REPORT, (c + 1) * MAX_MARKETS_PER_REPORT)
    const payload = encodePayload({ type: 'PriceReport', publishTime: BigInt(publishTime), prices })
    const body: VaaBody = {
      timestamp: publishTime,
      nonce: 0,
      emitterChain: emitter.chain,
      emitterAddress: emitter.address,
      sequence: BigInt(publishTime) * BigInt(MAX_CHUNKS) + BigInt(c),
      consistencyLevel: ORACLE_CONSISTENCY,
      payload,
    }
    bodies.push(encodeVaaBody(body))
  }
  return bodies
}
