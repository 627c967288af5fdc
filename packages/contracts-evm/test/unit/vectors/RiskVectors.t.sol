// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {VectorBase} from "../../utils/VectorBase.sol";
import {RiskHarness as H} from "../../utils/RiskHarness.sol";
import {RiskLib} from "../../../src/libraries/RiskLib.sol";

/// @notice vectors/margin.json and vectors/liquidation.json (adl cases are core-only: the chain records socializedLoss).
contract RiskVectorsTest is VectorBase {
    H internal h = new H();

    function _n(string memory arr) internal view returns (uint256 n) {
        while (has(string.concat(arr, "[", vm.toString(n), "]"))) ++n;
    }

    function _at(string memory arr, uint256 k, string memory f) internal pure returns (string memory) {
        return string.concat(arr, "[", vm.toString(k), "].", f);
    }

    function _ctx(string memory in_) internal view returns (H.Ctx memory c) {
        string memory a = string.concat(in_, ".assets");
        c.assets = new H.AssetIn[](_n(a));
        for (uint256 k; k < c.assets.length; ++k) {
            c.assets[k] = H.AssetIn(uint8(u(_at(a, k, "decimals"))), u(_at(a, k, "price")), u(_at(a, k, "weight")), u(_at(a, k, "pendingWeight")));
        }
        string memory m = string.concat(in_, ".markets");
        c.markets = new H.MarketIn[](_n(m));
        for (uint256 k; k < c.markets.length; ++k) {
            c.markets[k] = H.MarketIn(u(_at(m, k, "markPrice")), u(_at(m, k, "imf")), u(_at(m, k, "mmf")), u(_at(m, k, "volMultiplier")));
        }
    }

    function _account(string memory acc) internal view returns (H.CollIn[] memory cs, H.PosIn[] memory ps, int256 s) {
        string memory c = string.concat(acc, ".collateral");
        cs = new H.CollIn[](_n(c));
        for (uint256 k; k < cs.length; ++k) {
            cs[k] = H.CollIn(u(_at(c, k, "asset")), u(_at(c, k, "amount")), vm.parseJsonBool(json, _at(c, k, "pending")));
        }
        string memory p = string.concat(acc, ".positions");
        ps = new H.PosIn[](_n(p));
        for (uint256 k; k < ps.length; ++k) {
            ps[k] = H.PosIn(u(_at(p, k, "market")), i(_at(p, k, "size")), u(_at(p, k, "entryPrice")));
        }
        s = i(string.concat(acc, ".settlement"));
    }

    function _health(string memory o, RiskLib.Health memory g, string memory name) internal view {
        assertEq(g.collateralValue, u(string.concat(o, ".collateralValue")), name);
        assertEq(g.unrealizedPnl, i(string.concat(o, ".unrealizedPnl")), name);
        assertEq(g.equity, i(string.concat(o, ".equity")), name);
        assertEq(g.imReq, u(string.concat(o, ".imReq")), name);
        assertEq(g.mmReq, u(string.concat(o, ".mmReq")), name);
        assertEq(g.totalNotional, u(string.concat(o, ".totalNotional")), name);
        _healthValue(string.concat(o, ".health"), g.health, name);
    }

    function _healthValue(string memory path, int256 got, string memory name) internal view {
        if (keccak256(bytes(str(path))) == keccak256("max")) assertEq(got, type(int256).max, name);
        else assertEq(got, i(path), name);
    }

    function _positions(string memory acc, H.PosIn[] memory ps, string memory name) internal view {
        string memory p = string.concat(acc, ".positions");
        assertEq(ps.length, _n(p), name);
        for (uint256 k; k < ps.length; ++k) {
            assertEq(ps[k].market, u(_at(p, k, "market")), name);
            assertEq(ps[k].size, i(_at(p, k, "size")), name);
            assertEq(ps[k].entryPrice, u(_at(p, k, "entryPrice")), name);
        }
    }

    function _collateral(string memory acc, H.CollIn[] memory cs, string memory name) internal view {
        string memory c = string.concat(acc, ".collateral");
        uint256 n;
        for (uint256 k; k < cs.length; ++k) {
            if (cs[k].amount == 0) continue; // core drops emptied entries
            assertEq(cs[k].asset, u(_at(c, n, "asset")), name);
            assertEq(cs[k].amount, u(_at(c, n, "amount")), name);
            ++n;
        }
        assertEq(n, _n(c), name);
    }

    function test_everyMarginVector() public {
        load("margin");
        uint256 n = caseCount();
        assertGt(n, 0);
        for (uint256 k; k < n; ++k) {
            string memory p = casePath(k);
            string memory name = str(string.concat(p, ".name"));
            string memory in_ = string.concat(p, ".input");
            H.Ctx memory c = _ctx(in_);
            (H.CollIn[] memory cs, H.PosIn[] memory ps, int256 s) = _account(string.concat(in_, ".account"));
            bytes32 op = keccak256(bytes(str(string.concat(p, ".op"))));
            bytes memory call;
            if (op == keccak256("evaluate")) {
                call = abi.encodeCall(h.evaluate, (c, cs, ps, s));
            } else if (op == keccak256("trade")) {
                call = abi.encodeCall(h.trade, (c, cs, ps, s, u(string.concat(in_, ".market")), i(string.concat(in_, ".sizeDelta")), u(string.concat(in_, ".feeRate"))));
            } else {
                call = abi.encodeCall(h.withdraw, (c, cs, ps, s, u(string.concat(in_, ".asset")), u(string.concat(in_, ".amount"))));
            }
            (bool ok, bytes memory ret) = address(h).staticcall(call);
            if (!checkOutcome(p, ok, ret)) continue;
            string memory o = string.concat(p, ".output");
            if (op == keccak256("evaluate")) {
                _health(o, abi.decode(ret, (RiskLib.Health)), name);
            } else if (op == keccak256("trade")) {
                (H.PosIn[] memory after_, int256 s2, uint256 fee, int256 realized, RiskLib.Health memory g) = abi.decode(ret, (H.PosIn[], int256, uint256, int256, RiskLib.Health));
                _positions(string.concat(o, ".account"), after_, name);
                assertEq(s2, i(string.concat(o, ".account.settlement")), name);
                assertEq(fee, u(string.concat(o, ".fee")), name);
                assertEq(realized, i(string.concat(o, ".realizedPnl")), name);
                _health(string.concat(o, ".health"), g, name);
            } else {
                (H.CollIn[] memory after_, RiskLib.Health memory g) = abi.decode(ret, (H.CollIn[], RiskLib.Health));
                _collateral(string.concat(o, ".account"), after_, name);
                _health(string.concat(o, ".health"), g, name);
            }
        }
    }

    function test_everyLiquidationVector() public {
        load("liquidation");
        uint256 n = caseCount();
        uint256 ran;
        for (uint256 k; k < n; ++k) {
            string memory p = casePath(k);
            if (keccak256(bytes(str(string.concat(p, ".op")))) != keccak256("liquidate")) continue; // adl: core-only
            ++ran;
            string memory name = str(string.concat(p, ".name"));
            string memory in_ = string.concat(p, ".input");
            H.Ctx memory c = _ctx(in_);
            (H.CollIn[] memory cs, H.PosIn[] memory ps, int256 s) = _account(string.concat(in_, ".account"));
            string memory pp = string.concat(in_, ".params");
            RiskLib.LiquidationParams memory lp = RiskLib.LiquidationParams(u(string.concat(pp, ".closeFactor")), u(string.concat(pp, ".fullLiquidationHealth")), u(string.concat(pp, ".dustNotional")), u(string.concat(pp, ".penaltyRate")), u(string.concat(pp, ".liquidatorShare")), has(string.concat(pp, ".targetHealth")) ? u(string.concat(pp, ".targetHealth")) : 0);
            (bool ok, bytes memory ret) = address(h).staticcall(abi.encodeCall(h.liquidate, (c, cs, ps, s, u(string.concat(in_, ".insuranceFund")), lp)));
            if (!checkOutcome(p, ok, ret)) continue;
            (RiskLib.Liquidation memory r, H.PosIn[] memory after_, RiskLib.Health memory hb, RiskLib.Health memory ha) = abi.decode(ret, (RiskLib.Liquidation, H.PosIn[], RiskLib.Health, RiskLib.Health));
            string memory o = string.concat(p, ".output");
            _positions(string.concat(o, ".account"), after_, name);
            assertEq(r.settlementAfter, i(string.concat(o, ".account.settlement")), name);
            _healthValue(string.concat(o, ".healthBefore"), hb.health, name);
            _healthValue(string.concat(o, ".healthAfter"), ha.health, name);
            assertEq(hb.equity, i(string.concat(o, ".equityBefore")), name);
            assertEq(ha.equity, i(string.concat(o, ".equityAfter")), name);
            assertEq(r.fraction, u(string.concat(o, ".fraction")), name);
            assertEq(r.closedNotional, u(string.concat(o, ".closedNotional")), name);
            assertEq(r.realizedPnl, i(string.concat(o, ".realizedPnl")), name);
            assertEq(r.penalty, u(string.concat(o, ".penalty")), name);
            assertEq(r.penaltyCharged, u(string.concat(o, ".penaltyCharged")), name);
            assertEq(r.liquidatorReward, u(string.concat(o, ".liquidatorReward")), name);
            assertEq(r.insuranceFee, u(string.concat(o, ".insuranceFee")), name);
            assertEq(r.badDebt, u(string.concat(o, ".badDebt")), name);
            assertEq(r.covered, u(string.concat(o, ".covered")), name);
            assertEq(r.socialized, u(string.concat(o, ".socialized")), name);
            assertEq(r.insuranceFundAfter, u(string.concat(o, ".insuranceFundAfter")), name);
        }
        assertGt(ran, 0);
    }
}
