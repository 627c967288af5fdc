/**
 * Errors specific to the relayer node. Protocol-level failures (bad VAA signatures, unknown
 * emitters, consumed VAAs) reuse @bulwark/core's shared errors; these cover what only a node has:
 * its configuration, its wire envelope, its keys and its store.
 */
import { DetailedError, type BaseErrorParameters } from '@bulwark/core'

export type RelayerErrorName =
  | 'InvalidConfig'
  | 'MalformedEnvelope'
  | 'UnknownGuardian'
  | 'ConflictingObservation'
  | 'KeystoreDecryptFailed'
  | 'NotFound'

export type RelayerErrorParameters = BaseErrorParameters

/** A relayer node's own error: core's message layout (shortMessage, field, details), a relayer name. */
export abstract class RelayerError<N extends RelayerErrorName = RelayerErrorName> extends DetailedError<N> {}

function defineRelayerError<N extends RelayerErrorName>(errorName: N) {
  return class extends RelayerError<N> {
    override readonly name: N = errorName
  }
}

/** The configuration file (or an option) is invalid; `field` is its path, e.g. `chains[1].rpcUrl`. */
export class InvalidConfigError extends defineRelayerError('InvalidConfig') {}
/** Gossip bytes that do not decode as a version-1 envelope of the topic they arrived on. */
export class MalformedEnvelopeError extends defineRelayerError('MalformedEnvelope') {}
/** A guardian index or address that is not in the configured guardian set. */
export class UnknownGuardianError extends defineRelayerError('UnknownGuardian') {}
/** A second, different body for an (emitter, sequence) this node already signed. */
export class ConflictingObservationError extends defineRelayerError('ConflictingObservation') {}
/** The keystore password is wrong or the file was altered. */
export class KeystoreDecryptFailedError extends defineRelayerError('KeystoreDecryptFailed') {}
/** A record (e.g. a dead-lettered delivery) does not exist. */
export class NotFoundError extends defineRelayerError('NotFound') {}

export const isRelayerError = (e: unknown, name?: RelayerErrorName): e is RelayerError =>
  e instanceof RelayerError && (name === undefined || e.name === name)
