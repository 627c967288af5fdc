// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {RiskLib} from "../../src/libraries/RiskLib.sol";
import {MathLib} from "../../src/libraries/MathLib.sol";
import {IBulwarkErrors as E} from "../../src/interfaces/IBulwarkErrors.sol";

/// @notice Composes RiskLib exactly as MarginEngine does, over the vector's plain account shape.
contract RiskHarness {
    struct AssetIn {
        uint8 decimals;
        uint256 price;
        uint256 weight;
        uint256 pendingWeight;
    }

    struct MarketIn {
        uint256 markPrice;
        uint256 imf;
        uint256 mmf;
        uint256 volMultiplier;
    }

    struct CollIn {
        uint256 asset;
        uint256 amount;
        bool pending;
    }

    struct PosIn {
        uint256 market;
        int256 size;
        uint256 entryPrice;
    }

    struct Ctx {
        AssetIn[] assets;
        MarketIn[] markets;
    }

    function _cs(Ctx memory c, CollIn[] memory cs) internal pure returns (RiskLib.Collateral[] memory out) {
        out = new RiskLib.Collateral[](cs.length);
        for (uint256 i; i < cs.length; ++i) {
            if (cs[i].asset >= c.assets.length) revert E.UnknownAsset();
            AssetIn memory a = c.assets[cs[i].asset];
            out[i] = RiskLib.Collateral(cs[i].amount, a.decimals, a.price, a.weight, a.pendingWeight, cs[i].pending);
        }
    }

    function _ps(Ctx memory c, PosIn[] memory ps) internal pure returns (RiskLib.Position[] memory out) {
        out = new RiskLib.Position[](ps.length);
        for (uint256 i; i < ps.length; ++i) {
            if (ps[i].entryPrice == 0) revert E.InvalidPrice();
            if (ps[i].market >= c.markets.length) revert E.UnknownMarket();
            MarketIn memory m = c.markets[ps[i].market];
            out[i] = RiskLib.Position(ps[i].size, ps[i].entryPrice, m.markPrice, m.imf, m.mmf, m.volMultiplier);
        }
    }

    function evaluate(Ctx memory c, CollIn[] memory cs, PosIn[] memory ps, int256 settlement)
        public
        pure
        returns (RiskLib.Health memory)
    {
        RiskLib.Position[] memory p = _ps(c, ps);
        return RiskLib.evaluate(_cs(c, cs), p, settlement);
    }

    /// @dev Same steps as MarginEngine.trade.
    function trade(Ctx memory c, CollIn[] memory cs, PosIn[] memory ps, int256 settlement, uint256 market, int256 delta, uint256 feeRate)
        external
        pure
        returns (PosIn[] memory, int256, uint256 fee, int256 realized, RiskLib.Health memory h)
    {
        if (delta == 0) revert E.ZeroAmount();
        if (market >= c.markets.length) revert E.UnknownMarket();
        uint256 price = c.markets[market].markPrice;
        uint256 k = ps.length;
        for (uint256 i; i < ps.length; ++i) {
            if (ps[i].market == market) k = i;
        }
        if (k == ps.length) {
            PosIn[] memory grown = new PosIn[](ps.length + 1);
            for (uint256 i; i < ps.length; ++i) {
                grown[i] = ps[i];
            }
            grown[k] = PosIn(market, 0, price);
            ps = grown;
        }
        int256 old = ps[k].size;
        (int256 size, uint256 entry, int256 r) = RiskLib.applyTrade(old, old == 0 ? 0 : ps[k].entryPrice, delta, price);
        realized = r;
        fee = RiskLib.tradeFee(delta, price, feeRate);
        settlement += realized - MathLib.toInt(fee);
        ps[k].size = size;
        ps[k].entryPrice = size == 0 ? price : entry;
        ps = _compact(ps);
        h = evaluate(c, cs, ps, settlement);
        bool adds = MathLib.abs(size) > MathLib.abs(old) || (old != 0 && size != 0 && (size > 0) != (old > 0));
        if (adds && h.equity < MathLib.toInt(h.imReq)) revert E.InsufficientMargin();
        return (ps, settlement, fee, realized, h);
    }

    /// @dev Same steps as MarginEngine.requestWithdrawal.
    function withdraw(Ctx memory c, CollIn[] memory cs, PosIn[] memory ps, int256 settlement, uint256 asset, uint256 amount)
        external
        pure
        returns (CollIn[] memory, RiskLib.Health memory h)
    {
        if (amount == 0) revert E.ZeroAmount();
        if (asset >= c.assets.length) revert E.UnknownAsset();
        uint256 held;
        uint256 k = type(uint256).max;
        for (uint256 i; i < cs.length; ++i) {
            if (cs[i].asset == asset && !cs[i].pending) (held, k) = (cs[i].amount, i);
        }
        if (amount > held) revert E.InsufficientCollateral();
        cs[k].amount -= amount;
        h = evaluate(c, cs, ps, settlement);
        if (h.equity < MathLib.toInt(h.imReq)) revert E.InsufficientMargin();
        return (cs, h);
    }

    function liquidate(Ctx memory c, CollIn[] memory cs, PosIn[] memory ps, int256 settlement, uint256 fund, RiskLib.LiquidationParams memory lp)
        external
        pure
        returns (RiskLib.Liquidation memory r, PosIn[] memory after_, RiskLib.Health memory hb, RiskLib.Health memory ha)
    {
        if (
            lp.closeFactor == 0 || lp.closeFactor > 1e18 || lp.fullLiquidationHealth > 1e18 || lp.penaltyRate > 1e18 || lp.liquidatorShare > 1e18
                || (lp.targetHealth != 0 && (lp.targetHealth < 1e18 || lp.targetHealth >> 128 != 0))
        ) revert E.InvalidParameter(); // as setLiquidationParams
        for (uint256 i; i < c.markets.length; ++i) {
            RiskLib.checkTarget(lp.targetHealth, lp.penaltyRate, c.markets[i].mmf); // configuration check, as setLiquidationParams
        }
        RiskLib.Collateral[] memory rc = _cs(c, cs);
        RiskLib.Position[] memory rp = _ps(c, ps);
        hb = RiskLib.evaluate(rc, rp, settlement);
        r = RiskLib.liquidate(rc, rp, settlement, fund, lp);
        for (uint256 i; i < ps.length; ++i) {
            ps[i].size = rp[i].size;
        }
        after_ = _compact(ps);
        ha = evaluate(c, cs, after_, r.settlementAfter);
    }

    function _compact(PosIn[] memory ps) internal pure returns (PosIn[] memory out) {
        uint256 n;
        for (uint256 i; i < ps.length; ++i) {
            if (ps[i].size != 0) ++n;
        }
        out = new PosIn[](n);
        n = 0;
        for (uint256 i; i < ps.length; ++i) {
            if (ps[i].size != 0) out[n++] = ps[i];
        }
    }
}
