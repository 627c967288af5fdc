import { MAX_UINT256, WAD } from '../math/constants.js'
import { checkedAdd, checkedMul, checkedSub, mulDivDown, mulDivUp, sqrtDown, wDivDown, wDivUp, wMulDown, wMulUp } from '../math/fixed-point.js'
import { randomUint, rng, vcase, type VectorFile } from './harness.js'

const MAX = MAX_UINT256
const ops3 = { mulDivDown, mulDivUp } as const
const ops2 = { wMulDown, wMulUp, wDivDown, wDivUp, checkedAdd, checkedSub, checkedMul } as const

export function fixedPointVectors(): VectorFile {
  const cases = []
  const fixed3: [string, bigint, bigint, bigint][] = [
    ['zero', 0n, 5n, 3n],
    ['exact', 6n, 4n, 3n],
    ['half rounds', 1n, 1n, 2n],
    ['one third', 1n, 1n, 3n],
    ['wad identity', WAD, WAD, WAD],
    ['max times one', MAX, 1n, 1n],
    ['max times max over max', MAX, MAX, MAX],
    ['intermediate beyond 256 bits', MAX, WAD, WAD * 2n],
    ['max minus one rounding up to max', MAX - 1n, MAX, MAX],
    ['result overflows', MAX, 2n, 1n],
    ['overflows only when rounded up', MAX, MAX - 1n, MAX - 1n],
    ['division by zero', 1n, 1n, 0n],
    ['zero by zero', 0n, 0n, 0n],
    ['2^128 squared over 2^128', 1n << 128n, 1n << 128n, 1n << 128n],
    ['2^128 squared overflows', 1n << 128n, 1n << 128n, 1n],
  ]
  for (const [name, a, b, d] of fixed3) for (const [op, fn] of Object.entries(ops3)) cases.push(vcase(`${op}: ${name}`, op, { a, b, d }, () => ({ result: fn(a, b, d) })))
  const fixed2: [string, bigint, bigint][] = [
    ['zeros', 0n, 0n],
    ['one and one', 1n, 1n],
    ['wad and wad', WAD, WAD],
    ['1.5 and 2.5', (3n * WAD) / 2n, (5n * WAD) / 2n],
    ['third', WAD, 3n],
    ['max and one', MAX, 1n],
    ['max and wad', MAX, WAD],
    ['max and max', MAX, MAX],
    ['one and max', 1n, MAX],
    ['divide by zero', WAD, 0n],
    ['underflow', 1n, 2n],
  ]
  for (const [name, a, b] of fixed2) for (const [op, fn] of Object.entries(ops2)) cases.push(vcase(`${op}: ${name}`, op, { a, b }, () => ({ result: fn(a, b) })))
  for (const a of [0n, 1n, 2n, 3n, 4n, 15n, 16n, 17n, WAD, WAD * WAD, MAX, (1n << 128n) - 1n, 1n << 254n]) {
    cases.push(vcase(`sqrtDown: ${a}`, 'sqrtDown', { a }, () => ({ result: sqrtDown(a) })))
  }
  const next = rng(0xb01a4c0den)
  for (let i = 0; i < 60; i++) {
    const a = randomUint(next, [64, 128, 192, 256][i % 4]!)
    const b = randomUint(next, [128, 64, 256, 96][i % 4]!)
    const d = randomUint(next, [64, 128, 160, 256][(i >> 2) % 4]!) + 1n
    const op = i % 2 === 0 ? 'mulDivDown' : 'mulDivUp'
    cases.push(vcase(`${op}: random ${i}`, op, { a, b, d }, () => ({ result: ops3[op](a, b, d) })))
  }
  return { topic: 'fixed_point', version: 1, description: 'uint256 fixed-point math: full-precision mulDiv, WAD ops, checked ops, sqrt (docs/protocol.md section 1)', cases }
}
