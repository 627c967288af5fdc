/**
 * Errors of the oracle node's I/O edges (sources, peers, chain transactions). Price-domain failures reuse core's shared
 * names (StalePrice, InsufficientSources, PriceDivergence...); these name transport problems,
 * which have no on-chain counterpart. Each carries the source or peer and the field that was wrong.
 */
export type SourceErrorKind = 'SourceTimeout' | 'SourceHttpError' | 'MalformedResponse' | 'SourceStale' | 'PeerRejected' | 'TransactionReverted'

export class OracleNodeError<K extends SourceErrorKind = SourceErrorKind> extends Error {
  override readonly name: K
  readonly shortMessage: string
  /** Source id or peer URL. */
  readonly origin: string
  /** The field (or HTTP status) that was wrong. */
  readonly field: string | undefined

  constructor(name: K, origin: string, shortMessage: string, opts: { field?: string; cause?: unknown } = {}) {
    super(`${origin}: ${shortMessage}${opts.field ? `\nField: ${opts.field}` : ''}`, opts.cause === undefined ? undefined : { cause: opts.cause })
    this.name = name
    this.origin = origin
    this.shortMessage = shortMessage
    this.field = opts.field
  }
}

/** The source did not answer within its timeout (after every retry). */
export class SourceTimeoutError extends OracleNodeError<'SourceTimeout'> {
  constructor(origin: string, ms: number) {
    super('SourceTimeout', origin, `no answer within ${ms} ms`)
  }
}
/** The source answered with a non-2xx status. */
export class SourceHttpError extends OracleNodeError<'SourceHttpError'> {
  constructor(origin: string, readonly status: number, body: string) {
    super('SourceHttpError', origin, `HTTP ${status}: ${body.slice(0, 120)}`, { field: `status ${status}` })
  }
}
/** The body is not the exchange's documented format (or reports an API error). */
export class MalformedResponseError extends OracleNodeError<'MalformedResponse'> {
  constructor(origin: string, field: string, detail: string) {
    super('MalformedResponse', origin, detail, { field })
  }
}
/** The source's own timestamp is too old: the source marks itself stale instead of reporting it. */
export class SourceStaleError extends OracleNodeError<'SourceStale'> {
  constructor(origin: string, publishTime: number, now: number, maxAge: number) {
    super('SourceStale', origin, `price from ${publishTime} is older than ${maxAge}s at ${now}`, { field: 'publishTime' })
  }
}
/** A peer refused to co-sign a proposal (its reason attached). */
export class PeerRejectedError extends OracleNodeError<'PeerRejected'> {
  constructor(origin: string, reason: string) {
    super('PeerRejected', origin, reason)
  }
}
/** A transaction passed simulation but reverted when mined (e.g. another keeper's landed first). */
export class TransactionRevertedError extends OracleNodeError<'TransactionReverted'> {
  constructor(origin: string, readonly txHash: string, what: string) {
    super('TransactionReverted', origin, `${what} transaction ${txHash} reverted`, { field: 'status' })
  }
}
