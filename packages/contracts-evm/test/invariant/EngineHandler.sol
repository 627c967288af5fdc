// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {BulwarkFixture} from "../utils/BulwarkFixture.sol";
import {MarginEngine} from "../../src/MarginEngine.sol";
import {RiskLib} from "../../src/libraries/RiskLib.sol";
import {Vm} from "forge-std/Vm.sol";

/// @notice Drives the engine with credits (fresh and replayed), trades, price moves, withdrawals
///         and liquidations, and keeps ghost totals the invariants compare against.
contract EngineHandler is BulwarkFixture {
    address[3] internal actors = [address(0x1001), address(0x1002), address(0x1003)];
    bytes[] internal signed;

    uint256 public lockedReported; // sum of every CollateralLocked amount signed (USDC)
    uint256 public withdrawn; // sum of approved withdrawals (USDC)
    int256 public realized; // sum of realized PnL from trades and liquidations
    uint256 public replayCredits; // replays that were accepted: must stay 0
    uint256 public belowImWithdrawals; // withdrawals that left equity < imReq: must stay 0
    uint256 public trades;
    uint256 public liquidations;
    uint256 internal eth = 3000e18;
    uint256 internal now_ = T0;

    bytes32 internal constant POSITION_CHANGED = keccak256("PositionChanged(bytes32,uint32,int256,uint256,int256,uint256)");
    bytes32 internal constant LIQUIDATED = keccak256("Liquidated(bytes32,address,int256,uint256,uint256,uint256)");

    constructor() {
        deploy(7);
    }

    function actor(uint256 i) public view returns (address) {
        return actors[i % 3];
    }

    function credit(uint256 who, uint128 amount) public {
        amount = uint128(bound(amount, 1, 20_000e6));
        bytes memory vaa = lockVaa(actor(who), USDC, amount);
        lockedReported += amount;
        signed.push(vaa);
        engine.credit(vaa);
    }

    function replay(uint256 k) external {
        if (signed.length == 0) return;
        try engine.credit(signed[k % signed.length]) {
            ++replayCredits;
        } catch {}
    }

    function trade(uint256 who, int256 size) external {
        size = bound(size, -60e18, 60e18);
        if (size == 0) return;
        vm.recordLogs();
        vm.prank(actor(who));
        try engine.trade(ETH, size) {
            ++trades;
            _collect();
        } catch {}
    }

    /// @notice Opens close to the maximum leverage (IM 10%) so price moves make accounts liquidatable.
    function leverUp(uint256 who, bool long) external {
        address a = actor(who);
        RiskLib.Health memory hh = engine.health(toBytes32(a));
        int256 free = hh.equity - int256(hh.imReq);
        if (free <= 100e18) {
            credit(who, 5_000e6); // keep leverage reachable: an actor without margin gets some
            return;
        }
        int256 size = free * 9 * 1e18 / int256(eth);
        if (size == 0) return;
        vm.recordLogs();
        vm.prank(a);
        try engine.trade(ETH, long ? size : -size) {
            ++trades;
            _collect();
        } catch {}
    }

    function movePrice(int256 bps) external {
        _move(bound(bps, -300, 300), 30);
    }

    /// @notice Moves ETH 4% against `who`'s position (100 s later, so the 15% / 300 s breaker and
    ///         the 120 s oracle gap never trip): a few in a row make a levered account liquidatable.
    function crash(uint256 who) external {
        for (uint256 k; k < 3; ++k) {
            (int128 size,) = engine.positions(toBytes32(actor(who + k)), 0);
            if (size != 0) return _move(size > 0 ? int256(-400) : int256(400), 100);
        }
    }

    function _move(int256 bps, uint256 dt) internal {
        eth = uint256(int256(eth) + int256(eth) * bps / 10_000);
        now_ += dt;
        vm.warp(now_);
        pushPrices(now_, eth, 60_000e18, 150e18);
    }

    function withdraw(uint256 who, uint128 amount) external {
        address a = actor(who);
        amount = uint128(bound(amount, 1, 100_000e6));
        vm.prank(a);
        try engine.requestWithdrawal(usdcId, amount, toBytes32(a)) {
            withdrawn += amount;
            RiskLib.Health memory h = engine.health(toBytes32(a));
            if (h.equity < int256(h.imReq)) ++belowImWithdrawals;
        } catch {}
    }

    /// @notice Liquidates the first liquidatable actor from `who` on, and reverts when there is none,
    ///         so the campaign's metrics table counts liquidations as calls minus reverts.
    function liquidate(uint256 who) external {
        for (uint256 k; k < 3; ++k) {
            bytes32 a = toBytes32(actor(who + k));
            RiskLib.Health memory hh = engine.health(a);
            if (hh.mmReq == 0 || hh.health >= 1e18) continue;
            vm.recordLogs();
            engine.liquidate(a); // a revert here (halted market, grace period) is counted too
            ++liquidations;
            _collect();
            return;
        }
        revert("nothing liquidatable");
    }

    function _collect() internal {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].topics[0] == POSITION_CHANGED) {
                (,, int256 r,) = abi.decode(logs[i].data, (int256, uint256, int256, uint256));
                realized += r;
            } else if (logs[i].topics[0] == LIQUIDATED) {
                (int256 r,,,) = abi.decode(logs[i].data, (int256, uint256, uint256, uint256));
                realized += r;
            }
        }
    }

    // ---------------------------------------------------------------- views for the invariants

    function sumBalances() external view returns (uint256 s) {
        for (uint256 i; i < 3; ++i) {
            (uint128 a, uint128 p) = engine.balanceOf(toBytes32(actors[i]), usdcId);
            s += uint256(a) + p;
        }
    }

    function sumSettlement() external view returns (int256 s) {
        for (uint256 i; i < 3; ++i) {
            s += engine.settlement(toBytes32(actors[i]));
        }
        s += engine.settlement(toBytes32(address(this))); // liquidator rewards
    }

    function engineAddr() external view returns (MarginEngine) {
        return engine;
    }
}
