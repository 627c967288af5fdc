import { defineError } from './base.js'

/** The account does not hold enough collateral for the operation. */
export class InsufficientCollateralError extends defineError('InsufficientCollateral') {}
/** After the operation, equity would be below the initial margin requirement. */
export class InsufficientMarginError extends defineError('InsufficientMargin') {}
/** The account is at or above health 1: not liquidatable. */
export class AccountHealthyError extends defineError('AccountHealthy') {}
/** The asset is not configured. */
export class UnknownAssetError extends defineError('UnknownAsset') {}
/** The account does not exist. */
export class UnknownAccountError extends defineError('UnknownAccount') {}
/** The account has no position in that market. */
export class PositionNotFoundError extends defineError('PositionNotFound') {}
