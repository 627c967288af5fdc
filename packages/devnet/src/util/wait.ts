import { DevnetTimeoutError } from '../errors.js'

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

export type WaitOptions = {
  /** What is awaited, for the timeout message. */
  what: string
  timeoutMs: number
  /** @default 100 */
  intervalMs?: number
  /** Aborts the wait early (e.g. the process being awaited exited). */
  signal?: AbortSignal
}

/**
 * Polls `check` until it returns a value other than undefined/false, at most `timeoutMs`.
 * A check that throws counts as "not yet"; its last error is reported on timeout.
 */
export async function waitFor<T>(check: () => Promise<T | undefined | false>, o: WaitOptions): Promise<T> {
  const deadline = Date.now() + o.timeoutMs
  let last: unknown
  for (let attempt = 0; ; attempt++) {
    o.signal?.throwIfAborted()
    try {
      const v = await check()
      if (v !== undefined && v !== false) return v
    } catch (e) {
      last = e
    }
    if (Date.now() >= deadline) {
      const why = last instanceof Error ? last.message : last === undefined ? undefined : String(last)
      throw new DevnetTimeoutError(`timed out after ${o.timeoutMs} ms waiting for ${o.what}`, { details: why, cause: last })
    }
    await sleep(Math.min(o.intervalMs ?? 100, Math.max(1, deadline - Date.now())))
  }
}

/** GET `url` with a short timeout; true on a 2xx answer. */
export async function httpOk(url: string, timeoutMs = 1000): Promise<boolean> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) })
  await res.arrayBuffer()
  return res.ok
}

/** One JSON-RPC call over HTTP (anvil, Solana RPC); throws on an error answer. */
export async function jsonRpc<T>(url: string, method: string, params: unknown[] = [], timeoutMs = 2000): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    signal: AbortSignal.timeout(timeoutMs),
  })
  const body = (await res.json()) as { result?: T; error?: { message: string } }
  if (body.error) throw new Error(`${method}: ${body.error.message}`)
  return body.result as T
}
