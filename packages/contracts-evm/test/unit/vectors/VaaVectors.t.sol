// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {VectorBase} from "../../utils/VectorBase.sol";
import {GuardianVerifier} from "../../../src/base/GuardianVerifier.sol";
import {IGuardianVerifier} from "../../../src/interfaces/IGuardianVerifier.sol";
import {CodeStore} from "../../../src/libraries/CodeStore.sol";

/// @notice GuardianVerifier with a way to install the vector's guardian set at any index / expiry.
contract VaaHarness is GuardianVerifier {
    constructor(VerifierConfig memory c) GuardianVerifier(c) {}

    function install(uint32 index, address[] memory keys, uint64 expiry) external {
        bytes memory packed;
        for (uint256 i; i < keys.length; ++i) {
            packed = bytes.concat(packed, bytes20(keys[i]));
        }
        address ptr = keys.length == 1 ? keys[0] : CodeStore.write(packed); // same convention as GuardianVerifier
        if (expiry == 0) {
            (_gsIndex, _gsKeys, _gsCount) = (index, ptr, uint8(keys.length));
        } else {
            _pastSets[index] = GuardianSet(ptr, uint8(keys.length), expiry);
            _gsIndex = index + 1; // current set is another one
        }
    }

    function verify(bytes calldata vaa) external view returns (VaaBody memory b, bytes32 digest) {
        b = _parseAndVerify(vaa);
        digest = keccak256(abi.encodePacked(b.bodyHash));
    }
}

contract VaaVectorsTest is VectorBase {
    function test_everyVaaVector() public {
        load("vaa");
        uint256 n = caseCount();
        assertGt(n, 0);
        for (uint256 k; k < n; ++k) {
            string memory p = casePath(k);
            string memory name = str(string.concat(p, ".name"));
            string memory gs = string.concat(p, ".input.guardianSet");
            uint256 count;
            while (has(string.concat(gs, ".keys[", vm.toString(count), "]"))) ++count;
            address[] memory keys = new address[](count);
            for (uint256 j; j < count; ++j) {
                keys[j] = vm.parseJsonAddress(json, string.concat(gs, ".keys[", vm.toString(j), "]"));
            }
            address[] memory boot = new address[](1);
            boot[0] = address(1);
            VaaHarness h = new VaaHarness(GuardianVerifier.VerifierConfig(2, 1, bytes32(uint256(4)), 0, boot));
            h.install(uint32(u(string.concat(gs, ".index"))), keys, uint64(u(string.concat(gs, ".expirationTime"))));
            vm.warp(u(string.concat(p, ".input.now")));

            (bool ok, bytes memory ret) = address(h).staticcall(abi.encodeCall(h.verify, (hexBytes(string.concat(p, ".input.vaa")))));
            if (!checkOutcome(p, ok, ret)) continue;
            (IGuardianVerifier.VaaBody memory b, bytes32 digest) = abi.decode(ret, (IGuardianVerifier.VaaBody, bytes32));
            string memory o = string.concat(p, ".output");
            assertEq(b.guardianSetIndex, u(string.concat(o, ".guardianSetIndex")), name);
            assertEq(b.timestamp, u(string.concat(o, ".timestamp")), name);
            assertEq(b.nonce, u(string.concat(o, ".nonce")), name);
            assertEq(b.emitterChain, u(string.concat(o, ".emitterChain")), name);
            assertEq(b.emitterAddress, b32(string.concat(o, ".emitterAddress")), name);
            assertEq(b.sequence, u(string.concat(o, ".sequence")), name);
            assertEq(b.consistencyLevel, u(string.concat(o, ".consistencyLevel")), name);
            assertEq(b.payload, hexBytes(string.concat(o, ".payload")), name);
            assertEq(b.bodyHash, b32(string.concat(o, ".hash")), name);
            assertEq(digest, b32(string.concat(o, ".digest")), name);
            bytes memory raw = hexBytes(string.concat(p, ".input.vaa"));
            assertEq(uint8(raw[5]), u(string.concat(o, ".signatures")), name);
        }
    }
}
