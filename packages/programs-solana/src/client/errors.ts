import { ERROR_NAMES, errorCode, type ErrorName } from '@bulwark/core'

/**
 * The program's custom error codes are the shared error names of docs/protocol.md §12, code =
 * index + 1. The list lives in core; the program's error.rs is checked against it by
 * test/shared-vectors.test.ts.
 */
export { ERROR_NAMES, errorCode }

export type BulwarkErrorName = ErrorName

/** Custom error code -> shared name, or undefined for codes the program never returns. */
export function errorName(code: number): BulwarkErrorName | undefined {
  return ERROR_NAMES[code - 1]
}
