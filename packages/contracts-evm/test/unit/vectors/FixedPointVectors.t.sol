// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {VectorBase} from "../../utils/VectorBase.sol";
import {MathLib} from "../../../src/libraries/MathLib.sol";

contract FixedPointHarness {
    function run(bytes32 op, uint256 a, uint256 b, uint256 d) external pure returns (uint256) {
        if (op == "mulDivDown") return MathLib.mulDivDown(a, b, d);
        if (op == "mulDivUp") return MathLib.mulDivUp(a, b, d);
        if (op == "wMulDown") return MathLib.wMulDown(a, b);
        if (op == "wMulUp") return MathLib.wMulUp(a, b);
        if (op == "wDivDown") return MathLib.wDivDown(a, b);
        if (op == "wDivUp") return MathLib.wDivUp(a, b);
        if (op == "sqrtDown") return MathLib.sqrtDown(a);
        if (op == "checkedAdd") return MathLib.checkedAdd(a, b);
        if (op == "checkedSub") return MathLib.checkedSub(a, b);
        if (op == "checkedMul") return MathLib.checkedMul(a, b);
        revert("unknown op");
    }
}

contract FixedPointVectorsTest is VectorBase {
    FixedPointHarness internal h = new FixedPointHarness();

    function test_everyFixedPointVector() public {
        load("fixed_point");
        uint256 n = caseCount();
        assertGt(n, 0);
        for (uint256 k; k < n; ++k) {
            string memory p = casePath(k);
            string memory op = str(string.concat(p, ".op"));
            uint256 a = u(string.concat(p, ".input.a"));
            uint256 b = has(string.concat(p, ".input.b")) ? u(string.concat(p, ".input.b")) : 0;
            uint256 d = has(string.concat(p, ".input.d")) ? u(string.concat(p, ".input.d")) : 0;
            (bool ok, bytes memory ret) = address(h).staticcall(abi.encodeCall(h.run, (bytes32(bytes(op)), a, b, d)));
            if (checkOutcome(p, ok, ret)) {
                assertEq(abi.decode(ret, (uint256)), u(string.concat(p, ".output.result")), str(string.concat(p, ".name")));
            }
        }
    }
}
