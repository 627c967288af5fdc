import '../src/polyfill.js'
import { encodePayload, encodeVaaBody, toBytes32, type ObservedMessage } from '@bulwark/core'
import type { GossipSub, Message, TopicValidatorFn } from '@libp2p/gossipsub'
import { peerIdFromString } from '@libp2p/peer-id'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pino from 'pino'
import { Guardians } from '../src/crypto/guardians.js'
import { vaaDigest } from '../src/crypto/secp256k1.js'
import { Kind, encodeEnvelope } from '../src/services/network/envelope.js'
import { Gossip } from '../src/services/network/gossip.js'
import { MAX_BATCH, encodeObservations, type SignedObservation } from '../src/services/network/messages.js'
import { createMetrics } from '../src/services/ops/metrics.js'
import { Attestor } from '../src/services/quorum/attestor.js'
import { Store } from '../src/services/store/store.js'
import { testGuardianKey } from '../test/support/cluster.js'

/**
 * One node's per-VAA work without the network: sign its own observations (real LevelDB), then
 * validate 3 peers' batches (envelope check, decode) and assemble VAAs with the lazy signature
 * checks. CPU per VAA of what a node does besides libp2p. `node --cpu-prof` it for a profile
 * free of the scheduling noise of 4 processes on 2 cores. Env: PIPELINE_TOTAL (default 10000).
 */
const TOTAL = Number(process.env['PIPELINE_TOTAL'] ?? 10_000)
const keys = [0, 1, 2, 3].map(testGuardianKey)
const guardians = new Guardians(keys.map((k) => k.address))
const emitter = toBytes32('0x00000000000000000000000000000000000000c3')
const msg = (i: number): ObservedMessage => ({
  emitterChain: 10002, emitterAddress: emitter, sequence: BigInt(i), nonce: 0, consistencyLevel: 200, timestamp: 1,
  payload: encodePayload({ type: 'CollateralLocked', destinationChain: 10003, account: toBytes32('0x01'), asset: toBytes32('0x02'), amount: BigInt(i + 1), depositor: toBytes32('0x03') }),
  height: 0n, blockHash: '0x01', txHash: '0x02',
})

const dir = await mkdtemp(join(tmpdir(), 'bulwark-pipeline-'))
const store = new Store({ path: join(dir, 'db') })
await store.open()
const metrics = createMetrics({ defaultMetrics: false })
const log = pino({ level: 'silent' })
let vaas = 0
const own: SignedObservation[] = []
const attestor = new Attestor({ store, guardians, key: keys[0]!, index: 0, metrics, log, publish: (o) => own.push(o), onVaa: async () => { vaas++ } })
const validators = new Map<string, TopicValidatorFn>()
let listener: ((e: CustomEvent<Message>) => void) | undefined
const pubsub = { topicValidators: validators, subscribe: () => {}, addEventListener: (_: string, l: typeof listener) => { listener = l }, removeEventListener: () => {}, publish: async () => ({ recipients: [] }) } as unknown as GossipSub
const gossip = new Gossip({ network: 'net', nodeName: 'n0' }, {
  pubsub, guardians, key: keys[0]!, index: 0, metrics, log, hasVaa: (d) => attestor.hasVaa(d), knownEmitter: () => true,
  handlers: { onObservations: async (s, items) => { await attestor.addPeerObservations(s, items) }, onVaa: async () => {}, onReobservation: async () => {}, onHeartbeat: () => {} },
})
gossip.start()
const peer = peerIdFromString('12D3KooWHFrmLWTTDD4NodngtRMEVYgxrsDMp4F9Y6mXsNM7Vn1w')

// Peers' envelopes are prepared before the clock starts (their signing is their CPU, not this node's).
const msgs = Array.from({ length: TOTAL }, (_, i) => msg(i))
const envelopes: Uint8Array[] = []
for (const s of [1, 2, 3]) {
  for (let i = 0; i < TOTAL; i += MAX_BATCH) {
    const items = msgs.slice(i, i + MAX_BATCH).map((m) => {
      const body = encodeVaaBody(m)
      return { body, signature: keys[s]!.sign(vaaDigest(body)) }
    })
    envelopes.push(encodeEnvelope('net', { kind: Kind.observations, sender: s, guardianSetIndex: 0, timestamp: Date.now(), payload: encodeObservations(items) }, keys[s]!.secret))
  }
}

/** PIPELINE_PROFILE=<file>: a CPU profile of the measured part only (not the peers' signing above). */
const { Session } = await import('node:inspector/promises')
const session = process.env['PIPELINE_PROFILE'] ? new Session() : undefined
if (session) {
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.start')
}
const cpu0 = process.cpuUsage()
const t0 = performance.now()
for (let i = 0; i < TOTAL; i += MAX_BATCH) await attestor.observeMany(msgs.slice(i, i + MAX_BATCH))
const cpuSign = process.cpuUsage(cpu0)
for (const data of envelopes) {
  const m: Message = { type: 'unsigned', topic: 'net/observations', data }
  if ((await validators.get('net/observations')!(peer, m)) === 'accept') listener?.(new CustomEvent('message', { detail: m }))
  await gossip.idle()
}
const cpu = process.cpuUsage(cpu0)
if (session) {
  const { profile } = await session.post('Profiler.stop')
  const { writeFile } = await import('node:fs/promises')
  await writeFile(process.env['PIPELINE_PROFILE']!, JSON.stringify(profile))
}
const ms = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000
console.log(JSON.stringify({ total: TOTAL, vaas, wallMs: Math.round(performance.now() - t0), cpuUsPerVaa: Math.round((ms(cpu) * 1000) / TOTAL), ownSigningUsPerVaa: Math.round((ms(cpuSign) * 1000) / TOTAL) }))
await store.close()
await rm(dir, { recursive: true, force: true })
