import { defineError } from './base.js'

/** The VAA's version byte is not 1. */
export class InvalidVaaVersionError extends defineError('InvalidVaaVersion') {}
/** The VAA bytes end before its header, signatures or body do. */
export class TruncatedVaaError extends defineError('TruncatedVaa') {}
/** The guardian set index is not known to the verifier. */
export class GuardianSetUnknownError extends defineError('GuardianSetUnknown') {}
/** The guardian set was replaced and its overlap window has passed. */
export class GuardianSetExpiredError extends defineError('GuardianSetExpired') {}
/** Fewer than floor(2n/3)+1 signatures. */
export class QuorumNotMetError extends defineError('QuorumNotMet') {}
/** Signature guardian indices are not strictly ascending (duplicates included). */
export class SignaturesNotAscendingError extends defineError('SignaturesNotAscending') {}
/** A signature names a guardian index outside the set. */
export class GuardianIndexOutOfRangeError extends defineError('GuardianIndexOutOfRange') {}
/** A signature does not recover to the guardian it names. */
export class InvalidSignatureError extends defineError('InvalidSignature') {}
/** This VAA was already consumed. */
export class VaaAlreadyConsumedError extends defineError('VaaAlreadyConsumed') {}
/** The emitter (chain, address) is not registered. */
export class UnknownEmitterError extends defineError('UnknownEmitter') {}
/** The payload targets another chain. */
export class WrongDestinationChainError extends defineError('WrongDestinationChain') {}
/** A governance message is malformed or out of order (e.g. a guardian set index that is not current+1). */
export class InvalidGovernanceError extends defineError('InvalidGovernance') {}
