// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {BulwarkFixture} from "../utils/BulwarkFixture.sol";
import {IBulwarkErrors as E} from "../../src/interfaces/IBulwarkErrors.sol";
import {PayloadLib} from "../../src/libraries/PayloadLib.sol";

/// @notice Withdrawal finalization: the origin vault's CollateralReleased VAA closes a withdrawal.
contract FinalizeTest is BulwarkFixture {
    address internal alice = address(0xA11CE);
    uint64 internal releaseSeq = 1000; // the vault's sequences continue after its locks

    function setUp() public {
        deploy(7);
        creditUsdc(alice, 10_000e6);
        vm.prank(alice);
        engine.requestWithdrawal(usdcId, 1_000e6, toBytes32(alice)); // withdrawal 0
    }

    function _released(uint16 emitterChain, bytes32 emitter, uint16 positionChain, uint64 id, uint128 amount)
        internal
        returns (bytes memory)
    {
        bytes memory p = PayloadLib.encode(PayloadLib.CollateralReleased(positionChain, id, USDC, amount, toBytes32(alice)));
        return signQuorum(body(emitterChain, emitter, releaseSeq++, p));
    }

    function _good() internal returns (bytes memory) {
        return _released(REMOTE, REMOTE_VAULT, CHAIN, 0, 1_000e6);
    }

    function test_finalizesOnceFromTheOriginVault() public {
        bytes memory vaa = _good();
        assertFalse(engine.isFinalized(0));
        vm.expectEmit(address(engine));
        emit WithdrawalFinalized(0, REMOTE, releaseSeq - 1);
        engine.finalizeWithdrawal(vaa);
        assertTrue(engine.isFinalized(0));
        assertTrue(engine.isConsumed(REMOTE, REMOTE_VAULT, releaseSeq - 1));
        vm.expectRevert(E.VaaAlreadyConsumed.selector); // same VAA
        engine.finalizeWithdrawal(vaa);
        vm.expectRevert(E.VaaAlreadyConsumed.selector); // another release message for the same withdrawal
        engine.finalizeWithdrawal(_good());
    }

    event WithdrawalFinalized(uint64 indexed withdrawalId, uint16 originChain, uint64 sequence);

    function _rejects(bytes memory vaa, bytes4 err) internal {
        vm.expectRevert(err);
        engine.finalizeWithdrawal(vaa);
        assertFalse(engine.isFinalized(0));
        assertFalse(engine.isConsumed(REMOTE, REMOTE_VAULT, releaseSeq - 1));
    }

    function test_rejectsUnknownEmitter() public {
        _rejects(_released(REMOTE, bytes32(uint256(0xbad)), CHAIN, 0, 1_000e6), E.UnknownEmitter.selector);
        _rejects(_released(4242, REMOTE_VAULT, CHAIN, 0, 1_000e6), E.UnknownEmitter.selector);
    }

    function test_rejectsWrongPositionChain() public {
        _rejects(_released(REMOTE, REMOTE_VAULT, CHAIN + 1, 0, 1_000e6), E.WrongDestinationChain.selector);
    }

    function test_rejectsUnknownOrMismatchedWithdrawal() public {
        _rejects(_released(REMOTE, REMOTE_VAULT, CHAIN, 7, 1_000e6), E.InvalidParameter.selector); // no such id
        _rejects(_released(REMOTE, REMOTE_VAULT, CHAIN, 0, 999e6), E.InvalidParameter.selector); // other amount
    }

    function test_rejectsOtherPayloadsAndBadSignatures() public {
        bytes memory lock = signQuorum(body(REMOTE, REMOTE_VAULT, releaseSeq++, lockedPayload(alice, USDC, 5e6)));
        _rejects(lock, E.UnknownPayloadType.selector);
        bytes memory vaa = _good();
        vaa[10] = bytes1(uint8(vaa[10]) ^ 1); // corrupt the first signature's r
        _rejects(vaa, E.InvalidSignature.selector);
    }
}
