import * as core from '@bulwark/core'
import { BaseError as ViemBaseError, ContractFunctionRevertedError, type Hex } from 'viem'

type ErrorCtor = new (shortMessage: string, params?: core.BaseErrorParameters) => core.BaseError

/** Core's typed error class for a shared error name (`VaaAlreadyConsumed` -> VaaAlreadyConsumedError). */
export function coreErrorClass(name: string): ErrorCtor | undefined {
  const cls = (core as unknown as Record<string, unknown>)[`${name}Error`]
  return typeof cls === 'function' && (core.ERROR_NAMES as readonly string[]).includes(name) ? (cls as ErrorCtor) : undefined
}

/** Name of the custom error a contract call reverted with, if viem could decode one. */
export function revertErrorName(e: unknown): string | undefined {
  if (!(e instanceof ViemBaseError)) return undefined
  const reverted = e.walk((x) => x instanceof ContractFunctionRevertedError)
  return reverted instanceof ContractFunctionRevertedError ? reverted.data?.errorName : undefined
}

/**
 * Maps a failed contract call onto core's typed errors (same names as the Solidity custom
 * errors). Errors that are not contract reverts (network, nonce...) are passed through unchanged.
 */
export function toCoreError(e: unknown, what: string): unknown {
  const name = revertErrorName(e)
  const cls = name ? coreErrorClass(name) : undefined
  return cls ? new cls(`${what} reverted with ${name}`, { cause: e }) : e
}

export type TransactionStuckParameters = core.BaseErrorParameters & {
  /** The nonce that is still taken by the last version of the transaction. */
  nonce: number
  /** Every version sent (first send, then each replacement), in order. */
  hashes: readonly Hex[]
}

/**
 * No version of a transaction was mined: neither the first send nor any of its fee-bumped
 * replacements (same nonce) within the sender's window. `field` names the fee that was too low
 * (`maxFeePerGas`); `nonce` stays with the sender, whose next send replaces it (see EvmSender).
 *
 * Core's message layout (DetailedError: shortMessage, field, details, cause) but not one of core's
 * shared names: it has no Solidity or Solana counterpart, since it is about the pool, not a contract.
 */
export class TransactionStuckError extends core.DetailedError<'TransactionStuck'> {
  override readonly name = 'TransactionStuck' as const
  readonly nonce: number
  readonly hashes: readonly Hex[]

  constructor(shortMessage: string, params: TransactionStuckParameters) {
    super(shortMessage, params)
    this.nonce = params.nonce
    this.hashes = params.hashes
  }
}
