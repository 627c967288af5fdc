import { defineError } from './base.js'

/** A price report is older than the maximum age. */
export class StalePriceError extends defineError('StalePrice') {}
/** A price report is timestamped too far in the future. */
export class FuturePriceError extends defineError('FuturePrice') {}
/** Fewer fresh, non-outlier sources than required: no price. */
export class InsufficientSourcesError extends defineError('InsufficientSources') {}
/** The spot price diverges from the EMA beyond the guard. */
export class PriceDivergenceError extends defineError('PriceDivergence') {}
/** An update is not newer than the last accepted one. */
export class StaleUpdateError extends defineError('StaleUpdate') {}
/** The market id is not configured. */
export class UnknownMarketError extends defineError('UnknownMarket') {}
