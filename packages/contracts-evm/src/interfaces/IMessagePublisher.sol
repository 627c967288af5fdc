// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice Message emission shared by CollateralVault and MarginEngine. The event has Wormhole
///         core's LogMessagePublished signature so existing watchers can read it; the emitter is
///         `sender` (left-padded to bytes32) and `sequence` increases by one per message.
interface IMessagePublisher {
    event LogMessagePublished(address indexed sender, uint64 sequence, uint32 nonce, bytes payload, uint8 consistencyLevel);

    /// @notice Sequence the next message will carry.
    function nextSequence() external view returns (uint64);
}
