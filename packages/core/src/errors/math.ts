import { defineError } from './base.js'

/** A result does not fit in uint256 (or int256 for signed values): where Solidity reverts. */
export class OverflowError extends defineError('Overflow') {}
/** A subtraction went below zero in unsigned arithmetic. */
export class UnderflowError extends defineError('Underflow') {}
/** Division or mulDiv by zero. */
export class DivisionByZeroError extends defineError('DivisionByZero') {}
