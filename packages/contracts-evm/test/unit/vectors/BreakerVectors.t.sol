// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {VectorBase} from "../../utils/VectorBase.sol";
import {BreakerLib} from "../../../src/libraries/BreakerLib.sol";

contract BreakerHarness {
    function price(BreakerLib.State memory s, uint256 t, uint256 p, BreakerLib.Params memory bp) external pure returns (BreakerLib.State memory) {
        BreakerLib.onPrice(s, t, p, bp);
        return s;
    }

    function tick(BreakerLib.State memory s, uint256 t, BreakerLib.Params memory bp) external pure returns (BreakerLib.State memory) {
        BreakerLib.tick(s, t, bp);
        return s;
    }

    function check(BreakerLib.State memory s, uint8 op, uint256 t) external pure {
        BreakerLib.check(s, op, t);
    }
}

contract BreakerVectorsTest is VectorBase {
    BreakerHarness internal h = new BreakerHarness();

    function _op(string memory name) internal pure returns (uint8) {
        bytes32 k = keccak256(bytes(name));
        if (k == keccak256("open")) return BreakerLib.OP_OPEN;
        if (k == keccak256("close")) return BreakerLib.OP_CLOSE;
        if (k == keccak256("withdraw")) return BreakerLib.OP_WITHDRAW;
        if (k == keccak256("credit")) return BreakerLib.OP_CREDIT;
        if (k == keccak256("lock")) return BreakerLib.OP_LOCK;
        if (k == keccak256("liquidate")) return BreakerLib.OP_LIQUIDATE;
        revert("unknown op in vector");
    }

    function _assertState(string memory r, BreakerLib.State memory s, string memory name) internal view {
        assertEq(s.status, u(string.concat(r, ".status")), name);
        assertEq(s.refPrice, u(string.concat(r, ".refPrice")), name);
        assertEq(s.refTime, u(string.concat(r, ".refTime")), name);
        assertEq(s.lastPrice, u(string.concat(r, ".lastPrice")), name);
        assertEq(s.lastUpdate, u(string.concat(r, ".lastUpdate")), name);
        assertEq(s.since, u(string.concat(r, ".since")), name);
        assertEq(s.graceUntil, u(string.concat(r, ".graceUntil")), name);
    }

    function test_everyBreakerVector() public {
        load("breaker");
        uint256 n = caseCount();
        assertGt(n, 0);
        for (uint256 k; k < n; ++k) {
            string memory p = casePath(k);
            string memory name = str(string.concat(p, ".name"));
            string memory pp = string.concat(p, ".input.params");
            BreakerLib.Params memory bp = BreakerLib.Params(uint64(u(string.concat(pp, ".maxMoveBps"))), uint32(u(string.concat(pp, ".window"))), uint32(u(string.concat(pp, ".haltDuration"))), uint32(u(string.concat(pp, ".cooldown"))), uint32(u(string.concat(pp, ".maxOracleGap"))), uint32(u(string.concat(pp, ".liquidationGrace"))));
            BreakerLib.State memory s;
            for (uint256 e; has(string.concat(p, ".input.events[", vm.toString(e), "]")); ++e) {
                string memory ev = string.concat(p, ".input.events[", vm.toString(e), "]");
                string memory res = string.concat(p, ".output.results[", vm.toString(e), "]");
                bytes32 kind = keccak256(bytes(str(string.concat(ev, ".kind"))));
                uint256 t = u(string.concat(ev, ".t"));
                bytes memory call = kind == keccak256("price")
                    ? abi.encodeCall(h.price, (s, t, u(string.concat(ev, ".price")), bp))
                    : kind == keccak256("tick")
                        ? abi.encodeCall(h.tick, (s, t, bp))
                        : abi.encodeCall(h.check, (s, _op(str(string.concat(ev, ".op"))), t));
                (bool ok, bytes memory ret) = address(h).staticcall(call);
                string memory label = string.concat(name, " event ", vm.toString(e));
                if (has(string.concat(res, ".error"))) {
                    assertFalse(ok, label);
                    assertEq(bytes4(ret), selectorOf(str(string.concat(res, ".error"))), label);
                } else {
                    assertTrue(ok, label);
                    if (kind != keccak256("check")) s = abi.decode(ret, (BreakerLib.State));
                }
                _assertState(string.concat(res, ".state"), s, label);
            }
        }
    }
}
