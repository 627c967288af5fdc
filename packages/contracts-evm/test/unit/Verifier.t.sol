// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {VaaTestBase} from "../utils/VaaTestBase.sol";
import {Verifier} from "../../src/Verifier.sol";
import {IBulwarkErrors as E} from "../../src/interfaces/IBulwarkErrors.sol";
import {IGuardianVerifier} from "../../src/interfaces/IGuardianVerifier.sol";
import {PayloadLib} from "../../src/libraries/PayloadLib.sol";

contract VerifierTest is VaaTestBase {
    Verifier internal verifier;
    address[] internal set0;
    bytes32 internal constant EMITTER = bytes32(uint256(0xbeef));

    function setUp() public {
        vm.warp(1_700_000_000);
        set0 = makeGuardians(19, 0);
        verifier = new Verifier(verifierConfig(set0));
    }

    function _vaa() internal view returns (bytes memory) {
        return signQuorum(body(REMOTE, EMITTER, 42, hex"0102030405"));
    }

    function test_acceptsQuorumAndDecodesBody() public view {
        IGuardianVerifier.VaaBody memory b = verifier.parseAndVerify(_vaa());
        assertEq(b.emitterChain, REMOTE);
        assertEq(b.emitterAddress, EMITTER);
        assertEq(b.sequence, 42);
        assertEq(b.consistencyLevel, 1);
        assertEq(b.nonce, 7);
        assertEq(b.timestamp, uint32(block.timestamp));
        assertEq(b.payload, hex"0102030405");
        assertEq(b.bodyHash, keccak256(body(REMOTE, EMITTER, 42, hex"0102030405")));
    }

    function test_getGuardianSetReturnsKeys() public view {
        (address[] memory keys, uint64 expiry) = verifier.getGuardianSet(0);
        assertEq(keys.length, 19);
        for (uint256 i; i < 19; ++i) {
            assertEq(keys[i], set0[i]);
        }
        assertEq(expiry, 0);
    }

    function test_replayRejectedAndStateUnchanged() public {
        bytes memory vaa = _vaa();
        verifier.verifyAndConsume(vaa);
        vm.expectRevert(E.VaaAlreadyConsumed.selector);
        verifier.verifyAndConsume(vaa);
    }

    function test_rejectsWrongVersion() public {
        bytes memory vaa = _vaa();
        vaa[0] = 0x02;
        vm.expectRevert(E.InvalidVaaVersion.selector);
        verifier.parseAndVerify(vaa);
    }

    function test_rejectsTruncatedHeaderAndBody() public {
        vm.expectRevert(E.TruncatedVaa.selector);
        verifier.parseAndVerify(hex"0100000000");
        bytes memory vaa = _vaa();
        // cut inside the fixed body fields
        bytes memory cut = new bytes(6 + 13 * 66 + 50);
        for (uint256 i; i < cut.length; ++i) {
            cut[i] = vaa[i];
        }
        vm.expectRevert(E.TruncatedVaa.selector);
        verifier.parseAndVerify(cut);
    }

    function test_rejectsUnknownGuardianSet() public {
        signingSetIndex = 3;
        bytes memory vaa = _vaa();
        vm.expectRevert(E.GuardianSetUnknown.selector);
        verifier.parseAndVerify(vaa);
    }

    function test_rejectsBelowQuorum() public {
        uint8[] memory idx = new uint8[](12);
        for (uint256 i; i < 12; ++i) {
            idx[i] = uint8(i);
        }
        bytes memory vaa = sign(body(REMOTE, EMITTER, 1, hex"01"), idx);
        vm.expectRevert(E.QuorumNotMet.selector);
        verifier.parseAndVerify(vaa);
    }

    function _thirteen() internal pure returns (uint8[] memory idx) {
        idx = new uint8[](13);
        for (uint256 i; i < 13; ++i) {
            idx[i] = uint8(i);
        }
    }

    function test_rejectsDuplicateSignature() public {
        uint8[] memory idx = _thirteen();
        idx[5] = 4;
        bytes memory vaa = sign(body(REMOTE, EMITTER, 1, hex"01"), idx);
        vm.expectRevert(E.SignaturesNotAscending.selector);
        verifier.parseAndVerify(vaa);
    }

    function test_rejectsUnsortedSignatures() public {
        uint8[] memory idx = _thirteen();
        (idx[2], idx[3]) = (idx[3], idx[2]);
        bytes memory vaa = sign(body(REMOTE, EMITTER, 1, hex"01"), idx);
        vm.expectRevert(E.SignaturesNotAscending.selector);
        verifier.parseAndVerify(vaa);
    }

    function test_rejectsIndexOutOfRange() public {
        bytes memory vaa = _vaa();
        vaa[6 + 12 * 66] = bytes1(uint8(19)); // last signature claims guardian 19 of 19
        vm.expectRevert(E.GuardianIndexOutOfRange.selector);
        verifier.parseAndVerify(vaa);
    }

    function test_rejectsSignatureFromOtherKey() public {
        bytes memory vaa = _vaa();
        vaa[6 + 12 * 66] = bytes1(uint8(18)); // signature of guardian 12 attributed to 18
        vm.expectRevert(E.InvalidSignature.selector);
        verifier.parseAndVerify(vaa);
    }

    function test_rejectsBadRecoveryId() public {
        bytes memory vaa = _vaa();
        vaa[6 + 65] = 0x1b; // v must be 0 or 1
        vm.expectRevert(E.InvalidSignature.selector);
        verifier.parseAndVerify(vaa);
    }

    function testFuzz_tamperedBodyRejected(uint256 pos, uint8 flip) public {
        bytes memory vaa = _vaa();
        uint256 bodyStart = 6 + 13 * 66;
        pos = bound(pos, bodyStart, vaa.length - 1);
        flip = uint8(bound(flip, 1, 255));
        vaa[pos] = bytes1(uint8(vaa[pos]) ^ flip);
        vm.expectRevert(E.InvalidSignature.selector);
        verifier.parseAndVerify(vaa);
    }

    // ------------------------------------------------------------- governance

    function _upgradeVaa(uint16 target, uint32 newIndex, address[] memory keys, uint16 gChain, bytes32 gEmitter)
        internal
        view
        returns (bytes memory)
    {
        bytes memory p = PayloadLib.encode(PayloadLib.GuardianSetUpgrade(target, newIndex, keys));
        return signQuorum(body(gChain, gEmitter, 1, p));
    }

    function test_upgradeWithOverlapThenExpiry() public {
        bytes memory oldVaa = _vaa();
        address[] memory set1 = new address[](1);
        set1[0] = vm.addr(0xA11CE);
        verifier.submitGuardianSetUpgrade(_upgradeVaa(0, 1, set1, GOV_CHAIN, GOV_EMITTER));
        assertEq(verifier.guardianSetIndex(), 1);
        (address[] memory keys,) = verifier.getGuardianSet(1);
        assertEq(keys[0], set1[0]);

        vm.warp(block.timestamp + 86_400);
        verifier.parseAndVerify(oldVaa); // old set still valid within the overlap
        vm.warp(block.timestamp + 1);
        vm.expectRevert(E.GuardianSetExpired.selector);
        verifier.parseAndVerify(oldVaa);

        // new set signs
        delete guardianPks;
        guardianPks.push(0xA11CE);
        signingSetIndex = 1;
        verifier.parseAndVerify(_vaa());
    }

    function test_upgradeReplayRejected() public {
        address[] memory set1 = makeGuardiansKeep(2);
        bytes memory up = _upgradeVaa(0, 1, set1, GOV_CHAIN, GOV_EMITTER);
        verifier.submitGuardianSetUpgrade(up);
        vm.expectRevert(E.InvalidGovernance.selector); // signed by set 0, no longer current
        verifier.submitGuardianSetUpgrade(up);
    }

    function makeGuardiansKeep(uint256 n) internal pure returns (address[] memory a) {
        a = new address[](n);
        for (uint256 i; i < n; ++i) {
            a[i] = address(uint160(0x1000 + i));
        }
    }

    function test_upgradeFromWrongEmitterRejected() public {
        bytes memory up = _upgradeVaa(0, 1, makeGuardiansKeep(2), GOV_CHAIN, bytes32(uint256(5)));
        vm.expectRevert(E.InvalidGovernance.selector);
        verifier.submitGuardianSetUpgrade(up);
        assertEq(verifier.guardianSetIndex(), 0);
    }

    function test_upgradeSkippingIndexRejected() public {
        bytes memory up = _upgradeVaa(0, 2, makeGuardiansKeep(2), GOV_CHAIN, GOV_EMITTER);
        vm.expectRevert(E.InvalidGovernance.selector);
        verifier.submitGuardianSetUpgrade(up);
        assertEq(verifier.guardianSetIndex(), 0);
    }

    function test_upgradeForOtherChainRejected() public {
        bytes memory up = _upgradeVaa(REMOTE, 1, makeGuardiansKeep(2), GOV_CHAIN, GOV_EMITTER);
        vm.expectRevert(E.WrongDestinationChain.selector);
        verifier.submitGuardianSetUpgrade(up);
        assertEq(verifier.guardianSetIndex(), 0);
    }

    function test_upgradeWithDuplicateKeysRejected() public {
        address[] memory dup = makeGuardiansKeep(2);
        dup[1] = dup[0];
        bytes memory up = _upgradeVaa(0, 1, dup, GOV_CHAIN, GOV_EMITTER);
        vm.expectRevert(E.NonCanonicalEncoding.selector);
        verifier.submitGuardianSetUpgrade(up);
        assertEq(verifier.guardianSetIndex(), 0);
    }
}
