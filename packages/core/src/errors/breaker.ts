import { defineError } from './base.js'

/** The market's circuit breaker does not allow this operation now. */
export class MarketHaltedError extends defineError('MarketHalted') {}
/** The operation's pause bit is set. */
export class OperationPausedError extends defineError('OperationPaused') {}
/** Liquidations are held back for a grace period after the market resumed. */
export class GracePeriodError extends defineError('GracePeriod') {}
