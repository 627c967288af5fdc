import type { Hex } from '@bulwark/core'

/**
 * Key layout of the node's LevelDB (one database per node, utf8 keys, JSON values). Numbers are
 * zero-padded so lexicographic order is numeric order.
 */
const pad = (n: number | bigint, width: number): string => n.toString().padStart(width, '0')

export const K = {
  /**
   * What this node signed for (chain, emitter, sequence): the conflict guard, and its own
   * observation ({ digest, signedAt, observation: hex(signature 65 || body) }). The highest signed
   * sequence per emitter is the last key under signedPrefix.
   */
  signed: (chain: number, emitter: Hex, seq: bigint) => `m/${pad(chain, 5)}/${emitter}/${pad(seq, 20)}`,
  signedPrefix: (chain: number, emitter: Hex) => `m/${pad(chain, 5)}/${emitter}/`,
  /**
   * Own observations still waiting for a quorum (rebroadcast after a restart); the value is the
   * `signed` key that holds the observation. Peers' signatures are not stored: after a restart
   * they arrive again (peers retransmit what lacks a quorum; a flagged retransmission of this
   * node's own observation is answered with the VAA by peers that hold it).
   */
  unfinished: (digest: Hex) => `u/${digest}`,
  unfinishedPrefix: 'u/',
  /** Assembled VAAs. */
  vaa: (digest: Hex) => `v/${digest}`,
  /** Delivery state of a VAA, plus indices of active and dead-lettered ones. */
  delivery: (digest: Hex) => `d/${digest}`,
  active: (digest: Hex) => `da/${digest}`,
  activePrefix: 'da/',
  dead: (digest: Hex) => `dd/${digest}`,
  deadPrefix: 'dd/',
  /** Watcher cursor: every message at or below this height is processed. */
  cursor: (chain: number) => `c/${pad(chain, 5)}`,
  /** Next sequence expected from an emitter (gap detection). */
  nextSequence: (chain: number, emitter: Hex) => `e/${pad(chain, 5)}/${emitter}`,
  /** Governor decision log, in order. */
  governor: (n: number) => `g/${pad(n, 12)}`,
  governorPrefix: 'g/',
  /** Applied guardian set upgrades: { vaa, appliedAt } by new set index (replayed on start). */
  guardianSet: (index: number) => `gs/${pad(index, 10)}`,
  guardianSetPrefix: 'gs/',
  /** The node's counters that must survive restarts. */
  meta: (name: string) => `x/${name}`,
} as const

/** The end key of a prefix range (prefix + highest utf8 char). */
export const prefixEnd = (prefix: string): string => `${prefix}\uffff`
