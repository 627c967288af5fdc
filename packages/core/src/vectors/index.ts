import { ERROR_NAMES } from '../errors/names.js'
import { breakerFile } from './breaker.js'
import { fixedPointVectors } from './fixed-point.js'
import type { VectorFile } from './harness.js'
import { liquidationFile } from './liquidation.js'
import { marginFile } from './margin.js'
import { oracleFile } from './oracle.js'
import { payloadVectors } from './payloads.js'
import { vaaVectors } from './vaa.js'

export type { VectorCase, VectorFile } from './harness.js'
export { testGuardianKeys } from './vaa.js'

function errorsFile(): VectorFile {
  return {
    topic: 'errors',
    version: 1,
    description: 'Shared error names and their Solana custom error codes (1-based)',
    cases: ERROR_NAMES.map((name, i) => ({ name, op: 'code', input: { name }, output: { code: i + 1 } })),
  }
}

/** Every vector file, keyed by file name. Deterministic: same code, same bytes. */
export function generateVectors(): Record<string, VectorFile> {
  return {
    'fixed_point.json': fixedPointVectors(),
    'payloads.json': payloadVectors(),
    'vaa.json': vaaVectors(),
    'margin.json': marginFile(),
    'liquidation.json': liquidationFile(),
    'breaker.json': breakerFile(),
    'oracle.json': oracleFile(),
    'errors.json': errorsFile(),
  }
}

export const serializeVectorFile = (f: VectorFile): string => `${JSON.stringify(f, null, 2)}\n`
