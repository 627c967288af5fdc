import { finalityOfConsistency, type ChainAdapter, type Hex, type ObservedMessage } from '@bulwark/core'
import type { Logger } from 'pino'
import { isRelayerError } from '../../errors.js'
import { K, type Op, type Store } from '../store/store.js'
import type { Metrics } from '../ops/metrics.js'

export type WatcherInit = {
  /** Poll interval. @default 500 */
  pollMs?: number
  /** First height to scan when there is no cursor yet. @default 0 */
  startHeight?: bigint
  /** Most blocks fetched by one getMessages call. @default 1000 */
  maxRange?: bigint
  /** Least time between two cursor writes (the cursor is also written on stop). @default 1000 */
  cursorPersistMs?: number
}

export type WatcherComponents = {
  adapter: ChainAdapter
  store: Store
  metrics: Metrics
  log: Logger
  /** Signs a final message (Attestor.observe). */
  sign: (msg: ObservedMessage) => Promise<unknown>
  /** Signs a chunk, one settled result per message (Attestor.observeMany). @default sign per message */
  signMany?: (msgs: ObservedMessage[]) => Promise<PromiseSettledResult<unknown>[]>
  /** Asks peers to re-send what they signed for [from, to] of an emitter. */
  requestReobservation: (chain: number, emitter: Hex, fromSeq: bigint, toSeq: bigint) => void
}

/** Messages signed concurrently per step. */
const SIGN_CHUNK = 512

type Heights = { latest: bigint; safe: bigint; finalized: bigint }

/**
 * Watches one chain through its ChainAdapter. Each tick: scan new blocks up to the latest head,
 * hold each message until its consistency level is reached, re-check that its block hash is still
 * canonical, then sign it. A message whose block changed is dropped and its height rescanned, so a
 * reorged-out message is never signed. The cursor (all heights <= cursor processed) is persisted
 * after the signatures it covers, so a restart resumes without losing or re-deciding anything.
 */
export class Watcher {
  readonly #c: WatcherComponents
  readonly #pollMs: number
  readonly #maxRange: bigint
  readonly #startHeight: bigint
  readonly #held = new Map<string, ObservedMessage>()
  readonly #nextSeq = new Map<string, bigint>()
  #scanned = -1n
  #cursor = -1n
  #persisted = -1n
  #persistedAt = 0
  readonly #cursorPersistMs: number
  #timer: NodeJS.Timeout | undefined
  #running = false
  #tick: Promise<void> = Promise.resolve()

  constructor(init: WatcherInit, components: WatcherComponents) {
    this.#c = components
    this.#pollMs = init.pollMs ?? 500
    this.#maxRange = init.maxRange ?? 1000n
    this.#startHeight = init.startHeight ?? 0n
    this.#cursorPersistMs = init.cursorPersistMs ?? 1000
  }

  get chainId(): number {
    return this.#c.adapter.chainId
  }

  get cursor(): bigint {
    return this.#cursor
  }

