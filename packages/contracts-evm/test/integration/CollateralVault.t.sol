// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {VaaTestBase} from "../utils/VaaTestBase.sol";
import {CollateralVault} from "../../src/CollateralVault.sol";
import {IMessagePublisher} from "../../src/interfaces/IMessagePublisher.sol";
import {IBulwarkErrors as E} from "../../src/interfaces/IBulwarkErrors.sol";
import {PayloadLib} from "../../src/libraries/PayloadLib.sol";
import {MockERC20, FalseToken, NoReturnToken, FeeToken, ReentrantToken} from "../mocks/MockTokens.sol";

contract CollateralVaultTest is VaaTestBase {
    bytes32 internal constant ENGINE = bytes32(uint256(0xE9));
    CollateralVault internal vault;
    MockERC20 internal usdc;
    address internal admin = address(0xAD);
    address internal alice = address(0xA11CE);
    address internal native;
    uint64 internal engineSeq;

    function setUp() public {
        vm.warp(1_700_000_000);
        vault = new CollateralVault(verifierConfig(makeGuardians(7, 1)), admin, REMOTE, ENGINE);
        usdc = new MockERC20("USDC", 6);
        native = vault.NATIVE();
        vm.startPrank(admin);
        vault.configureAsset(address(usdc), 1_000_000e6);
        vault.configureAsset(native, 100 ether);
        vm.stopPrank();
        usdc.mint(alice, 10_000_000e6);
        vm.deal(alice, 1_000 ether);
        vm.prank(alice);
        usdc.approve(address(vault), type(uint256).max);
    }

    function _approval(address token, uint128 amount, address to) internal returns (bytes memory) {
        bytes memory p = PayloadLib.encode(PayloadLib.WithdrawalApproved(CHAIN, toBytes32(alice), toBytes32(token), amount, toBytes32(to), engineSeq));
        return signQuorum(body(REMOTE, ENGINE, engineSeq++, p));
    }

    function test_lockEmitsMessagesWithIncreasingSequence() public {
        bytes memory expected = PayloadLib.encode(PayloadLib.CollateralLocked(REMOTE, toBytes32(alice), toBytes32(address(usdc)), 100e6, toBytes32(alice)));
        vm.expectEmit(address(vault));
        emit IMessagePublisher.LogMessagePublished(address(vault), 0, 0, expected, 1);
        vm.prank(alice);
        assertEq(vault.lock(address(usdc), 100e6, REMOTE, toBytes32(alice)), 0);
        vm.prank(alice);
        assertEq(vault.lockNative{value: 1 ether}(REMOTE, toBytes32(alice)), 1);
        assertEq(vault.nextSequence(), 2);
        assertEq(usdc.balanceOf(address(vault)), 100e6);
        (, , uint128 locked) = vault.assets(native);
        assertEq(locked, 1 ether);
    }

    function test_lockRejectsBadInput() public {
        vm.startPrank(alice);
        vm.expectRevert(E.ZeroAmount.selector);
        vault.lock(address(usdc), 0, REMOTE, toBytes32(alice));
        vm.expectRevert(E.InvalidParameter.selector);
        vault.lock(address(usdc), 1, 0, toBytes32(alice));
        vm.expectRevert(E.UnknownAsset.selector);
        vault.lock(address(0x1234), 1, REMOTE, toBytes32(alice));
        vm.expectRevert(E.CapExceeded.selector);
        vault.lock(address(usdc), 1_000_001e6, REMOTE, toBytes32(alice));
        vm.expectRevert(E.ZeroAmount.selector);
        vault.lockNative{value: 0}(REMOTE, toBytes32(alice));
        vm.stopPrank();
        assertEq(vault.nextSequence(), 0);
        assertEq(usdc.balanceOf(address(vault)), 0);
    }

    function test_lockNativeAboveU128Rejected() public {
        uint256 huge = uint256(type(uint128).max) + 1;
        vm.deal(alice, huge);
        vm.prank(alice);
        vm.expectRevert(E.InvalidAmount.selector);
        vault.lockNative{value: huge}(REMOTE, toBytes32(alice));
        assertEq(vault.nextSequence(), 0);
    }

    function test_lockPaused() public {
        vm.prank(admin);
        vault.setPaused(1);
        vm.prank(alice);
        vm.expectRevert(E.OperationPaused.selector);
        vault.lock(address(usdc), 1, REMOTE, toBytes32(alice));
    }

    function _badToken(MockERC20 t) internal {
        vm.prank(admin);
        vault.configureAsset(address(t), 1e30);
        t.mint(alice, 1e24);
        vm.prank(alice);
        t.approve(address(vault), type(uint256).max);
        vm.prank(alice);
        vm.expectRevert(E.TransferFailed.selector);
        vault.lock(address(t), 1e18, REMOTE, toBytes32(alice));
        assertEq(vault.nextSequence(), 0);
        (, , uint128 locked) = vault.assets(address(t));
        assertEq(locked, 0);
    }

    function test_tokenReturningFalseRejected() public {
        _badToken(new FalseToken());
    }

    function test_tokenReturningNothingRejected() public {
        _badToken(new NoReturnToken());
    }

    function test_feeOnTransferTokenRejected() public {
        _badToken(new FeeToken());
    }

    function test_reentrancyThroughTokenCallbackRejected() public {
        ReentrantToken t = new ReentrantToken();
        t.arm(address(vault), abi.encodeCall(vault.lock, (address(t), 1, REMOTE, toBytes32(alice))));
        _badTokenExpect(t, E.Reentrancy.selector);
    }

    function _badTokenExpect(MockERC20 t, bytes4 err) internal {
        vm.prank(admin);
        vault.configureAsset(address(t), 1e30);
        t.mint(alice, 1e24);
        vm.prank(alice);
        t.approve(address(vault), type(uint256).max);
        vm.prank(alice);
        vm.expectRevert(err);
        vault.lock(address(t), 1e18, REMOTE, toBytes32(alice));
        assertEq(vault.nextSequence(), 0);
    }

    function test_releaseOnApprovalOnce() public {
        vm.prank(alice);
        vault.lock(address(usdc), 500e6, REMOTE, toBytes32(alice));
        address to = address(0xCAFE);
        bytes memory vaa = _approval(address(usdc), 200e6, to);
        vault.release(vaa);
        assertEq(usdc.balanceOf(to), 200e6);
        assertTrue(vault.isReleased(0));
        vm.expectRevert(E.VaaAlreadyConsumed.selector);
        vault.release(vaa);
        assertEq(usdc.balanceOf(to), 200e6);
    }

    function test_releaseNative() public {
        vm.prank(alice);
        vault.lockNative{value: 2 ether}(REMOTE, toBytes32(alice));
        address to = address(0xCAFE);
        vault.release(_approval(native, 1 ether, to));
        assertEq(to.balance, 1 ether);
    }

    function test_releaseRejectsForeignEmitterAndChain() public {
        vm.prank(alice);
        vault.lock(address(usdc), 500e6, REMOTE, toBytes32(alice));
        bytes memory p = PayloadLib.encode(PayloadLib.WithdrawalApproved(CHAIN, toBytes32(alice), toBytes32(address(usdc)), 1e6, toBytes32(alice), 0));
        vm.expectRevert(E.UnknownEmitter.selector);
        vault.release(signQuorum(body(REMOTE, bytes32(uint256(0xE8)), 0, p)));
        bytes memory other = PayloadLib.encode(PayloadLib.WithdrawalApproved(REMOTE, toBytes32(alice), toBytes32(address(usdc)), 1e6, toBytes32(alice), 0));
        vm.expectRevert(E.WrongDestinationChain.selector);
        vault.release(signQuorum(body(REMOTE, ENGINE, 0, other)));
        bytes memory tooMuch = PayloadLib.encode(PayloadLib.WithdrawalApproved(CHAIN, toBytes32(alice), toBytes32(address(usdc)), 501e6, toBytes32(alice), 0));
        vm.expectRevert(E.InsufficientCollateral.selector);
        vault.release(signQuorum(body(REMOTE, ENGINE, 0, tooMuch)));
        assertEq(usdc.balanceOf(address(vault)), 500e6);
        assertFalse(vault.isReleased(0));
    }

    function test_releaseRejectsBadQuorum() public {
        bytes memory p = PayloadLib.encode(PayloadLib.WithdrawalApproved(CHAIN, toBytes32(alice), toBytes32(address(usdc)), 1e6, toBytes32(alice), 0));
        uint8[] memory idx = new uint8[](4);
        for (uint256 i; i < 4; ++i) {
            idx[i] = uint8(i);
        }
        vm.expectRevert(E.QuorumNotMet.selector);
        vault.release(sign(body(REMOTE, ENGINE, 0, p), idx));
    }

    function test_adminOnly() public {
        vm.expectRevert(E.Unauthorized.selector);
        vault.configureAsset(address(usdc), 1);
    }
}
