/** Typed errors of the devnet. Each carries a short message, optional details and a cause. */
export class DevnetError extends Error {
  override name = 'DevnetError'
  readonly shortMessage: string
  readonly details: string | undefined
  constructor(shortMessage: string, opts: { details?: string; cause?: unknown } = {}) {
    super(opts.details ? `${shortMessage}\n${opts.details}` : shortMessage, { cause: opts.cause })
    this.shortMessage = shortMessage
    this.details = opts.details
  }
}

/** A bounded wait ran out of time. */
export class DevnetTimeoutError extends DevnetError {
  override name = 'DevnetTimeoutError'
}

/** A managed process exited while it was expected to run (or to become healthy). */
export class ProcessExitedError extends DevnetError {
  override name = 'ProcessExitedError'
}

/** A piece another package owns is missing; the devnet runs without it. */
export class NotAvailableError extends DevnetError {
  override name = 'NotAvailableError'
}

/** A scenario invariant failed. */
export class InvariantError extends DevnetError {
  override name = 'InvariantError'
}
