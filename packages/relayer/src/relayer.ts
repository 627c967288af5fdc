import './polyfill.js'
import { bytesToHex, hexToBytes, type ChainAdapter, type Hex } from '@bulwark/core'
import { multiaddr } from '@multiformats/multiaddr'
import { peerIdFromString } from '@libp2p/peer-id'
import { EventEmitter } from 'node:events'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Logger } from 'pino'
import type { RelayerConfig } from './config.js'
import { emittersOf } from './chains.js'
import { GuardianSets } from './crypto/guardian-sets.js'
import { Guardians } from './crypto/guardians.js'
import { InvalidConfigError } from './errors.js'
import { DeliveryWorker, listDeadLetters } from './services/delivery/worker.js'
import { Governor } from './services/governor/governor.js'
import { Gossip } from './services/network/gossip.js'
import { createP2PNode, type P2PNode } from './services/network/libp2p.js'
import { loadOrCreateNodeKey } from './services/network/node-key.js'
import { createMetrics, type Metrics } from './services/ops/metrics.js'
import { startOpsServer } from './services/ops/server.js'
import { Attestor, type VaaRecord } from './services/quorum/attestor.js'
import { answerReobservation } from './services/quorum/reobservation.js'
import type { GuardianSigner } from './services/signer/guardian-key.js'
import { K, Store } from './services/store/store.js'
import { Watcher } from './services/watcher/watcher.js'

export type RelayerOptions = {
  config: RelayerConfig
  guardianKey: GuardianSigner
  /** Adapters by chain id, built by the caller (bin/ builds EVM adapters from the config). */
  adapters: ReadonlyMap<number, ChainAdapter>
  logger: Logger
  /** Retransmit own observations still without a quorum after this long. @default 10000 */
  retransmitMs?: number
  /** Heartbeat interval on <network>/control. @default 10000 */
  heartbeatMs?: number
}

export type RelayerEvents = { vaa: [digest: Hex, vaa: Uint8Array, record: VaaRecord] }

/** A running relayer node: every service wired together. */
export type Relayer = {
  /** The libp2p node (for operators' tooling and tests). */
  node: P2PNode
  peerId: string
  index: number
  addresses: string[]
  opsPort: number
  metrics: Metrics
  events: EventEmitter<RelayerEvents>
  status: () => Promise<Record<string, unknown>>
  /** Follows a governance GuardianSetUpgrade VAA (also POST /governance {"vaa":"0x.."}). */
  applyUpgrade: (vaa: Uint8Array) => Promise<Record<string, unknown>>
  stop: () => Promise<void>
}

