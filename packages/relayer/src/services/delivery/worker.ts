import { hexToBytes, InvalidParameterError, isBulwarkError, parseVaa, type ChainAdapter, type Hex, type PriceSnapshot } from '@bulwark/core'
import type { Logger } from 'pino'
import { NotFoundError } from '../../errors.js'
import type { Governor } from '../governor/governor.js'
import type { Metrics } from '../ops/metrics.js'
import type { VaaRecord } from '../quorum/attestor.js'
import { K, type Op, type Store } from '../store/store.js'
import { backoffDelay } from './backoff.js'
import { destinationOf, notionalOf, type AssetPrice } from './notional.js'

export type DeliveryStatus = 'pending' | 'governed' | 'delivered' | 'dead'
export type Delivery = {
  digest: Hex
  chain: number
  status: DeliveryStatus
  attempts: number
  /** ms epoch of the next attempt */
  nextAt: number
  /** The governor has decided on it (admitted or queued). */
  admitted: boolean
  createdAt: number
  lastError?: string
  txHash?: Hex
  deliveredBy?: 'self' | 'other'
}

export type DeliveryInit = {
  /** Submissions before a VAA is dead-lettered. @default 5 */
  maxAttempts?: number
  /** @default 500 */
  baseDelayMs?: number
  /** @default 30000 */
  maxDelayMs?: number
  /** Extra wait per rank: node (primary + k) mod n waits k * staggerMs, so one node usually submits. @default 2000 */
  staggerMs?: number
  /** @default 200 */
  pollMs?: number
  /** Assets the governor can price. */
  assets?: readonly AssetPrice[]
}

export type DeliveryComponents = {
  store: Store
  /** Destination adapters this node delivers to, by chain id. */
  adapters: ReadonlyMap<number, ChainAdapter>
  governor: Governor
  /** Oracle price for the governor (usually the destination adapter's readPrice). */
  readPrice: (marketId: number) => Promise<PriceSnapshot | null>
  /** This node's index in the current guardian set, -1 when an upgrade left it out (read at each enqueue: give a getter to follow upgrades). */
  index: number
  /** Size of the current guardian set (read at each enqueue). */
  guardianCount: number
  metrics: Metrics
  log: Logger
}

/**
 * Which turn this node takes for a VAA: the primary is `digest[31] mod n` of the CURRENT guardian set,
 * and node `(primary + k) mod n` waits `k` stagger periods. A node the current set no longer holds
 * (index -1, or an index outside the set) goes last, rank `n`: it still delivers if nobody else does.
 */
export function deliveryRank(digest: Hex, index: number, guardianCount: number): number {
  const n = guardianCount
  if (!Number.isInteger(n) || n < 1) throw new InvalidParameterError(`guardianCount must be a positive integer, got ${n}`, { field: 'guardianCount' })
  if (!Number.isInteger(index) || index < 0 || index >= n) return n
  const primary = hexToBytes(digest)[31]! % n
  return (index - primary + n) % n
}

/**
 * Submits VAAs to their destination chain. Before every submission it asks the chain whether the
 * VAA was already consumed (by another node, or by this node before a crash), so a restart never
 * delivers twice. Failures retry with exponential backoff and jitter; after `maxAttempts` the VAA
 * is dead-lettered, listable and retryable by an operator. Transfers the governor holds wait in
 * state `governed` until released.
 */
export class DeliveryWorker {
  readonly #c: DeliveryComponents
  readonly #i: Required<Omit<DeliveryInit, 'assets'>> & { assets: readonly AssetPrice[] }
  readonly #active = new Map<Hex, Delivery>()
  readonly #busy = new Set<Hex>()
  #timer: NodeJS.Timeout | undefined
  #running = false
  #tick: Promise<void> = Promise.resolve()

