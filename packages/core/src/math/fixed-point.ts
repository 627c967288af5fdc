import { DivisionByZeroError, OverflowError, UnderflowError } from '../errors/math.js'
import { InvalidAmountError } from '../errors/input.js'
import { MAX_INT256, MAX_UINT256, MIN_INT256, WAD } from './constants.js'

/**
 * uint256 / int256 fixed-point arithmetic with the rounding direction in every name.
 * Intermediate products may exceed 256 bits (full-precision mulDiv); results may not, exactly
 * where Solidity's checked arithmetic (and Solady's fullMulDiv) would revert.
 */

/** Asserts `x` is a uint256; a value outside the type is an {@link InvalidAmountError} naming `field`. */
export function assertUint256(x: bigint, field: string): bigint {
  if (typeof x !== 'bigint' || x < 0n || x > MAX_UINT256) {
    throw new InvalidAmountError(`${field} is not a uint256`, { field, details: `got ${String(x)}` })
  }
  return x
}

/** Asserts `x` is an int256. */
export function assertInt256(x: bigint, field: string): bigint {
  if (typeof x !== 'bigint' || x < MIN_INT256 || x > MAX_INT256) {
    throw new InvalidAmountError(`${field} is not an int256`, { field, details: `got ${String(x)}` })
  }
  return x
}

function uintResult(r: bigint, op: string): bigint {
  if (r > MAX_UINT256) throw new OverflowError(`${op} overflows uint256`)
  return r
}

/** Checked int256 result: out of range is Overflow, as Solidity reverts. */
export function intResult(r: bigint, op: string): bigint {
  if (r > MAX_INT256 || r < MIN_INT256) throw new OverflowError(`${op} overflows int256`)
  return r
}

/** floor(a * b / d). */
export function mulDivDown(a: bigint, b: bigint, d: bigint): bigint {
  assertUint256(a, 'a')
  assertUint256(b, 'b')
  assertUint256(d, 'd')
  if (d === 0n) throw new DivisionByZeroError('mulDivDown by zero', { field: 'd' })
  return uintResult((a * b) / d, 'mulDivDown')
}

/** ceil(a * b / d). */
export function mulDivUp(a: bigint, b: bigint, d: bigint): bigint {
  assertUint256(a, 'a')
  assertUint256(b, 'b')
  assertUint256(d, 'd')
  if (d === 0n) throw new DivisionByZeroError('mulDivUp by zero', { field: 'd' })
  const p = a * b
  return uintResult(p / d + (p % d === 0n ? 0n : 1n), 'mulDivUp')
}

/** floor(a * b / WAD). */
export const wMulDown = (a: bigint, b: bigint): bigint => mulDivDown(a, b, WAD)
/** ceil(a * b / WAD). */
export const wMulUp = (a: bigint, b: bigint): bigint => mulDivUp(a, b, WAD)
/** floor(a * WAD / b). */
export const wDivDown = (a: bigint, b: bigint): bigint => mulDivDown(a, WAD, b)
/** ceil(a * WAD / b). */
export const wDivUp = (a: bigint, b: bigint): bigint => mulDivUp(a, WAD, b)

/** Checked uint256 addition. */
export function checkedAdd(a: bigint, b: bigint): bigint {
  assertUint256(a, 'a')
  assertUint256(b, 'b')
  return uintResult(a + b, 'checkedAdd')
}

/** Checked uint256 subtraction: below zero is Underflow. */
export function checkedSub(a: bigint, b: bigint): bigint {
  assertUint256(a, 'a')
  assertUint256(b, 'b')
  if (b > a) throw new UnderflowError('checkedSub underflows', { details: `${a} - ${b}` })
  return a - b
}

/** Checked uint256 multiplication. */
export function checkedMul(a: bigint, b: bigint): bigint {
  assertUint256(a, 'a')
  assertUint256(b, 'b')
  return uintResult(a * b, 'checkedMul')
}

/** floor(sqrt(a)) for a uint256 (Newton's method on bigints). */
export function sqrtDown(a: bigint): bigint {
  assertUint256(a, 'a')
  if (a < 2n) return a
  let x = 1n << BigInt((a.toString(2).length + 1) >> 1)
  for (;;) {
    const y = (x + a / x) >> 1n
    if (y >= x) return x
    x = y
  }
}

/** Signed division rounding toward negative infinity; `d` must be positive. */
export function floorDiv(n: bigint, d: bigint): bigint {
  if (d === 0n) throw new DivisionByZeroError('floorDiv by zero', { field: 'd' })
  if (d < 0n) throw new InvalidAmountError('floorDiv divisor must be positive', { field: 'd' })
  const q = n / d
  return n < 0n && q * d !== n ? q - 1n : q
}

/** floor(a * b / d) for a signed `a`, unsigned `b` and positive `d`, checked to int256. */
export function mulDivSignedFloor(a: bigint, b: bigint, d: bigint): bigint {
  assertInt256(a, 'a')
  assertUint256(b, 'b')
  assertUint256(d, 'd')
  return intResult(floorDiv(a * b, d), 'mulDivSignedFloor')
}

/** Absolute value of an int256 as a uint256. */
export const abs = (x: bigint): bigint => (x < 0n ? -x : x)
/** Smaller of two bigints. */
export const min = (a: bigint, b: bigint): bigint => (a < b ? a : b)
/** Larger of two bigints. */
export const max = (a: bigint, b: bigint): bigint => (a > b ? a : b)
