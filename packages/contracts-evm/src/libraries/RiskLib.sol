// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IBulwarkErrors as E} from "../interfaces/IBulwarkErrors.sol";
import {MathLib} from "./MathLib.sol";

/// @title RiskLib — margin, trade and liquidation formulas (docs/protocol.md §7, §8)
/// @notice Pure functions over plain arrays; MarginEngine feeds them from storage and the vector
///         tests feed them from vectors/margin.json and vectors/liquidation.json, so both run the
///         same code. Values owed to the user round down, values owed by the user round up.
library RiskLib {
    using MathLib for uint256;

    uint256 internal constant WAD = 1e18;

    struct Collateral {
        uint256 amount;
        uint8 decimals;
        uint256 price;
        uint256 weight;
        uint256 pendingWeight;
        bool pending;
    }

    struct Position {
        int256 size;
        uint256 entryPrice;
        uint256 mark;
        uint256 imf;
        uint256 mmf;
        uint256 volMultiplier;
    }

    struct Health {
        uint256 collateralValue;
        int256 unrealizedPnl;
        int256 equity;
        uint256 imReq;
        uint256 mmReq;
        uint256 totalNotional;
        int256 health; // type(int256).max when mmReq == 0
    }

    struct LiquidationParams {
        uint256 closeFactor;
        uint256 fullLiquidationHealth;
        uint256 dustNotional;
        uint256 penaltyRate;
        uint256 liquidatorShare;
        uint256 targetHealth; // 0 = off (closeFactor); else the health a partial liquidation restores
    }

    struct Liquidation {
        uint256 fraction;
        uint256 closedNotional;
        int256 realizedPnl;
        uint256 penalty;
        uint256 penaltyCharged;
        uint256 liquidatorReward;
        uint256 insuranceFee;
        uint256 badDebt;
        uint256 covered;
        uint256 socialized;
        uint256 insuranceFundAfter;
        int256 settlementAfter;
    }

    function collateralValue(Collateral memory c) internal pure returns (uint256) {
        if (c.price == 0) revert E.InvalidPrice();
        if (c.decimals > 36) revert E.InvalidParameter();
        uint256 v = MathLib.mulDivDown(c.amount, c.price, 10 ** c.decimals);
        return v.wMulDown(c.pending ? c.pendingWeight : c.weight);
    }

    /// @notice floor(size * (mark - entry) / WAD).
    function pnl(int256 size, uint256 entry, uint256 mark) internal pure returns (int256) {
        int256 diff = MathLib.toInt(mark) - MathLib.toInt(entry);
        return MathLib.floorDiv(MathLib.sMul(size, diff), int256(WAD));
    }

    /// @notice ceil(|size| * mark / WAD).
    function notional(int256 size, uint256 mark) internal pure returns (uint256) {
        return MathLib.mulDivUp(MathLib.abs(size), mark, WAD);
    }

    function requirement(uint256 n, uint256 fraction, uint256 multiplier) internal pure returns (uint256) {
        return n.wMulUp(fraction).wMulUp(multiplier);
    }

    function validateMarket(Position memory p) internal pure {
        if (p.mark == 0 || p.entryPrice == 0) revert E.InvalidPrice();
        if (p.mmf == 0 || p.mmf > p.imf || p.imf > WAD || p.volMultiplier < WAD) revert E.InvalidParameter();
    }

    function evaluate(Collateral[] memory cs, Position[] memory ps, int256 settlement)
        internal
        pure
        returns (Health memory h)
    {
        for (uint256 i; i < cs.length; ++i) {
            h.collateralValue += collateralValue(cs[i]);
        }
        for (uint256 i; i < ps.length; ++i) {
            Position memory p = ps[i];
            if (p.size == 0) continue;
            validateMarket(p);
            h.unrealizedPnl += pnl(p.size, p.entryPrice, p.mark);
            uint256 n = notional(p.size, p.mark);
            h.totalNotional += n;
            h.imReq += requirement(n, p.imf, p.volMultiplier);
            h.mmReq += requirement(n, p.mmf, p.volMultiplier);
        }
        h.equity = MathLib.toInt(h.collateralValue) + settlement + h.unrealizedPnl;
        h.health = h.mmReq == 0
            ? type(int256).max
            : MathLib.floorDiv(MathLib.sMul(h.equity, int256(WAD)), MathLib.toInt(h.mmReq));
    }

    /// @notice Applies a trade of `delta` at `price` to (size, entry); returns the new size, entry and realized PnL.
    /// @dev Entry on increase is size-weighted, rounded up for longs and down for shorts.
    function applyTrade(int256 size, uint256 entry, int256 delta, uint256 price)
        internal
        pure
        returns (int256 newSize, uint256 newEntry, int256 realized)
    {
        if (delta == 0) revert E.ZeroAmount();
        if (price == 0) revert E.InvalidPrice();
        if (size == 0 || (size > 0) == (delta > 0)) {
            newSize = size + delta;
            uint256 num = MathLib.abs(size) * entry + MathLib.abs(delta) * price;
            newEntry = newSize > 0
                ? MathLib.mulDivUp(num, 1, MathLib.abs(newSize))
                : MathLib.mulDivDown(num, 1, MathLib.abs(newSize));
        } else {
            uint256 closing = MathLib.min(MathLib.abs(delta), MathLib.abs(size));
            int256 closedSigned = size > 0 ? int256(closing) : -int256(closing);
            realized = pnl(closedSigned, entry, price);
            newSize = size + delta;
            newEntry = MathLib.abs(delta) > MathLib.abs(size) ? price : entry;
        }
        if (newSize == 0) newEntry = 0;
    }

    /// @notice Trade fee: wMulUp(ceil(|delta| * price / WAD), feeRate).
    function tradeFee(int256 delta, uint256 price, uint256 feeRate) internal pure returns (uint256) {
        return notional(delta, price).wMulUp(feeRate);
    }

    /// @notice Closes the liquidation fraction of every position in place (sizes updated) and splits
    ///         the penalty. `before` is the account's health before; `cs` its collateral.
    function liquidate(
        Collateral[] memory cs,
        Position[] memory ps,
        int256 settlement,
        uint256 insuranceFund,
        LiquidationParams memory lp
    ) internal pure returns (Liquidation memory r) {
        Health memory before = evaluate(cs, ps, settlement);
        if (before.mmReq == 0 || before.health >= int256(WAD)) revert E.AccountHealthy();
        bool full = before.health < int256(lp.fullLiquidationHealth) || before.totalNotional <= lp.dustNotional;
        r.fraction = full ? WAD : lp.targetHealth == 0 ? lp.closeFactor : targetFraction(before, lp.targetHealth, lp.penaltyRate);
        int256 restPnl;
        for (uint256 i; i < ps.length; ++i) {
            Position memory p = ps[i];
            if (p.size == 0) continue;
            uint256 size = MathLib.abs(p.size);
            uint256 close = MathLib.min(size, MathLib.mulDivUp(size, r.fraction, WAD));
            int256 closeSigned = p.size < 0 ? -int256(close) : int256(close);
            // Realized = pnl(whole) - pnl(rest) (§8 step 3), not pnl(closed): the floors differ by a wei.
            int256 whole = pnl(p.size, p.entryPrice, p.mark);
            p.size -= closeSigned;
            int256 rest = pnl(p.size, p.entryPrice, p.mark);
            r.realizedPnl += whole - rest;
            restPnl += rest;
            r.closedNotional += MathLib.mulDivUp(close, p.mark, WAD);
        }
        settlement += r.realizedPnl;
        // equityAfterClose = collateralValue + settlement + remaining pnl (§8 step 4; collateral unchanged).
        int256 equity = MathLib.toInt(before.collateralValue) + settlement + restPnl;
        r.penalty = r.closedNotional.wMulUp(lp.penaltyRate);
        r.penaltyCharged = equity > 0 ? MathLib.min(r.penalty, uint256(equity)) : 0;
        settlement -= int256(r.penaltyCharged);
        r.liquidatorReward = r.penaltyCharged.wMulDown(lp.liquidatorShare);
        r.insuranceFee = r.penaltyCharged - r.liquidatorReward;
        r.insuranceFundAfter = insuranceFund + r.insuranceFee;
        equity -= int256(r.penaltyCharged);
        if (_noneOpen(ps) && equity < 0) {
            r.badDebt = uint256(-equity);
            r.covered = MathLib.min(r.insuranceFundAfter, r.badDebt);
            r.socialized = r.badDebt - r.covered;
            r.insuranceFundAfter -= r.covered;
            settlement += int256(r.badDebt);
        }
        r.settlementAfter = settlement;
    }

    /// @notice Smallest fraction of every position whose close restores `targetHealth` after the
    ///         penalty (docs/protocol.md §8): mulDivUp(target - equity, WAD, target - wMulUp(notional,
    ///         penaltyRate)) with target = wMulUp(targetHealth, mmReq), at most WAD, WAD when the
    ///         denominator is <= 0. Every rounding closes more. Called below health 1 (equity < target).
    function targetFraction(Health memory h, uint256 targetHealth, uint256 penaltyRate) internal pure returns (uint256 f) {
        uint256 target = targetHealth.wMulUp(h.mmReq);
        uint256 all = h.totalNotional.wMulUp(penaltyRate);
        if (target <= all) return WAD;
        f = MathLib.mulDivUp(uint256(MathLib.toInt(target) - h.equity), WAD, target - all);
        if (f > WAD) f = WAD;
    }

    /// @notice Reverts InvalidParameter when a target health is set and targetHealth * mmf <=
    ///         penaltyRate * WAD (exact), i.e. a liquidation in a market of this mmf would not raise
    ///         health. The caller has checked targetHealth < 2^128 and mmf, penaltyRate <= WAD.
    function checkTarget(uint256 targetHealth, uint256 penaltyRate, uint256 mmf) internal pure {
        unchecked {
            if (targetHealth != 0 && targetHealth * mmf <= penaltyRate * WAD) revert E.InvalidParameter();
        }
    }

    function _noneOpen(Position[] memory ps) private pure returns (bool) {
        for (uint256 i; i < ps.length; ++i) {
            if (ps[i].size != 0) return false;
        }
        return true;
    }
}
