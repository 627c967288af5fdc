import { defineError } from './base.js'

/** An amount that must be positive was zero. */
export class ZeroAmountError extends defineError('ZeroAmount') {}
/** An amount was negative, not an integer, or out of its allowed range. */
export class InvalidAmountError extends defineError('InvalidAmount') {}
/** A price was zero, negative or not an integer. */
export class InvalidPriceError extends defineError('InvalidPrice') {}
/** A configuration or call parameter is outside its allowed range. */
export class InvalidParameterError extends defineError('InvalidParameter') {}