export async function startRelayer(opts: RelayerOptions): Promise<Relayer> {
  const { config, guardianKey: key, adapters } = opts
  const log = opts.logger.child({ node: config.nodeName })
  const configured = new Guardians(config.guardians.map((g) => g.address as Hex), config.guardianSetIndex)
  configured.indexOf(key.address) // UnknownGuardian unless this key is in the configured set
  await mkdir(config.dataDir, { recursive: true })
  const { key: nodeKey } = await loadOrCreateNodeKey(config.nodeKeyFile ?? join(config.dataDir, 'node.key'))
  const metrics = createMetrics()
  const events = new EventEmitter<RelayerEvents>()
  const store = new Store({ path: join(config.dataDir, 'db') })
  await store.open()
  const gov = config.governance
  const sets = new GuardianSets(configured, { chain: gov.chain, emitter: gov.emitter as Hex }, gov.guardianSetOverlapSeconds)
  /** Applied upgrade VAAs by the set index they created (sent again to peers that missed them). */
  const upgrades = new Map<number, Uint8Array>()
  for (const [, u] of await store.list<{ vaa: Hex; appliedAt: number }>(K.guardianSetPrefix)) {
    const applied = sets.upgrade(hexToBytes(u.vaa), u.appliedAt)
    upgrades.set(applied.current.setIndex, applied.vaa)
  }
  /** This node's index in the current set (-1 once an upgrade left it out). */
  let index = sets.indexOf(key.address)

  const deliverTo = new Map([...adapters].filter(([id]) => config.chains.find((c) => c.chainId === id)?.deliver ?? false))
  const priceChain = config.governor.priceChain ?? [...deliverTo.keys()][0]
  const priceAdapter = priceChain === undefined ? undefined : adapters.get(priceChain)
  const governor = new Governor(
    config.governor.limits.map((l) => ({ chain: l.chain, limit: l.limitUsd, largeTransfer: l.largeTransferUsd, delay: l.delaySeconds, window: l.windowSeconds })),
    store,
    log.child({ service: 'governor' }),
  )
  await governor.load()
  const delivery = new DeliveryWorker(
    { ...config.delivery, assets: config.governor.assets.map((a) => ({ ...a, asset: a.asset as Hex })) },
    {
      store,
      adapters: deliverTo,
      governor,
      readPrice: (m) => (priceAdapter ? priceAdapter.readPrice(m) : Promise.resolve(null)),
      // the delivery turn follows guardian-set upgrades (a removed node goes last)
      get index() {
        return index
      },
      get guardianCount() {
        return sets.current.size
      },
      metrics,
      log: log.child({ service: 'delivery' }),
    },
  )

  let gossip: Gossip | undefined
  const vaaReplies = new Map<Hex, number>()
  const lastSeen = new Map<number, { at: number; nodeName: string; signed: bigint; vaas: bigint }>()
  const attestor = new Attestor({
    store,
    get guardians() {
      return sets.current
    },
    key,
    get index() {
      return index
    },
    metrics,
    log: log.child({ service: 'attestor' }),
    publish: (o) => gossip?.publishObservation(o),
    onVaa: async (digest, vaa, record) => {
      await delivery.enqueue(digest, vaa)
      events.emit('vaa', digest, vaa, record)
    },
    onInvalidSignature: (guardianIndex) => gossip?.penalizeGuardian(guardianIndex, 'InvalidSignature'),
  })
  const unfinished = await attestor.load()

  /** address -> PeerId of every guardian this node knows (configured set and guardianPeers). */
  const directory = new Map([...config.guardianPeers, ...config.guardians].map((g) => [g.address.toLowerCase(), g.peerId]))
  /** The connection gater's allow-list: PeerIds of the current set and of earlier sets inside their overlap. */
  const allowed = new Set<string>()
  const refreshAllowed = (): string[] => {
    const next = new Set(sets.live().flatMap((g) => g.addresses.flatMap((a) => directory.get(a) ?? [])))
    const removed = [...allowed].filter((p) => !next.has(p))
    allowed.clear()
    for (const p of next) allowed.add(p)
    return removed
  }
  refreshAllowed()
  const emitters = new Set(config.chains.flatMap((c) => emittersOf(c).map((a) => `${c.chainId}/${a}`)))
  const node: P2PNode = await createP2PNode({
    privateKey: nodeKey,
    listen: config.p2p.listen,
    bootstrap: config.p2p.bootstrap,
    allowedPeers: allowed,
    topics: ['observations', 'signatures', 'control'].map((t) => `${config.network}/${t}`),
    appScore: (p) => gossip?.appScore(p) ?? 0,
  })
  if (!config.guardians.some((g) => g.peerId === node.peerId.toString())) {
    await node.stop()
    await store.close()
    throw new InvalidConfigError(`this node's PeerId ${node.peerId} is not in guardians[].peerId`, { field: 'guardians' })
  }

  /** Answers a peer's retransmission with the VAAs this node already holds (each at most once per 5 s). */
  const replyWithVaas = async (digests: Hex[]): Promise<void> => {
    const now = Date.now()
    const vaas: Uint8Array[] = []
    for (const digest of digests) {
      if (now - (vaaReplies.get(digest) ?? 0) < 5000) continue
      const rec = await store.get<VaaRecord>(K.vaa(digest))
      if (rec === undefined) continue
      vaaReplies.set(digest, now)
      if (vaaReplies.size > 10_000) vaaReplies.delete(vaaReplies.keys().next().value!)
      vaas.push(hexToBytes(rec.vaa))
    }
    if (vaas.length > 0) gossip!.publishVaas(vaas)
  }

  /**
   * A peer still heartbeating under an earlier set (it was offline when the upgrade was gossiped):
   * send it the next upgrade, signed under its set (if this node is a member of it and the set is
   * inside its overlap), at most every 30 s per set. It validates and applies it like any other.
   */
  const caughtUpAt = new Map<number, number>()
  const catchUp = (peerSet: number): void => {
    const next = upgrades.get(peerSet + 1)
    if (next === undefined || peerSet >= sets.current.setIndex || Date.now() - (caughtUpAt.get(peerSet) ?? 0) < 30_000) return
    let old: Guardians
    try {
      old = sets.get(peerSet)
    } catch {
      return
    }
    const indexInOld = old.addresses.indexOf(key.address.toLowerCase() as Hex)
    if (indexInOld < 0) return
    caughtUpAt.set(peerSet, Date.now())
    log.info({ peerSet, upgradeTo: peerSet + 1 }, 'a peer is on an earlier guardian set; sending it the upgrade')
    gossip!.publishGovernance(next, { setIndex: peerSet, index: indexInOld })
  }

  gossip = new Gossip(
    { network: config.network, nodeName: config.nodeName, batchMs: config.p2p.batchMs },
    {
      pubsub: node.services.pubsub,
      get guardians() {
        return sets.current
      },
      setFor: (i) => sets.get(i),
      key,
      get index() {
        return index
      },
      metrics,
      log: log.child({ service: 'gossip' }),
      hasVaa: (d) => attestor.hasVaa(d),
      audit: (sender, items) => attestor.audit(sender, items),
      knownEmitter: (chain, emitter) => emitters.has(`${chain}/${emitter}`),
      checkGovernance: (vaa) => sets.check(vaa),
      peerOfGuardian: (i) => {
        const address = sets.current.addresses[i]
        return address === undefined ? undefined : directory.get(address)
      },
      handlers: {
        onObservations: async (sender, items, retransmission) => {
          const already = await attestor.addPeerObservations(sender, items)
          if (retransmission && already.length > 0) await replyWithVaas(already)
        },
        onVaa: async (vaa, digest) => {
          await attestor.addPeerVaa(vaa, digest)
        },
        onReobservation: async (sender, req) => {
          metrics.reobservations.inc({ direction: 'received' })
          const answered = await answerReobservation(
            { store, ownObservation: (r) => attestor.ownObservation(r), publishObservations: (o) => gossip!.retransmit(o), publishVaas: (v) => gossip!.publishVaas(v) },
            req,
          )
          log.info({ sender, chain: req.chain, emitter: req.emitter, from: req.fromSeq, to: req.toSeq, answered }, 'reobservation request')
        },
        onHeartbeat: (sender, hb, peerSet) => {
          lastSeen.set(sender, { at: Date.now(), ...hb })
          catchUp(peerSet)
        },
        onGovernance: async (vaa) => {
          if (sets.check(vaa) === 'known') return // applied meanwhile (e.g. from the CLI)
          await applyUpgrade(vaa, 'gossip')
        },
      },
    },
  )

  const watchers = config.chains
    .filter((c) => c.watch && adapters.has(c.chainId))
    .map(
      (c) =>
        new Watcher(
          { pollMs: config.watcher.pollMs, maxRange: BigInt(config.watcher.maxRange), startHeight: BigInt(c.startHeight) },
          {
            adapter: adapters.get(c.chainId)!,
            store,
            metrics,
            log: log.child({ service: 'watcher', chain: c.chainId }),
            sign: (m) => attestor.observe(m),
            signMany: (ms) => attestor.observeMany(ms),
            requestReobservation: (chain, emitter, fromSeq, toSeq) => gossip!.requestReobservation({ chain, emitter, fromSeq, toSeq }),
          },
        ),
    )

  await node.start()
  gossip.start()
  if (unfinished.length > 0) gossip.retransmit(unfinished)
  const bootstrapAddrs = config.p2p.bootstrap.map((a) => multiaddr(a))
  const redial = setInterval(() => {
    const connected = new Set(node.getPeers().map((p) => p.toString()))
    metrics.peers.set(connected.size)
    for (const a of bootstrapAddrs) {
      const id = a.getComponents().find((c) => c.name === 'p2p')?.value
      if (id && !connected.has(id)) node.dial(a).catch(() => {})
    }
  }, 2000)
  const heartbeat = setInterval(() => {
    gossip!.heartbeat({ nodeName: config.nodeName, signed: BigInt(attestor.signedCount), vaas: BigInt(attestor.vaaCount) })
  }, opts.heartbeatMs ?? 10_000)
  const retransmitMs = opts.retransmitMs ?? 10_000
  const retransmit = setInterval(() => {
    const stale = attestor.stale(retransmitMs, 512)
    if (stale.length > 0) gossip!.retransmit(stale)
  }, retransmitMs)
  await delivery.start()
  for (const w of watchers) await w.start()

  /**
   * Re-reads the allow-list from the live guardian sets, hangs up on peers no longer in it, and
   * schedules itself for the next overlap expiry (when an earlier set's peers must be refused).
   */
  let expiryTimer: NodeJS.Timeout | undefined
  const applyAllowList = (): void => {
    clearTimeout(expiryTimer)
    for (const p of refreshAllowed()) {
      log.warn({ peer: p }, 'guardian peer left the allow-list; disconnecting')
      node.hangUp(peerIdFromString(p)).catch((e) => log.warn({ err: e, peer: p }, 'hang up failed'))
    }
    const next = sets.nextExpiry()
    if (next !== undefined) expiryTimer = setTimeout(applyAllowList, Math.min(2 ** 31 - 1, Math.max(0, next * 1000 - Date.now()) + 10))
  }
  applyAllowList()

  /**
   * Applies a governance GuardianSetUpgrade VAA (typed errors leave everything unchanged), durably,
   * and gossips it on <network>/control (signed under the set the node was in, which every peer
   * still knows) so the operators' other nodes apply it too.
   */
  const applyUpgrade = async (vaa: Uint8Array, source: 'operator' | 'gossip' = 'operator'): Promise<Record<string, unknown>> => {
    sets.check(vaa)
    if (source === 'operator') gossip!.publishGovernance(vaa)
    const previousIndex = index
    const applied = sets.upgrade(vaa)
    upgrades.set(applied.current.setIndex, vaa)
    index = sets.indexOf(key.address)
    applyAllowList()
    await store.commit([{ type: 'put', key: K.guardianSet(applied.current.setIndex), value: { vaa: bytesToHex(vaa), appliedAt: Math.floor(Date.now() / 1000) } }])
    const again = await attestor.rekey(previousIndex)
    if (again.length > 0) gossip!.retransmit(again)
    log.warn({ guardianSetIndex: applied.current.setIndex, guardianIndex: index, previousExpiresAt: applied.expiresAt, source }, 'guardian set upgraded')
    return { guardianSetIndex: applied.current.setIndex, guardianIndex: index, previousExpiresAt: applied.expiresAt }
  }

  const status = async (): Promise<Record<string, unknown>> => ({
    nodeName: config.nodeName,
    peerId: node.peerId.toString(),
    guardianIndex: index,
    guardianSets: sets.describe(),
    address: key.address,
    peers: node.getPeers().map((p) => p.toString()),
    /** gossipsub score and invalid messages this node attributed to each guardian peer */
    allowedPeers: [...allowed],
    peerScores: Object.fromEntries(
      [...allowed].filter((p) => p !== node.peerId.toString()).map((p) => [p, { score: (node.services.pubsub as unknown as { getScore(p: string): number }).getScore(p), penalties: gossip!.penalties.get(p) ?? 0 }]),
    ),
    cursors: Object.fromEntries(watchers.map((w) => [w.chainId, w.cursor.toString()])),
    pendingObservations: attestor.pendingCount,
    /** Last heartbeat per guardian index (every 10 s). */
    heartbeats: Object.fromEntries([...lastSeen].map(([i, h]) => [i, { ...h, ageMs: Date.now() - h.at, signed: h.signed.toString(), vaas: h.vaas.toString() }])),
    activeDeliveries: delivery.activeCount,
    deadLetters: await store.count(K.deadPrefix),
    governorQueued: governor.queued().map((q) => ({ ...q, notional: q.notional.toString() })),
  })
  let healthy = true
  const ops = await startOpsServer(config.ops.host, config.ops.port, {
    registry: metrics.registry,
    healthy: () => healthy && node.status === 'started',
    status,
    deadLetters: () => listDeadLetters(store),
    retry: (digest) => delivery.retry(digest as Hex),
    governance: (vaaHex) => applyUpgrade(hexToBytes(vaaHex), 'operator'),
  })
  log.info({ peerId: node.peerId.toString(), index, address: key.address, ops: ops.port, addrs: node.getMultiaddrs().map(String) }, 'relayer started')

  let stopping: Promise<void> | undefined
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      healthy = false
      clearInterval(redial)
      clearInterval(retransmit)
      clearInterval(heartbeat)
      clearTimeout(expiryTimer)
      for (const w of watchers) await w.stop()
      await delivery.stop()
      await gossip!.stop()
      await node.stop()
      await gossip!.idle()
      await attestor.idle()
      const closed = new Promise<void>((r) => ops.server.close(() => r()))
      ops.server.closeAllConnections()
      await closed
      await store.close()
      for (const a of adapters.values()) await a.close()
      log.info('relayer stopped')
    })())

  return {
    node,
    peerId: node.peerId.toString(),
    get index() {
      return index
    },
    applyUpgrade,
    addresses: node.getMultiaddrs().map(String),
    opsPort: ops.port,
    metrics,
    events,
    status,
    stop,
  }
}