  constructor(init: DeliveryInit, components: DeliveryComponents) {
    this.#c = components
    this.#i = {
      maxAttempts: init.maxAttempts ?? 5,
      baseDelayMs: init.baseDelayMs ?? 500,
      maxDelayMs: init.maxDelayMs ?? 30_000,
      staggerMs: init.staggerMs ?? 2000,
      pollMs: init.pollMs ?? 200,
      assets: init.assets ?? [],
    }
  }

  async start(): Promise<void> {
    for (const [k] of await this.#c.store.list<number>(K.activePrefix)) {
      const d = await this.#c.store.get<Delivery>(K.delivery(k.slice(K.activePrefix.length) as Hex))
      if (d) this.#active.set(d.digest, d)
    }
    this.#c.metrics.deadLetters.set(await this.#c.store.count(K.deadPrefix))
    this.#running = true
    const loop = (): void => {
      if (!this.#running) return
      this.#tick = this.runDue()
        .catch((e) => this.#c.log.error({ err: e }, 'delivery tick failed'))
        .finally(() => {
          if (this.#running) this.#timer = setTimeout(loop, this.#i.pollMs)
        })
    }
    loop()
  }

  async stop(): Promise<void> {
    this.#running = false
    clearTimeout(this.#timer)
    await this.#tick
  }

  /** Registers a new VAA for delivery if this node delivers to its destination. */
  async enqueue(digest: Hex, vaa: Uint8Array): Promise<Delivery | null> {
    const chain = destinationOf(vaa)
    if (chain === null || !this.#c.adapters.has(chain)) return null
    if (this.#active.has(digest) || (await this.#c.store.get(K.delivery(digest))) !== undefined) return null
    const rank = deliveryRank(digest, this.#c.index, this.#c.guardianCount)
    const now = Date.now()
    const d: Delivery = { digest, chain, status: 'pending', attempts: 0, nextAt: now + rank * this.#i.staggerMs, admitted: false, createdAt: now }
    await this.#save(d)
    return d
  }

  /** One pass: governor releases, then every due delivery (chains in parallel, one at a time per chain). */
  async runDue(now = Date.now()): Promise<void> {
    for (const id of await this.#c.governor.release(Math.floor(now / 1000))) {
      const d = this.#active.get(id as Hex)
      if (d && d.status === 'governed') await this.#save({ ...d, status: 'pending', nextAt: now })
    }
    const byChain = new Map<number, Delivery[]>()
    for (const d of this.#active.values()) {
      if (d.status !== 'pending' || d.nextAt > now || this.#busy.has(d.digest)) continue
      byChain.set(d.chain, [...(byChain.get(d.chain) ?? []), d])
    }
    await Promise.all([...byChain.values()].map(async (list) => {
      for (const d of list) await this.#attempt(d)
    }))
  }

  async #attempt(d: Delivery): Promise<void> {
    this.#busy.add(d.digest)
    try {
      const rec = await this.#c.store.get<VaaRecord>(K.vaa(d.digest))
      if (rec === undefined) throw new NotFoundError(`VAA ${d.digest} is not stored`, { field: 'digest' })
      const vaa = hexToBytes(rec.vaa)
      if (!d.admitted && (await this.#govern(d, vaa))) return
      const adapter = this.#c.adapters.get(d.chain)!
      const chain = String(d.chain)
      if (await adapter.isVaaConsumed(vaa)) {
        this.#c.metrics.deliveries.inc({ chain, result: 'already_consumed' })
        return await this.#save({ ...d, admitted: true, status: 'delivered', deliveredBy: 'other' })
      }
      try {
        const res = await adapter.submitVaa(vaa)
        this.#c.metrics.deliveries.inc({ chain, result: 'submitted' })
        this.#c.log.info({ digest: d.digest, chain: d.chain, tx: res.txHash }, 'VAA delivered')
        await this.#save({ ...d, admitted: true, status: 'delivered', deliveredBy: 'self', txHash: res.txHash })
      } catch (e) {
        if (isBulwarkError(e, 'VaaAlreadyConsumed')) {
          this.#c.metrics.deliveries.inc({ chain, result: 'already_consumed' })
          return await this.#save({ ...d, admitted: true, status: 'delivered', deliveredBy: 'other' })
        }
        await this.#failed({ ...d, admitted: true }, e)
      }
    } catch (e) {
      await this.#failed(d, e)
    } finally {
      this.#busy.delete(d.digest)
    }
  }

  /** Runs the governor once per VAA; true when it holds the transfer. */
  async #govern(d: Delivery, vaa: Uint8Array): Promise<boolean> {
    const origin = parseVaa(vaa).emitterChain
    if (!this.#c.governor.governs(origin)) return false
    const notional = await notionalOf(vaa, this.#i.assets, this.#c.readPrice)
    if (notional === null) return false
    const charged = notional === 'unpriced' ? this.#c.governor.unpricedNotional(origin) : notional
    const result = await this.#c.governor.admit(d.digest, origin, charged, Math.floor(Date.now() / 1000))
    const next: Delivery = { ...d, admitted: true, status: result === 'queued' ? 'governed' : 'pending' }
    await this.#save(next)
    this.#c.metrics.governorQueued.set(this.#c.governor.queued().length)
    return result === 'queued'
  }

  async #failed(d: Delivery, e: unknown): Promise<void> {
    const attempts = d.attempts + 1
    const lastError = e instanceof Error ? `${e.name}: ${(e as { shortMessage?: string }).shortMessage ?? e.message}` : String(e)
    const dead = attempts >= this.#i.maxAttempts
    this.#c.metrics.deliveries.inc({ chain: String(d.chain), result: dead ? 'dead_letter' : 'retry' })
    this.#c.log.warn({ digest: d.digest, chain: d.chain, attempts, err: lastError }, dead ? 'delivery dead-lettered' : 'delivery failed; will retry')
    const nextAt = Date.now() + backoffDelay(attempts, this.#i.baseDelayMs, this.#i.maxDelayMs)
    await this.#save({ ...d, attempts, lastError, status: dead ? 'dead' : 'pending', nextAt })
  }

  async #save(d: Delivery): Promise<void> {
    const ops: Op[] = [{ type: 'put', key: K.delivery(d.digest), value: d }]
    const active = d.status === 'pending' || d.status === 'governed'
    ops.push(active ? { type: 'put', key: K.active(d.digest), value: d.nextAt } : { type: 'del', key: K.active(d.digest) })
    ops.push(d.status === 'dead' ? { type: 'put', key: K.dead(d.digest), value: d.createdAt } : { type: 'del', key: K.dead(d.digest) })
    await this.#c.store.commit(ops)
    if (active) this.#active.set(d.digest, d)
    else this.#active.delete(d.digest)
    if (d.status === 'dead' || ops.some((o) => o.type === 'del' && o.key === K.dead(d.digest))) {
      this.#c.metrics.deadLetters.set(await this.#c.store.count(K.deadPrefix))
    }
  }

  /** Moves a dead-lettered VAA back to pending with a fresh retry budget. */
  async retry(digest: Hex): Promise<Delivery> {
    const next = await retryDeadLetter(this.#c.store, digest)
    this.#active.set(next.digest, next)
    this.#c.metrics.deadLetters.set(await this.#c.store.count(K.deadPrefix))
    return next
  }

  get activeCount(): number {
    return this.#active.size
  }
}

/** Dead-lettered deliveries, read from a store (works with the node stopped). */
export async function listDeadLetters(store: Store): Promise<Delivery[]> {
  const out: Delivery[] = []
  for (const [k] of await store.list<number>(K.deadPrefix)) {
    const d = await store.get<Delivery>(K.delivery(k.slice(K.deadPrefix.length) as Hex))
    if (d) out.push(d)
  }
  return out
}

/** Moves a dead-lettered delivery back to pending with a fresh retry budget (works with the node stopped). */
export async function retryDeadLetter(store: Store, digest: Hex): Promise<Delivery> {
  const d = await store.get<Delivery>(K.delivery(digest))
  if (d === undefined || d.status !== 'dead') throw new NotFoundError(`no dead-lettered delivery ${digest}`, { field: 'digest' })
  const next: Delivery = { ...d, status: 'pending', attempts: 0, nextAt: Date.now() }
  await store.commit([
    { type: 'put', key: K.delivery(digest), value: next },
    { type: 'put', key: K.active(digest), value: next.nextAt },
    { type: 'del', key: K.dead(digest) },
  ])
  return next
}
