import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

/** Every metric the node exposes, declared once, on a registry of its own (never the global one). */
export function createMetrics(opts: { defaultMetrics?: boolean } = {}) {
  const registry = new Registry()
  if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'bulwark_relayer_' })
  const r = [registry]
  return {
    registry,
    observationsSigned: new Counter({ name: 'bulwark_relayer_observations_signed_total', help: 'Observations this node signed', registers: r }),
    peerObservations: new Counter({ name: 'bulwark_relayer_peer_observations_total', help: 'Verified observations received from peers', registers: r }),
    envelopes: new Counter({ name: 'bulwark_relayer_envelopes_total', help: 'Gossip envelopes by topic and validation result', labelNames: ['topic', 'result'] as const, registers: r }),
    rejected: new Counter({ name: 'bulwark_relayer_envelopes_rejected_total', help: 'Rejected envelopes by reason (error name)', labelNames: ['reason'] as const, registers: r }),
    penalties: new Counter({ name: 'bulwark_relayer_peer_penalties_total', help: 'Invalid messages attributed to a peer (the gossipsub score is lowered too)', labelNames: ['peer'] as const, registers: r }),
    conflicts: new Counter({
      name: 'bulwark_relayer_conflicting_observations_total',
      help: 'ALERT: a different body was seen for an (emitter, sequence) already signed',
      labelNames: ['source'] as const,
      registers: r,
    }),
    vaasAssembled: new Counter({ name: 'bulwark_relayer_vaas_assembled_total', help: 'VAAs this node assembled from a quorum', registers: r }),
    vaasReceived: new Counter({ name: 'bulwark_relayer_vaas_received_total', help: 'Quorum VAAs received from peers', registers: r }),
    latency: new Histogram({
      name: 'bulwark_relayer_observation_to_vaa_seconds',
      help: 'From signing an observation to holding its quorum VAA',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: r,
    }),
    deliveries: new Counter({ name: 'bulwark_relayer_deliveries_total', help: 'Delivery attempts by result', labelNames: ['chain', 'result'] as const, registers: r }),
    deadLetters: new Gauge({ name: 'bulwark_relayer_dead_letters', help: 'VAAs in the dead-letter queue', registers: r }),
    governorQueued: new Gauge({ name: 'bulwark_relayer_governor_queued', help: 'Transfers held by the governor', registers: r }),
    reorgs: new Counter({ name: 'bulwark_relayer_reorged_messages_total', help: 'Messages dropped because their block was reorged out', labelNames: ['chain'] as const, registers: r }),
    gaps: new Counter({ name: 'bulwark_relayer_sequence_gaps_total', help: 'Sequence gaps detected per emitter', labelNames: ['chain'] as const, registers: r }),
    reobservations: new Counter({ name: 'bulwark_relayer_reobservation_requests_total', help: 'Reobservation requests', labelNames: ['direction'] as const, registers: r }),
    watcherHeight: new Gauge({ name: 'bulwark_relayer_watcher_height', help: 'Last processed height per chain', labelNames: ['chain'] as const, registers: r }),
    peers: new Gauge({ name: 'bulwark_relayer_peers', help: 'Connected guardian peers', registers: r }),
  }
}

export type Metrics = ReturnType<typeof createMetrics>
