// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import {GuardianVerifier} from "../../src/base/GuardianVerifier.sol";

/// @notice Guardian keys and VAA building/signing for tests (real secp256k1 signatures via vm.sign).
abstract contract VaaTestBase is Test {
    uint16 internal constant CHAIN = 10002;
    uint16 internal constant REMOTE = 10003;
    uint16 internal constant GOV_CHAIN = 1;
    bytes32 internal constant GOV_EMITTER = bytes32(uint256(4));

    uint256[] internal guardianPks;
    uint32 internal signingSetIndex;

    function makeGuardians(uint256 n, uint256 seed) internal returns (address[] memory addrs) {
        delete guardianPks;
        addrs = new address[](n);
        for (uint256 i; i < n; ++i) {
            uint256 pk = uint256(keccak256(abi.encode("guardian", seed, i))) % (type(uint128).max) + 1;
            guardianPks.push(pk);
            addrs[i] = vm.addr(pk);
        }
    }

    function verifierConfig(address[] memory guardians) internal pure returns (GuardianVerifier.VerifierConfig memory c) {
        c = GuardianVerifier.VerifierConfig(CHAIN, GOV_CHAIN, GOV_EMITTER, 0, guardians);
    }

    function body(uint16 emitterChain, bytes32 emitter, uint64 sequence, bytes memory payload)
        internal
        view
        returns (bytes memory)
    {
        return abi.encodePacked(uint32(block.timestamp), uint32(7), emitterChain, emitter, sequence, uint8(1), payload);
    }

    function quorum(uint256 n) internal pure returns (uint256) {
        return (n * 2) / 3 + 1;
    }

    /// @notice Signs `b` with guardians 0..q-1 (q = quorum of the current key list).
    function signQuorum(bytes memory b) internal view returns (bytes memory) {
        uint256 q = quorum(guardianPks.length);
        uint8[] memory idx = new uint8[](q);
        for (uint256 i; i < q; ++i) {
            idx[i] = uint8(i);
        }
        return sign(b, idx);
    }

    /// @notice Signs `b` with the guardians at `idx` (in the given order, indices as given).
    function sign(bytes memory b, uint8[] memory idx) internal view returns (bytes memory vaa) {
        return signWith(guardianPks, signingSetIndex, b, idx);
    }

    /// @notice Signs `b` with a quorum (first q keys) of `pks`, set index `setIndex`.
    function signQuorumWith(uint256[] memory pks, uint32 setIndex, bytes memory b) internal view returns (bytes memory) {
        uint256 q = quorum(pks.length);
        uint8[] memory idx = new uint8[](q);
        for (uint256 i; i < q; ++i) {
            idx[i] = uint8(i);
        }
        return signWith(pks, setIndex, b, idx);
    }

    function signWith(uint256[] memory pks, uint32 setIndex, bytes memory b, uint8[] memory idx)
        internal
        view
        returns (bytes memory vaa)
    {
        bytes32 digest = keccak256(abi.encodePacked(keccak256(b)));
        vaa = abi.encodePacked(uint8(1), setIndex, uint8(idx.length));
        for (uint256 i; i < idx.length; ++i) {
            (uint8 v, bytes32 r, bytes32 s) = vm.sign(pks[idx[i]], digest);
            vaa = abi.encodePacked(vaa, idx[i], r, s, uint8(v - 27));
        }
        vaa = abi.encodePacked(vaa, b);
    }

    function toBytes32(address a) internal pure returns (bytes32) {
        return bytes32(uint256(uint160(a)));
    }
}
