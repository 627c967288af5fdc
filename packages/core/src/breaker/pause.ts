import { OperationPausedError } from '../errors/breaker.js'

/** Per-operation pause bits shared by the contracts and the Solana program. */
export const PauseBit = { Lock: 1, Credit: 2, Withdraw: 4, Open: 8, Liquidate: 16 } as const
export type PauseBit = (typeof PauseBit)[keyof typeof PauseBit]

/** Throws OperationPaused when `bit` is set in `flags`. */
export function assertNotPaused(flags: number, bit: PauseBit): void {
  if ((flags & bit) !== 0) {
    const name = Object.entries(PauseBit).find(([, v]) => v === bit)?.[0] ?? String(bit)
    throw new OperationPausedError(`${name} is paused`, { field: 'pauseFlags' })
  }
}
