// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title Bulwark shared error names (docs/protocol.md §11)
/// @notice The same names exist in @bulwark/core and the Solana program, so a test vector's
///         `expectError` can be checked byte-for-byte against the revert selector `Name()`.
interface IBulwarkErrors {
    // math
    error Overflow();
    error Underflow();
    error DivisionByZero();
    // input
    error ZeroAmount();
    error InvalidAmount();
    error InvalidPrice();
    error InvalidParameter();
    // formats
    error TruncatedPayload();
    error TrailingBytes();
    error UnknownPayloadType();
    error UnsupportedVersion();
    error NonCanonicalEncoding();
    error PayloadTooLarge();
    // vaa
    error InvalidVaaVersion();
    error TruncatedVaa();
    error GuardianSetUnknown();
    error GuardianSetExpired();
    error QuorumNotMet();
    error SignaturesNotAscending();
    error GuardianIndexOutOfRange();
    error InvalidSignature();
    error VaaAlreadyConsumed();
    error UnknownEmitter();
    error WrongDestinationChain();
    error InvalidGovernance();
    // oracle
    error StalePrice();
    error FuturePrice();
    error InsufficientSources();
    error PriceDivergence();
    error StaleUpdate();
    error UnknownMarket();
    // margin
    error InsufficientCollateral();
    error InsufficientMargin();
    error AccountHealthy();
    error UnknownAsset();
    error UnknownAccount();
    error PositionNotFound();
    // breaker
    error MarketHalted();
    error OperationPaused();
    error GracePeriod();
    // vault
    error CapExceeded();
    error TransferFailed();
    error Reentrancy();
    error Unauthorized();
}
