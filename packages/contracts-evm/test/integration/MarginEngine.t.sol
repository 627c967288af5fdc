// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {BulwarkFixture} from "../utils/BulwarkFixture.sol";
import {IBulwarkErrors as E} from "../../src/interfaces/IBulwarkErrors.sol";
import {PayloadLib} from "../../src/libraries/PayloadLib.sol";
import {RiskLib} from "../../src/libraries/RiskLib.sol";

contract MarginEngineTest is BulwarkFixture {
    address internal alice = address(0xA11CE);
    address internal bob = address(0xB0B);

    function setUp() public {
        deploy(19);
    }

    function _bal(address a, uint8 id) internal view returns (uint128 active, uint128 pending) {
        return engine.balanceOf(toBytes32(a), id);
    }

    function test_creditsOnceAndTracksTotals() public {
        bytes memory vaa = lockVaa(alice, USDC, 1_000e6);
        engine.credit(vaa);
        (uint128 active, uint128 pending) = _bal(alice, usdcId);
        assertEq(active, 1_000e6);
        assertEq(pending, 0);
        (uint128 credited,,,) = engine.assetSlots(REMOTE, USDC);
        assertEq(credited, 1_000e6);
        assertTrue(engine.isConsumed(REMOTE, REMOTE_VAULT, 0));
        vm.expectRevert(E.VaaAlreadyConsumed.selector);
        engine.credit(vaa);
        (active,) = _bal(alice, usdcId);
        assertEq(active, 1_000e6);
    }

    function test_rejectsUnknownEmitter() public {
        bytes memory vaa = signQuorum(body(REMOTE, bytes32(uint256(0xbad)), 0, lockedPayload(alice, USDC, 5e6)));
        vm.expectRevert(E.UnknownEmitter.selector);
        engine.credit(vaa);
        (uint128 active,) = _bal(alice, usdcId);
        assertEq(active, 0);
    }

    function test_rejectsWrongDestination() public {
        bytes memory p = PayloadLib.encode(PayloadLib.CollateralLocked(REMOTE, toBytes32(alice), USDC, 5e6, 0));
        bytes memory vaa = signQuorum(body(REMOTE, REMOTE_VAULT, 0, p));
        vm.expectRevert(E.WrongDestinationChain.selector);
        engine.credit(vaa);
    }

    function test_rejectsZeroAmountAndMalformedPayload() public {
        bytes memory zero = abi.encodePacked(uint8(1), uint8(1), CHAIN, toBytes32(alice), USDC, uint128(0), bytes32(0));
        vm.expectRevert(E.ZeroAmount.selector);
        engine.credit(signQuorum(body(REMOTE, REMOTE_VAULT, 0, zero)));
        bytes memory shortP = abi.encodePacked(uint8(1), uint8(1), CHAIN);
        vm.expectRevert(E.TruncatedPayload.selector);
        engine.credit(signQuorum(body(REMOTE, REMOTE_VAULT, 0, shortP)));
        bytes memory wrongType = abi.encodePacked(uint8(3), uint8(1), new bytes(90));
        vm.expectRevert(E.UnknownPayloadType.selector);
        engine.credit(signQuorum(body(REMOTE, REMOTE_VAULT, 0, wrongType)));
        assertFalse(engine.isConsumed(REMOTE, REMOTE_VAULT, 0));
    }

    function test_rejectsUnknownAsset() public {
        vm.expectRevert(E.UnknownAsset.selector);
        engine.credit(lockVaa(alice, bytes32(uint256(0x1234)), 5e6));
        assertFalse(engine.isConsumed(REMOTE, REMOTE_VAULT, 0));
    }

    function test_creditPausedRejected() public {
        vm.prank(admin);
        engine.setPaused(2);
        bytes memory vaa = lockVaa(alice, USDC, 5e6);
        vm.expectRevert(E.OperationPaused.selector);
        engine.credit(vaa);
    }

    function test_adminOnly() public {
        vm.expectRevert(E.Unauthorized.selector);
        engine.setPaused(1);
    }

    function test_rateLimitQueuesExcessAndReleasesLater() public {
        // large transfer threshold is 1,000,000 USD: this one is queued, not dropped
        engine.credit(lockVaa(alice, USDC, 2_000_000e6));
        (uint128 active, uint128 pending) = _bal(alice, usdcId);
        assertEq(active, 0);
        assertEq(pending, 2_000_000e6);
        // a small one behind it waits too (FIFO per chain)
        engine.credit(lockVaa(alice, USDC, 10e6));
        (, pending) = _bal(alice, usdcId);
        assertEq(pending, 2_000_010e6);
        assertEq(engine.releaseQueued(REMOTE, 10), 0); // nothing due yet
        vm.warp(block.timestamp + 3600);
        pushPrices(block.timestamp, 3000e18, 60_000e18, 150e18);
        assertEq(engine.releaseQueued(REMOTE, 10), 2);
        (active, pending) = _bal(alice, usdcId);
        assertEq(active, 2_000_010e6);
        assertEq(pending, 0);
    }

    function test_pendingCollateralCountsAtPendingWeight() public {
        engine.credit(lockVaa(alice, USDC, 2_000_000e6));
        RiskLib.Health memory h = engine.health(toBytes32(alice));
        assertEq(h.collateralValue, 1_000_000e18); // pendingWeight 0.5
    }

    function test_tradeWithdrawAndMarginChecks() public {
        creditUsdc(alice, 10_000e6);
        vm.startPrank(alice);
        vm.expectRevert(E.InsufficientMargin.selector);
        engine.trade(ETH, 40e18); // 120k notional needs 12k IM
        engine.trade(ETH, 2e18);
        assertEq(engine.settlement(toBytes32(alice)), -3e18); // 6,000 * 0.05%
        vm.expectRevert(E.InsufficientMargin.selector);
        engine.requestWithdrawal(usdcId, 9_500e6, toBytes32(alice));
        vm.expectRevert(E.InsufficientCollateral.selector);
        engine.requestWithdrawal(usdcId, 10_001e6, toBytes32(alice));
        vm.expectRevert(E.ZeroAmount.selector);
        engine.requestWithdrawal(usdcId, 0, toBytes32(alice));
        vm.expectRevert(E.UnknownAsset.selector);
        engine.requestWithdrawal(77, 1, toBytes32(alice));
        vm.expectRevert(E.UnknownMarket.selector);
        engine.trade(77, 1e18);
        uint64 seq = engine.nextSequence();
        uint64 id = engine.requestWithdrawal(usdcId, 1_000e6, toBytes32(alice));
        assertEq(id, 0);
        assertEq(engine.nextSequence(), seq + 1);
        vm.stopPrank();
        (uint128 active,) = _bal(alice, usdcId);
        assertEq(active, 9_000e6);
    }

    function test_closePositionNotFound() public {
        vm.prank(alice);
        vm.expectRevert(E.PositionNotFound.selector);
        engine.closePosition(ETH);
    }

    function test_liquidateUnknownAndHealthy() public {
        vm.expectRevert(E.UnknownAccount.selector);
        engine.liquidate(toBytes32(bob));
        creditUsdc(alice, 10_000e6);
        vm.expectRevert(E.AccountHealthy.selector);
        engine.liquidate(toBytes32(alice));
    }

    function test_liquidationSplitsPenaltyAndConservesValue() public {
        creditUsdc(alice, 1_000e6);
        vm.prank(alice);
        engine.trade(ETH, 3e18); // 9,000 notional, IM 900
        vm.warp(block.timestamp + 10);
        pushPrices(block.timestamp, 2750e18, 60_000e18, 150e18); // -750 pnl
        RiskLib.Health memory before = engine.health(toBytes32(alice));
        assertLt(before.health, 1e18);
        uint256 fundBefore = engine.insuranceFund();
        vm.prank(bob);
        engine.liquidate(toBytes32(alice));
        RiskLib.Health memory after_ = engine.health(toBytes32(alice));
        int256 reward = engine.settlement(toBytes32(bob));
        assertGt(reward, 0);
        assertEq(
            after_.equity + int256(engine.insuranceFund()) + reward,
            before.equity + int256(fundBefore) + int256(engine.socializedLoss())
        );
    }

    function test_liquidationToTargetHealthClosesJustEnough() public {
        vm.prank(admin);
        engine.setLiquidationParams(RiskLib.LiquidationParams(0.5e18, 0.5e18, 100e18, 0.02e18, 0.5e18, 1.5e18));
        creditUsdc(alice, 1_000e6);
        vm.prank(alice);
        engine.trade(ETH, 3e18);
        vm.warp(block.timestamp + 10);
        pushPrices(block.timestamp, 2750e18, 60_000e18, 150e18); // health 0.61: partial, not the close factor
        RiskLib.Health memory before = engine.health(toBytes32(alice));
        uint256 fundBefore = engine.insuranceFund();
        vm.prank(bob);
        engine.liquidate(toBytes32(alice));
        RiskLib.Health memory after_ = engine.health(toBytes32(alice));
        (int128 size,) = engine.positions(toBytes32(alice), 0);
        assertGt(size, 0); // partial
        assertLt(size, 1.5e18); // more than the 50% close factor would close
        assertGe(after_.health, 1.5e18);
        assertEq(
            after_.equity + int256(engine.insuranceFund()) + engine.settlement(toBytes32(bob)),
            before.equity + int256(fundBefore) + int256(engine.socializedLoss())
        );
    }

    /// @notice The constructor's liquidation parameters are docs/protocol.md section 8's neutral
    ///         defaults (core's DEFAULT_LIQUIDATION, the Solana program's): penalty 2%, target off.
    function test_constructorLiquidationDefaultsAreTheProtocols() public view {
        (uint256 closeFactor, uint256 fullHealth, uint256 dust, uint256 penalty, uint256 share, uint256 target) = engine.liquidationParams();
        assertEq(closeFactor, 0.5e18);
        assertEq(fullHealth, 0.5e18);
        assertEq(dust, 100e18);
        assertEq(penalty, 0.02e18);
        assertEq(share, 0.5e18);
        assertEq(target, 0);
    }

    function test_targetHealthValidatedAtConfiguration() public {
        vm.startPrank(admin);
        // below 1
        vm.expectRevert(E.InvalidParameter.selector);
        engine.setLiquidationParams(RiskLib.LiquidationParams(0.5e18, 0.5e18, 100e18, 0.02e18, 0.5e18, 0.99e18));
        // 1.0 x mmf 5% does not exceed a 5% penalty: a liquidation would not raise health
        vm.expectRevert(E.InvalidParameter.selector);
        engine.setLiquidationParams(RiskLib.LiquidationParams(0.5e18, 0.5e18, 100e18, 0.05e18, 0.5e18, 1e18));
        (,,,,, uint256 target) = engine.liquidationParams();
        assertEq(target, 0); // nothing changed
        engine.setLiquidationParams(RiskLib.LiquidationParams(0.5e18, 0.5e18, 100e18, 0.02e18, 0.5e18, 1.5e18));
        (,,, uint256 penalty,, uint256 set) = engine.liquidationParams();
        assertEq(penalty, 0.02e18);
        assertEq(set, 1.5e18);
        // a market added later must keep targetHealth * mmf > penaltyRate: 1.5 x 1% < 2%
        vm.expectRevert(E.InvalidParameter.selector);
        engine.addMarket(999, 0.1e18, 0.01e18, 0);
        engine.setLiquidationParams(RiskLib.LiquidationParams(0.5e18, 0.5e18, 100e18, 0.02e18, 0.5e18, 0)); // off again
        vm.stopPrank();
    }

    function test_haltedMarketRefusesOpenAndGraceBlocksLiquidation() public {
        creditUsdc(alice, 1_000e6);
        vm.prank(alice);
        engine.trade(ETH, 3e18);
        vm.warp(block.timestamp + 10);
        pushPrices(block.timestamp, 2500e18, 60_000e18, 150e18); // -16.7%: halts ETH
        vm.prank(alice);
        vm.expectRevert(E.MarketHalted.selector);
        engine.trade(ETH, 1e18);
        vm.expectRevert(E.MarketHalted.selector);
        engine.liquidate(toBytes32(alice));
        // halt 600 s with fresh prices, then cooldown 300 s, then normal with 120 s grace
        for (uint256 t = 60; t <= 960; t += 60) {
            vm.warp(T0 + 10 + t);
            pushPrices(T0 + 10 + t, 2500e18, 60_000e18, 150e18);
        }
        vm.warp(T0 + 10 + 960);
        vm.expectRevert(E.GracePeriod.selector);
        engine.liquidate(toBytes32(alice));
    }

    function test_rawCalldataCreditMatchesAbiCredit() public {
        bytes memory vaa = lockVaa(alice, USDC, 7e6);
        (bool ok,) = address(engine).call(vaa);
        assertTrue(ok);
        (uint128 active,) = _bal(alice, usdcId);
        assertEq(active, 7e6);
        (ok,) = address(engine).call(vaa);
        assertFalse(ok); // replay through the raw entry is refused too
        vm.expectRevert(E.VaaAlreadyConsumed.selector);
        engine.credit(vaa);
    }

    /// @dev A VAA's first four bytes are 0x01 followed by the set index's top three bytes.
    function test_noSelectorCollidesWithVaaPrefix() public {
        string[] memory sigs = vm.parseJsonKeys(vm.readFile(string.concat(vm.projectRoot(), "/out/MarginEngine.sol/MarginEngine.json")), ".methodIdentifiers");
        assertGt(sigs.length, 10);
        string memory json = vm.readFile(string.concat(vm.projectRoot(), "/out/MarginEngine.sol/MarginEngine.json"));
        for (uint256 i; i < sigs.length; ++i) {
            bytes memory sel = vm.parseBytes(vm.parseJsonString(json, string.concat(".methodIdentifiers.['", sigs[i], "']")));
            assertTrue(uint8(sel[0]) != 1, sigs[i]);
        }
    }
}
