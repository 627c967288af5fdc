import { describe, expect, it } from 'vitest'
import { emittedMessages } from './logs.js'

const P = 'Bu1wark111111111111111111111111111111111111'
const T = 'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA'
const b64 = (b: Uint8Array | string) => Buffer.from(b).toString('base64')
const seq = (n: bigint) => { const b = Buffer.alloc(8); b.writeBigUInt64BE(n); return b64(b) }

describe('emittedMessages', () => {
  it('keeps only the program\'s own Program data lines, with tag, sequence and payload', () => {
    const logs = [
      `Program ${P} invoke [1]`,
      `Program ${T} invoke [2]`,
      `Program data: ${b64('CollateralLocked')} ${seq(99n)} ${b64(Uint8Array.of(1))}`,
      `Program ${T} success`,
      `Program data: ${b64('CollateralLocked')} ${seq(5n)} ${b64(Uint8Array.of(1, 1, 7))}`,
      `Program ${P} success`,
      `Program data: ${b64('CollateralLocked')} ${seq(6n)} ${b64(Uint8Array.of(2))}`,
    ]
    expect(emittedMessages(logs, P)).toEqual([{ tag: 'CollateralLocked', sequence: 5n, payload: Uint8Array.of(1, 1, 7) }])
  })

  it('ignores lines of the wrong shape and frames of a failed program', () => {
    const logs = [`Program ${P} invoke [1]`, 'Program data: AAA=', `Program data: ${b64('X')} ${b64('short')} ${b64('p')}`, `Program ${P} failed: custom program error: 0x1`]
    expect(emittedMessages(logs, P)).toEqual([])
  })
})
