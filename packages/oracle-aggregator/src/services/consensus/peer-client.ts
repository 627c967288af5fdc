import { hexToBytes } from '@bulwark/core'
import { PeerRejectedError } from '../../errors.js'
import { SIGN_PATH, type SignRefusal, type SignResponse } from './peer-protocol.js'

/** Asks one peer to co-sign `bodies` (hex); PeerRejected on refusal, timeout or a malformed answer. */
export async function requestSignatures(peerUrl: string, bodies: string[], timeoutMs: number): Promise<{ guardianIndex: number; signatures: Uint8Array[] }> {
  const ctrl = new AbortController()
  const timer = setTimeout(() => ctrl.abort(), timeoutMs)
  try {
    const res = await fetch(`${peerUrl}${SIGN_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ bodies }), signal: ctrl.signal })
    const json = (await res.json().catch(() => null)) as (SignResponse & SignRefusal) | null
    if (!res.ok) throw new PeerRejectedError(peerUrl, json ? `${json.error}${json.field ? ` (${json.field})` : ''}: ${json.message}` : `HTTP ${res.status}`)
    if (!json || !Number.isInteger(json.guardianIndex) || !Array.isArray(json.signatures) || json.signatures.length !== bodies.length) {
      throw new PeerRejectedError(peerUrl, 'malformed sign response')
    }
    return { guardianIndex: json.guardianIndex, signatures: json.signatures.map((s, i) => hexToBytes(s, `signatures[${i}]`)) }
  } catch (e) {
    if (ctrl.signal.aborted) throw new PeerRejectedError(peerUrl, `no answer within ${timeoutMs} ms`)
    if (e instanceof PeerRejectedError) throw e
    throw new PeerRejectedError(peerUrl, (e as Error).message)
  } finally {
    clearTimeout(timer)
  }
}
