/** The program's custom error codes as core's typed errors, by shared name (docs/protocol.md §12). */
import * as core from '@bulwark/core'
import { BaseError, ERROR_NAMES, type ErrorName } from '@bulwark/core'
import { isSolanaError, SOLANA_ERROR__INSTRUCTION_ERROR__CUSTOM, SOLANA_ERROR__JSON_RPC__SERVER_ERROR_SEND_TRANSACTION_PREFLIGHT_FAILURE } from '@solana/kit'

type ErrorClass = new (shortMessage: string, params?: core.BaseErrorParameters) => BaseError

/** Every typed error class core exports, keyed by its shared name. */
const CLASSES: ReadonlyMap<string, ErrorClass> = (() => {
  const m = new Map<string, ErrorClass>()
  for (const v of Object.values(core)) {
    if (typeof v !== 'function' || !(v.prototype instanceof BaseError)) continue
    const C = v as unknown as ErrorClass
    m.set(new C('probe').name, C)
  }
  for (const n of ERROR_NAMES) if (!m.has(n)) throw new Error(`@bulwark/core exports no error class named ${n}`)
  return m
})()

/** A typed error of the given shared name. */
export function typedError(name: ErrorName, shortMessage: string, params: core.BaseErrorParameters = {}): BaseError {
  return new (CLASSES.get(name)!)(shortMessage, params)
}

/** The shared name of a Solana custom error code (1-based), or undefined. */
export const nameOfCode = (code: number): ErrorName | undefined => ERROR_NAMES[code - 1]

/**
 * If `e` is a kit error carrying the program's custom error for instruction `ixIndex`
 * (directly or as the cause of a preflight failure), the matching typed error; else undefined.
 */
export function programError(e: unknown, ixIndex: number): BaseError | undefined {
  const inner = isSolanaError(e, SOLANA_ERROR__JSON_RPC__SERVER_ERROR_SEND_TRANSACTION_PREFLIGHT_FAILURE) ? e.cause : e
  if (!isSolanaError(inner, SOLANA_ERROR__INSTRUCTION_ERROR__CUSTOM)) return undefined
  const { code, index } = inner.context as { code: number | bigint; index: number | bigint }
  if (Number(index) !== ixIndex) return undefined
  const name = nameOfCode(Number(code))
  if (!name) return undefined
  const logs = isSolanaError(e, SOLANA_ERROR__JSON_RPC__SERVER_ERROR_SEND_TRANSACTION_PREFLIGHT_FAILURE) ? (e.context as { logs?: string[] }).logs : undefined
  return typedError(name, `the Bulwark program refused the transaction: ${name} (custom error ${code})`, { details: logs?.filter((l) => l.includes('Program log')).join('\n') || undefined, cause: e })
}
