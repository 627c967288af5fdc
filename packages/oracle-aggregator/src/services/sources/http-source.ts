import type { SourceReport } from '@bulwark/core'
import { MalformedResponseError, OracleNodeError, SourceHttpError, SourceStaleError, SourceTimeoutError } from '../../errors.js'
import { DEFAULT_RETRY, type ParsedQuote, type PriceSource, type RetryPolicy } from './types.js'

/** Turns a JSON body into a quote or throws MalformedResponseError naming the field. */
export type QuoteParser = (body: unknown, origin: string) => ParsedQuote

export type HttpSourceInit = {
  id: string
  marketId: number
  url: string
  parse: QuoteParser
  policy?: Partial<RetryPolicy>
  /** Injected for tests and for a shared agent. @default globalThis.fetch */
  fetchImpl?: typeof fetch
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Whether another attempt may help: timeouts, network failures, 429 and 5xx. */
function retryable(e: unknown): boolean {
  if (e instanceof SourceHttpError) return e.status === 429 || e.status >= 500
  if (e instanceof OracleNodeError) return e.name === 'SourceTimeout'
  return true
}

/** A price source reading one public JSON endpoint, with timeout, retries and staleness. */
export class HttpPriceSource implements PriceSource {
  readonly id: string
  readonly marketId: number
  readonly policy: RetryPolicy
  readonly #init: HttpSourceInit

  constructor(init: HttpSourceInit) {
    this.id = init.id
    this.marketId = init.marketId
    this.policy = { ...DEFAULT_RETRY, ...init.policy }
    this.#init = init
  }

  async fetch(nowSeconds: number): Promise<SourceReport> {
    let last: unknown
    for (let attempt = 0; attempt <= this.policy.retries; attempt++) {
      if (attempt > 0) await sleep(this.policy.backoffMs * 2 ** (attempt - 1))
      try {
        const quote = await this.#once()
        const publishTime = quote.publishTime ?? nowSeconds
        if (publishTime + this.policy.maxAgeSeconds < nowSeconds) throw new SourceStaleError(this.id, publishTime, nowSeconds, this.policy.maxAgeSeconds)
        return { source: this.id, price: quote.price, publishTime }
      } catch (e) {
        last = e
        if (!retryable(e)) throw e
      }
    }
    throw last
  }

  async #once(): Promise<ParsedQuote> {
    const ctrl = new AbortController()
    const timer = setTimeout(() => ctrl.abort(), this.policy.timeoutMs)
    try {
      const res = await (this.#init.fetchImpl ?? fetch)(this.#init.url, { signal: ctrl.signal, headers: { accept: 'application/json' } })
      const text = await res.text()
      if (!res.ok) throw new SourceHttpError(this.id, res.status, text)
      let body: unknown
      try {
        body = JSON.parse(text)
      } catch {
        throw new MalformedResponseError(this.id, 'body', `not JSON: ${text.slice(0, 60)}`)
      }
      return this.#init.parse(body, this.id)
    } catch (e) {
      if (ctrl.signal.aborted) throw new SourceTimeoutError(this.id, this.policy.timeoutMs)
      throw e
    } finally {
      clearTimeout(timer)
    }
  }
}
