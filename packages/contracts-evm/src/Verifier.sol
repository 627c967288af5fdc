// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {GuardianVerifier} from "./base/GuardianVerifier.sol";

/// @title Verifier — standalone VAA v1 verifier with replay protection by body hash
/// @notice The same verification code is embedded in CollateralVault, MarginEngine and
///         PriceOracle (each holds its own guardian set, upgraded by the same governance VAA).
contract Verifier is GuardianVerifier {
    /// @notice keccak256(body) of every VAA consumed through `verifyAndConsume`.
    mapping(bytes32 => bool) public consumed;

    event VaaConsumed(bytes32 indexed bodyHash, uint16 emitterChain, bytes32 emitterAddress, uint64 sequence);

    constructor(VerifierConfig memory cfg) GuardianVerifier(cfg) {}

    /// @notice Verifies a VAA (signatures, quorum, guardian set validity) and returns its body.
    function parseAndVerify(bytes calldata vaa) external view returns (VaaBody memory) {
        return _parseAndVerify(vaa);
    }

    /// @notice Verifies a VAA and marks its body hash consumed; a second submission reverts VaaAlreadyConsumed.
    function verifyAndConsume(bytes calldata vaa) external returns (VaaBody memory b) {
        b = _parseAndVerify(vaa);
        if (consumed[b.bodyHash]) revert VaaAlreadyConsumed();
        consumed[b.bodyHash] = true;
        emit VaaConsumed(b.bodyHash, b.emitterChain, b.emitterAddress, b.sequence);
    }
}
