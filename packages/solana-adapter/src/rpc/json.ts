/** JSON-RPC 2.0 plumbing: errors with the codes Solana's RPC uses, and a bigint-safe serializer. */

/** Error codes of JSON-RPC 2.0 and of the Solana RPC server. */
export const RPC_CODE = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internal: -32603,
  sendTransactionPreflightFailure: -32002,
  transactionSignatureVerificationFailure: -32003,
  blockNotAvailable: -32004,
  slotSkipped: -32007,
  transactionSignatureLenMismatch: -32013,
  unsupportedTransactionVersion: -32015,
} as const

/** An error answered as a JSON-RPC error object (never thrown past the server). */
export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message)
    this.name = 'RpcError'
  }
}

export const invalidParams = (message: string): RpcError => new RpcError(RPC_CODE.invalidParams, `Invalid params: ${message}`)

/**
 * JSON.stringify that writes bigints as plain integers (Solana's u64 fields such as rentEpoch
 * exceed 2^53; the stock clients parse them back as bigint).
 */
export function stringify(value: unknown): string {
  const marks: string[] = []
  const tag = `bigint-${Math.random().toString(36).slice(2)}-`
  const text = JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v !== 'bigint') return v
    marks.push(v.toString())
    return `${tag}${marks.length - 1}`
  })
  if (marks.length === 0) return text
  return text.replace(new RegExp(`"${tag}(\\d+)"`, 'g'), (_m, i: string) => marks[Number(i)]!)
}

export type JsonRpcRequest = { jsonrpc?: unknown; id?: unknown; method?: unknown; params?: unknown }

export const ok = (id: unknown, result: unknown) => ({ jsonrpc: '2.0', result, id })

export function fail(id: unknown, e: RpcError) {
  const error: { code: number; message: string; data?: unknown } = { code: e.code, message: e.message }
  if (e.data !== undefined) error.data = e.data
  return { jsonrpc: '2.0', error, id: id ?? null }
}
