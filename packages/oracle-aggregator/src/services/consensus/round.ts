import { bytesToHex, QuorumNotMetError } from '@bulwark/core'
import type { Logger } from 'pino'
import { requestSignatures } from './peer-client.js'
import { SignatureCollector, type OracleSet } from './signature-collector.js'
import type { SigningService } from './signing-service.js'

export type RoundComponents = { signing: SigningService; set: OracleSet; peers: readonly string[]; timeoutMs: number; logger: Logger }

/**
 * The leader's side of one round: sign the bodies, ask every peer at once, verify each returned
 * signature, and resolve with the assembled VAAs as soon as every body has a quorum. A peer that
 * refuses or sends a bad signature is logged and skipped; without a quorum: QuorumNotMet.
 */
export async function collectQuorum(bodies: readonly Uint8Array[], c: RoundComponents): Promise<Uint8Array[]> {
  const collectors = bodies.map((b) => new SignatureCollector(b, c.set))
  collectors.forEach((col, i) => col.add(c.signing.guardianIndex, c.signing.signOwn(bodies[i]!)))
  const done = () => collectors.every((col) => col.complete)
  if (!done()) {
    const hex = bodies.map((b) => bytesToHex(b))
    await new Promise<void>((resolve) => {
      let pending = c.peers.length
      if (pending === 0) return resolve()
      for (const peer of c.peers) {
        requestSignatures(peer, hex, c.timeoutMs)
          .then((r) => {
            collectors.forEach((col, i) => col.add(r.guardianIndex, r.signatures[i]!))
          })
          .catch((e: Error) => c.logger.warn({ peer, err: e.name, msg: e.message }, 'peer did not co-sign'))
          .finally(() => {
            pending--
            if (done() || pending === 0) resolve()
          })
      }
    })
  }
  const short = collectors.find((col) => !col.complete)
  if (short) throw new QuorumNotMetError(`${short.count} of ${short.need} oracle signatures`, { field: 'signatures' })
  return collectors.map((col) => col.assemble())
}
