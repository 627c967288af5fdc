import { defineError } from './base.js'

/** The per-asset cap would be exceeded. */
export class CapExceededError extends defineError('CapExceeded') {}
/** A token transfer failed or moved a different amount than requested. */
export class TransferFailedError extends defineError('TransferFailed') {}
/** A reentrant call was refused. */
export class ReentrancyError extends defineError('Reentrancy') {}
/** The caller may not perform this operation. */
export class UnauthorizedError extends defineError('Unauthorized') {}
