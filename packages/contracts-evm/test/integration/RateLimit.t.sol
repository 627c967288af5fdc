// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {BulwarkFixture} from "../utils/BulwarkFixture.sol";
import {IBulwarkErrors as E} from "../../src/interfaces/IBulwarkErrors.sol";
import {Vm} from "forge-std/Vm.sol";

/// @notice Inbound rate limit: rolling 24 h in hourly buckets (limit 10,000,000 USD, large
///         transfer 1,000,000 USD, USDC governor price $1). Queued credits are never dropped.
contract RateLimitTest is BulwarkFixture {
    address internal alice = address(0xA11CE);
    bytes32 internal constant CREDITED = keccak256("CollateralCredited(bytes32,uint8,uint128)");
    uint256 internal constant LIMIT = 10_000_000;

    function setUp() public {
        queueDelay = 365 days; // capacity, not delay, releases queued credits here
        deploy(1);
    }

    function _pending() internal view returns (uint128 p) {
        (, p) = engine.balanceOf(toBytes32(alice), usdcId);
    }

    /// @dev Local clock: via-IR may reuse a read of block.timestamp across vm.warp in one function.
    uint256 internal t = T0;

    function _at(uint256 when) internal {
        t = when;
        vm.warp(when);
    }

    function _fill() internal {
        for (uint256 i; i < 10; ++i) creditUsdc(alice, 1_000_000e6);
        assertEq(engine.windowUsed(REMOTE), LIMIT);
    }

    function test_excessQueuedUntilTheWindowRollsPast() public {
        _at(T0 - T0 % 3600 + 5400); // mid-hour
        _fill();
        creditUsdc(alice, 1e6); // over the limit: queued, not dropped
        assertEq(_pending(), 1e6);
        // 24 h later the filled bucket is still one of the 25 checked: nothing frees
        _at(t + 24 hours);
        assertEq(engine.windowUsed(REMOTE), LIMIT);
        assertEq(engine.releaseQueued(REMOTE, 10), 0);
        // at the next bucket boundary the filled hour leaves the window
        _at(t - t % 3600 + 3600);
        assertEq(engine.windowUsed(REMOTE), 0);
        assertEq(engine.releaseQueued(REMOTE, 10), 1);
        assertEq(_pending(), 0);
        assertEq(engine.windowUsed(REMOTE), 1); // the released credit counts
    }

    function test_queueIsFifoAndBlocksLaterCredits() public {
        _fill();
        creditUsdc(alice, 5e6);
        _at(t + 30 hours); // capacity frees
        creditUsdc(alice, 1e6); // fits, but waits behind the queued one
        assertEq(_pending(), 6e6);
        assertEq(engine.releaseQueued(REMOTE, 1), 1); // oldest first
        assertEq(_pending(), 1e6);
        assertEq(engine.releaseQueued(REMOTE, 10), 1);
        assertEq(_pending(), 0);
        assertEq(engine.windowUsed(REMOTE), 6);
    }

    function test_partialExpiryKeepsLaterBuckets() public {
        _at(T0 - T0 % 3600 + 3600); // hour boundary
        creditUsdc(alice, 1_000_000e6); // hour 0
        _at(t + 10 hours);
        creditUsdc(alice, 900_000e6); // hour 10
        _at(t + 15 hours); // hour 25: hour 0 left, hour 10 stays
        assertEq(engine.windowUsed(REMOTE), 900_000);
        _at(t + 10 hours); // hour 35: hour 10 left too
        assertEq(engine.windowUsed(REMOTE), 0);
    }

    function test_delayedReleaseCountsAgainstTheWindow() public {
        _fill();
        creditUsdc(alice, 3e6);
        _at(t + 30 days);
        creditUsdc(alice, 2_000_000e6); // large: queued behind nothing, by size
        assertEq(engine.releaseQueued(REMOTE, 10), 1); // the 3 USD one fits now
        assertEq(engine.releaseQueued(REMOTE, 10), 0); // the large one waits for its delay
        _at(t + 366 days);
        assertEq(engine.releaseQueued(REMOTE, 10), 1);
        assertEq(_pending(), 0);
        assertEq(engine.windowUsed(REMOTE), 2_000_000);
    }

    function test_releaseQueuedUnknownChainRejected() public {
        vm.expectRevert(E.UnknownEmitter.selector);
        engine.releaseQueued(4242, 1);
    }

    /// @notice Random credits at random times: every 24 h interval admits at most the limit of
    ///         capacity-admitted credit, and every locked unit ends active or pending.
    function testFuzz_noWindowExceedsLimit(uint64[24] calldata amounts, uint16[24] calldata gaps) public {
        uint256[] memory at = new uint256[](200);
        uint256[] memory usd = new uint256[](200);
        uint256 n;
        uint256 total;
        vm.recordLogs();
        for (uint256 i; i < 24; ++i) {
            _at(t + (gaps[i] % 8 == 0 ? uint256(gaps[i]) * 2 : uint256(gaps[i]) % 7_200)); // mostly < 2 h apart
            uint128 amount = uint128(bound(amounts[i], 1, 1_000_000e6)); // at most largeTransfer
            total += amount;
            creditUsdc(alice, amount);
            engine.releaseQueued(REMOTE, 100);
            Vm.Log[] memory logs = vm.getRecordedLogs();
            for (uint256 k; k < logs.length; ++k) {
                if (logs[k].emitter != address(engine) || logs[k].topics[0] != CREDITED) continue;
                (, uint128 a) = abi.decode(logs[k].data, (uint8, uint128));
                (at[n], usd[n]) = (t, (uint256(a) + 1e6 - 1) / 1e6);
                ++n;
            }
        }
        for (uint256 i; i < n; ++i) {
            uint256 sum;
            for (uint256 j; j <= i; ++j) {
                if (at[j] + 86_400 > at[i]) sum += usd[j];
            }
            assertLe(sum, LIMIT, "a 24 h window admitted more than the limit");
        }
        (uint128 active, uint128 pending) = engine.balanceOf(toBytes32(alice), usdcId);
        assertEq(uint256(active) + pending, total);
    }
}
