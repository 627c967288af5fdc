/** Shared error names (docs/protocol.md §11); the program's custom error code is index + 1. */
export const ERROR_NAMES = [
  'Overflow',
  'Underflow',
  'DivisionByZero',
  'ZeroAmount',
  'InvalidAmount',
  'InvalidPrice',
  'InvalidParameter',
  'TruncatedPayload',
  'TrailingBytes',
  'UnknownPayloadType',
  'UnsupportedVersion',
  'NonCanonicalEncoding',
  'PayloadTooLarge',
  'InvalidVaaVersion',
  'TruncatedVaa',
  'GuardianSetUnknown',
  'GuardianSetExpired',
  'QuorumNotMet',
  'SignaturesNotAscending',
  'GuardianIndexOutOfRange',
  'InvalidSignature',
  'VaaAlreadyConsumed',
  'UnknownEmitter',
  'WrongDestinationChain',
  'InvalidGovernance',
  'StalePrice',
  'FuturePrice',
  'InsufficientSources',
  'PriceDivergence',
  'StaleUpdate',
  'UnknownMarket',
  'InsufficientCollateral',
  'InsufficientMargin',
  'AccountHealthy',
  'UnknownAsset',
  'UnknownAccount',
  'PositionNotFound',
  'MarketHalted',
  'OperationPaused',
  'GracePeriod',
  'CapExceeded',
  'TransferFailed',
  'Reentrancy',
  'Unauthorized',
] as const;

export type BulwarkErrorName = (typeof ERROR_NAMES)[number];

/** Custom error code -> shared name, or undefined for codes the program never returns. */
export function errorName(code: number): BulwarkErrorName | undefined {
  return ERROR_NAMES[code - 1];
}

export function errorCode(name: BulwarkErrorName): number {
  return ERROR_NAMES.indexOf(name) + 1;
}