  async start(): Promise<void> {
    const saved = await this.#c.store.get<string>(K.cursor(this.chainId))
    this.#cursor = saved === undefined ? this.#startHeight - 1n : BigInt(saved)
    this.#persisted = this.#cursor
    this.#scanned = this.#cursor
    this.#running = true
    const loop = (): void => {
      if (!this.#running) return
      this.#tick = this.poll()
        .catch((e) => this.#c.log.warn({ err: e, chain: this.chainId }, 'watcher tick failed; retrying'))
        .finally(() => {
          if (this.#running) this.#timer = setTimeout(loop, this.#pollMs)
        })
    }
    loop()
  }

  async stop(): Promise<void> {
    this.#running = false
    clearTimeout(this.#timer)
    await this.#tick
    await this.#advanceCursor(true)
  }

  /** One scan/sign step (public for tests that drive time themselves). */
  async poll(): Promise<void> {
    const a = this.#c.adapter
    const latest = await a.getHeight('instant')
    const heights: Heights = { latest, safe: await a.getHeight('safe'), finalized: await a.getHeight('finalized') }
    while (this.#scanned < latest) {
      const from = this.#scanned + 1n
      const to = latest - from >= this.#maxRange ? from + this.#maxRange - 1n : latest
      for (const m of await a.getMessages(from, to)) this.#held.set(`${m.emitterAddress}/${m.sequence}/${m.blockHash}`, m)
      this.#scanned = to
    }
    const ready = [...this.#held.values()].filter((m) => isFinal(m, heights)).sort(byHeightThenSequence)
    const hashes = new Map<bigint, Hex | null>()
    const canonical: ObservedMessage[] = []
    for (const m of ready) {
      if (!hashes.has(m.height)) hashes.set(m.height, await a.getBlockHash(m.height))
      if (hashes.get(m.height) !== m.blockHash) {
        this.#reorged(m.height)
        break
      }
      canonical.push(m)
    }
    for (let i = 0; i < canonical.length; i += SIGN_CHUNK) await this.#signChunk(canonical.slice(i, i + SIGN_CHUNK))
    await this.#advanceCursor()
  }

  /** Drops held messages at or above a reorged height and rescans from there. */
  #reorged(height: bigint): void {
    for (const [k, m] of this.#held) {
      if (m.height >= height) {
        this.#held.delete(k)
        this.#c.metrics.reorgs.inc({ chain: String(this.chainId) })
        this.#c.log.warn({ chain: this.chainId, height: m.height, sequence: m.sequence, block: m.blockHash }, 'message block reorged out; not signing')
      }
    }
    if (this.#scanned >= height) this.#scanned = height - 1n
  }

  /**
   * Signs a chunk concurrently; the per-emitter sequence tracking (gap detection) is updated in
   * order and committed in the same tick, so it shares the signatures' synced batch. A message
   * whose signing failed stays held and is retried next tick (signing it again is idempotent; the
   * expected sequence already moved past it, so the retry raises no gap); a conflict is final.
   */
  async #signChunk(chunk: ObservedMessage[]): Promise<void> {
    const touched = new Map<string, ObservedMessage>()
    for (const m of chunk) {
      const emitterKey = `${m.emitterChain}/${m.emitterAddress}`
      let next = this.#nextSeq.get(emitterKey)
      if (next === undefined) {
        const saved = await this.#c.store.get<string>(K.nextSequence(m.emitterChain, m.emitterAddress))
        next = saved === undefined ? m.sequence : BigInt(saved)
      }
      if (m.sequence > next) {
        this.#c.metrics.gaps.inc({ chain: String(m.emitterChain) })
        this.#c.log.warn({ chain: m.emitterChain, emitter: m.emitterAddress, expected: next, got: m.sequence }, 'sequence gap; requesting reobservation')
        this.#c.requestReobservation(m.emitterChain, m.emitterAddress, next, m.sequence - 1n)
      }
      if (m.sequence + 1n > next) next = m.sequence + 1n
      this.#nextSeq.set(emitterKey, next)
      touched.set(emitterKey, m)
    }
    const ops: Op[] = [...touched].map(([k, m]) => ({ type: 'put', key: K.nextSequence(m.emitterChain, m.emitterAddress), value: String(this.#nextSeq.get(k)) }))
    const signing = this.#c.signMany ? this.#c.signMany(chunk) : Promise.allSettled(chunk.map((m) => this.#c.sign(m)))
    const [results] = await Promise.all([signing, this.#c.store.commit(ops)])
    let failure: unknown
    for (const [i, r] of results.entries()) {
      const m = chunk[i]!
      if (r.status === 'rejected' && !isRelayerError(r.reason, 'ConflictingObservation')) {
        failure ??= r.reason
        continue
      }
      this.#held.delete(`${m.emitterAddress}/${m.sequence}/${m.blockHash}`)
    }
    if (failure !== undefined) throw failure
  }

  /**
   * Moves the cursor to just below the lowest held message. It is persisted at most every
   * `cursorPersistMs` (and on stop): a cursor that lags only makes a restart rescan blocks whose
   * messages are already signed, which is idempotent; it never skips one.
   */
  async #advanceCursor(force = false): Promise<void> {
    let lowestHeld = this.#scanned + 1n
    for (const m of this.#held.values()) if (m.height < lowestHeld) lowestHeld = m.height
    const cursor = lowestHeld - 1n
    if (cursor < this.#cursor && !force) return
    this.#cursor = cursor
    this.#c.metrics.watcherHeight.set({ chain: String(this.chainId) }, Number(cursor))
    if (cursor === this.#persisted || (!force && Date.now() - this.#persistedAt < this.#cursorPersistMs)) return
    await this.#c.store.commit([{ type: 'put', key: K.cursor(this.chainId), value: String(cursor) }])
    this.#persisted = cursor
    this.#persistedAt = Date.now()
  }
}

function isFinal(m: ObservedMessage, h: Heights): boolean {
  const f = finalityOfConsistency(m.consistencyLevel)
  if (f === 'instant') return m.height <= h.latest
  if (f === 'safe') return m.height <= h.safe
  if (f === 'finalized') return m.height <= h.finalized
  return h.latest - m.height + 1n >= BigInt(f.confirmations)
}

const byHeightThenSequence = (a: ObservedMessage, b: ObservedMessage): number =>
  a.height !== b.height ? (a.height < b.height ? -1 : 1) : a.sequence < b.sequence ? -1 : a.sequence > b.sequence ? 1 : 0
