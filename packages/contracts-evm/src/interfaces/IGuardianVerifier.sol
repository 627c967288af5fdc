// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title Guardian-set VAA verification (docs/protocol.md §3)
interface IGuardianVerifier {
    /// @notice Parsed body of a verified VAA. The payload stays in calldata: [payloadOffset, +payloadLength).
    struct VaaBody {
        uint32 guardianSetIndex;
        uint32 timestamp;
        uint32 nonce;
        uint16 emitterChain;
        bytes32 emitterAddress;
        uint64 sequence;
        uint8 consistencyLevel;
        bytes32 bodyHash;
        bytes payload;
    }

    /// @notice A new guardian set became current; the previous one expires at `previousExpiry`.
    event GuardianSetUpgraded(uint32 indexed newIndex, address keysPointer, uint64 previousExpiry);

    /// @notice This contract's Wormhole-style chain id.
    function chainId() external view returns (uint16);

    /// @notice Index of the current guardian set.
    function guardianSetIndex() external view returns (uint32);

    /// @notice Keys of guardian set `index` and its expiry (0 = current, never expires).
    function getGuardianSet(uint32 index) external view returns (address[] memory keys, uint64 expiry);

    /// @notice Applies a GuardianSetUpgrade governance VAA signed by the current set.
    function submitGuardianSetUpgrade(bytes calldata vaa) external;
}
