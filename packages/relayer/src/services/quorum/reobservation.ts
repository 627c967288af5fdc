import { hexToBytes, type Hex } from '@bulwark/core'
import type { ReobservationRequest, SignedObservation } from '../network/messages.js'
import { K, type Store } from '../store/store.js'
import type { SignedRecord, VaaRecord } from './attestor.js'

export type ReobservationComponents = {
  store: Store
  ownObservation: (record: SignedRecord) => SignedObservation | undefined
  publishObservations: (o: SignedObservation[]) => void
  publishVaas: (vaas: Uint8Array[]) => void
}

/**
 * Answers a peer's reobservation request from the store: for every sequence of the range this node
 * signed, it re-sends its own observation and, when it holds one, the VAA. Returns how many
 * sequences it could answer. Nothing is signed anew here (only the watcher signs).
 */
export async function answerReobservation(c: ReobservationComponents, req: ReobservationRequest): Promise<number> {
  const observations: SignedObservation[] = []
  const vaas: Uint8Array[] = []
  for (let s = req.fromSeq; s <= req.toSeq; s++) {
    const rec = await c.store.get<SignedRecord>(K.signed(req.chain, req.emitter, s))
    if (rec === undefined) continue
    const vaa = await c.store.get<VaaRecord>(K.vaa(rec.digest))
    if (vaa) vaas.push(hexToBytes(vaa.vaa))
    const own = c.ownObservation(rec)
    if (own) observations.push(own)
  }
  if (observations.length > 0) c.publishObservations(observations)
  if (vaas.length > 0) c.publishVaas(vaas)
  return observations.length
}
