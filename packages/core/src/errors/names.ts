/**
 * The shared error names, in the order that defines the Solana custom error codes
 * (code = index + 1). Append only: reordering changes every chain's codes.
 */
export const ERROR_NAMES = [
  // math
  'Overflow',
  'Underflow',
  'DivisionByZero',
  // input
  'ZeroAmount',
  'InvalidAmount',
  'InvalidPrice',
  'InvalidParameter',
  // formats
  'TruncatedPayload',
  'TrailingBytes',
  'UnknownPayloadType',
  'UnsupportedVersion',
  'NonCanonicalEncoding',
  'PayloadTooLarge',
  // vaa
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
  // oracle
  'StalePrice',
  'FuturePrice',
  'InsufficientSources',
  'PriceDivergence',
  'StaleUpdate',
  'UnknownMarket',
  // margin
  'InsufficientCollateral',
  'InsufficientMargin',
  'AccountHealthy',
  'UnknownAsset',
  'UnknownAccount',
  'PositionNotFound',
  // breaker
  'MarketHalted',
  'OperationPaused',
  'GracePeriod',
  // vault
  'CapExceeded',
  'TransferFailed',
  'Reentrancy',
  'Unauthorized',
] as const

export type ErrorName = (typeof ERROR_NAMES)[number]
