// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IBulwarkErrors as E} from "../interfaces/IBulwarkErrors.sol";

/// @title BreakerLib — per-market circuit breaker (docs/protocol.md §9)
library BreakerLib {
    uint8 internal constant NORMAL = 0;
    uint8 internal constant HALTED = 1;
    uint8 internal constant COOLDOWN = 2;

    // operations (bit positions match the pause bits of §9)
    uint8 internal constant OP_LOCK = 1;
    uint8 internal constant OP_CREDIT = 2;
    uint8 internal constant OP_WITHDRAW = 4;
    uint8 internal constant OP_OPEN = 8;
    uint8 internal constant OP_LIQUIDATE = 16;
    uint8 internal constant OP_CLOSE = 32;

    struct Params {
        uint64 maxMoveBps;
        uint32 window;
        uint32 haltDuration;
        uint32 cooldown;
        uint32 maxOracleGap;
        uint32 liquidationGrace;
    }

    struct State {
        uint8 status;
        uint128 refPrice;
        uint64 refTime;
        uint128 lastPrice;
        uint64 lastUpdate;
        uint64 since;
        uint64 graceUntil;
    }

    function tick(State memory s, uint256 t, Params memory p) internal pure {
        // A report may carry a publish time slightly ahead of the block (within maxFuture): then there is no gap.
        uint256 gap = t > s.lastUpdate ? t - s.lastUpdate : 0;
        if (s.status == NORMAL && s.lastUpdate != 0 && gap > p.maxOracleGap) {
            s.status = HALTED;
            s.since = uint64(t);
        }
        if (s.status == HALTED && t >= uint256(s.since) + p.haltDuration && gap <= p.maxOracleGap) {
            s.status = COOLDOWN;
            s.since = uint64(t);
        }
        if (s.status == COOLDOWN && t >= uint256(s.since) + p.cooldown) {
            s.status = NORMAL;
            s.since = uint64(t);
            s.graceUntil = uint64(t + p.liquidationGrace);
            s.refPrice = s.lastPrice;
            s.refTime = uint64(t);
        }
    }

    function onPrice(State memory s, uint256 t, uint256 price, Params memory p) internal pure {
        if (price == 0 || price > type(uint128).max) revert E.InvalidPrice();
        if (t <= s.lastUpdate) revert E.StaleUpdate();
        tick(s, t, p);
        if (s.refTime == 0 || t - s.refTime > p.window) {
            s.refPrice = s.lastPrice == 0 ? uint128(price) : s.lastPrice;
            s.refTime = s.lastUpdate == 0 ? uint64(t) : s.lastUpdate;
        }
        uint256 move = price > s.refPrice ? price - s.refPrice : s.refPrice - price;
        if (s.status == NORMAL && move * 10_000 > uint256(p.maxMoveBps) * s.refPrice) {
            s.status = HALTED;
            s.since = uint64(t);
        }
        s.lastPrice = uint128(price);
        s.lastUpdate = uint64(t);
    }

    /// @notice Reverts MarketHalted when `status` forbids `op`, GracePeriod for a liquidation in the grace window.
    function check(State memory s, uint8 op, uint256 t) internal pure {
        uint256 allowed = s.status == NORMAL
            ? 63
            : s.status == HALTED ? (OP_CREDIT | OP_LOCK) : (OP_CLOSE | OP_WITHDRAW | OP_CREDIT | OP_LOCK);
        if (allowed & op == 0) revert E.MarketHalted();
        if (op == OP_LIQUIDATE && t < s.graceUntil) revert E.GracePeriod();
    }
}
