// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Test, console} from "forge-std/Test.sol";
import {EngineHandler} from "./EngineHandler.sol";
import {MarginEngine} from "../../src/MarginEngine.sol";

contract EngineInvariantTest is Test {
    EngineHandler internal h;
    MarginEngine internal engine;
    bytes32 internal constant USDC = bytes32(uint256(0xA0B8));

    function setUp() public {
        h = new EngineHandler();
        engine = h.engineAddr();
        targetContract(address(h));
        bytes4[] memory sel = new bytes4[](8);
        sel[6] = EngineHandler.leverUp.selector;
        sel[7] = EngineHandler.crash.selector;
        sel[0] = EngineHandler.credit.selector;
        sel[1] = EngineHandler.replay.selector;
        sel[2] = EngineHandler.trade.selector;
        sel[3] = EngineHandler.movePrice.selector;
        sel[4] = EngineHandler.withdraw.selector;
        sel[5] = EngineHandler.liquidate.selector;
        targetSelector(FuzzSelector(address(h), sel));
    }

    /// @notice Collateral credited per (origin chain, asset) never exceeds what locks reported.
    function invariant_creditedNeverExceedsLocked() public view {
        (uint128 credited,,,) = engine.assetSlots(10003, USDC);
        assertLe(credited, h.lockedReported());
    }

    /// @notice Token units are conserved: balances (active + pending) + approved withdrawals == credited.
    function invariant_collateralConserved() public view {
        (uint128 credited,,,) = engine.assetSlots(10003, USDC);
        assertEq(h.sumBalances() + h.withdrawn(), credited);
    }

    /// @notice USD value is conserved: settlements + insurance fund == realized PnL + socialized loss.
    function invariant_valueConserved() public view {
        assertEq(h.sumSettlement() + int256(engine.insuranceFund()), h.realized() + int256(engine.socializedLoss()));
    }

    /// @notice The handler's liquidation path works (a scripted run the fuzzer also explores).
    function test_handlerReachesLiquidation() public {
        h.credit(0, 10_000e6);
        h.leverUp(0, true);
        h.crash(0);
        h.crash(0);
        h.liquidate(0);
        assertGt(h.liquidations(), 0);
        invariant_valueConserved();
        invariant_collateralConserved();
    }

    function afterInvariant() public view {
        console.log("trades / liquidations", h.trades(), h.liquidations());
    }

    /// @notice A VAA never credits twice.
    function invariant_noReplayCredits() public view {
        assertEq(h.replayCredits(), 0);
    }

    /// @notice No withdrawal leaves an account below initial margin.
    function invariant_noWithdrawalBelowInitialMargin() public view {
        assertEq(h.belowImWithdrawals(), 0);
    }
}
