import { ERROR_NAMES, type ErrorName } from './names.js'

export type BaseErrorParameters = {
  /** Which input field was wrong, e.g. `amount` or `reports[3].publishTime`. */
  field?: string | undefined
  /** Longer explanation appended to the message. */
  details?: string | undefined
  /** The underlying error, when this one wraps another. */
  cause?: unknown
}

/**
 * An error with a short message, the input field that was wrong and details, laid out as
 * `shortMessage\nField: ...\nDetails: ...`. {@link BaseError} (the protocol's shared names) and the
 * packages' own errors that have no on-chain counterpart (a node's config, a transaction pool)
 * extend it, so every Bulwark error reads the same way.
 */
export abstract class DetailedError<N extends string = string> extends Error {
  abstract override readonly name: N
  readonly shortMessage: string
  readonly field: string | undefined
  readonly details: string | undefined

  constructor(shortMessage: string, params: BaseErrorParameters = {}) {
    const parts = [shortMessage]
    if (params.field) parts.push(`Field: ${params.field}`)
    if (params.details) parts.push(`Details: ${params.details}`)
    super(parts.join('\n'), params.cause === undefined ? undefined : { cause: params.cause })
    this.shortMessage = shortMessage
    this.field = params.field
    this.details = params.details
  }
}

/**
 * Root of every error Bulwark throws. `name` is a literal shared with the Solidity contracts
 * (custom error names) and the Solana program (custom error codes, see {@link errorCode}).
 */
export abstract class BaseError<N extends ErrorName = ErrorName> extends DetailedError<N> {

  /** The Solana custom error code of this error (1-based index in the shared name table). */
  get code(): number {
    return errorCode(this.name)
  }
}

/** Solana program custom error code for a shared error name. */
export function errorCode(name: ErrorName): number {
  return ERROR_NAMES.indexOf(name) + 1
}

/** Builds the class for one shared error name; used by the per-domain files. */
export function defineError<N extends ErrorName>(errorName: N) {
  return class extends BaseError<N> {
    override readonly name: N = errorName
  }
}

/** True when `e` is a Bulwark error, optionally of the given name. */
export function isBulwarkError(e: unknown, name?: ErrorName): e is BaseError {
  return e instanceof BaseError && (name === undefined || e.name === name)
}
