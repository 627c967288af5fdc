// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import {MathLib} from "../../src/libraries/MathLib.sol";
import {RiskLib} from "../../src/libraries/RiskLib.sol";

contract MathLibFuzzTest is Test {
    /// @notice Matches plain a*b/d whenever the product fits in 256 bits.
    function testFuzz_mulDivMatchesNarrowProduct(uint128 a, uint128 b, uint256 d) public pure {
        d = bound(d, 1, type(uint256).max);
        uint256 p = uint256(a) * b;
        assertEq(MathLib.mulDivDown(a, b, d), p / d);
        assertEq(MathLib.mulDivUp(a, b, d), p / d + (p % d == 0 ? 0 : 1));
    }

    /// @notice Wide products: floor(a*b/d) * d <= a*b < (floor + 1) * d, checked through the identity
    ///         mulDivDown(a, b, d) == mulDivDown(b, a, d) and monotonicity in d.
    function testFuzz_mulDivWideIsSymmetricAndMonotone(uint256 a, uint256 b, uint256 d) public view {
        d = bound(d, 1, type(uint256).max - 1);
        try this.down(a, b, d) returns (uint256 r) {
            assertEq(r, MathLib.mulDivDown(b, a, d));
            assertLe(MathLib.mulDivDown(a, b, d + 1), r);
            uint256 up = MathLib.mulDivUp(a, b, d);
            assertTrue(up == r || up == r + 1);
        } catch (bytes memory err) {
            assertEq(bytes4(err), bytes4(keccak256("Overflow()")));
        }
    }

    function down(uint256 a, uint256 b, uint256 d) external pure returns (uint256) {
        return MathLib.mulDivDown(a, b, d);
    }

    function testFuzz_sqrtDownIsFloor(uint256 x) public pure {
        uint256 r = MathLib.sqrtDown(x);
        assertLe(r * r, x);
        if (r < type(uint128).max) assertGt((r + 1) * (r + 1), x);
    }

    /// @notice PnL floors toward -inf: a loss is never understated, a gain never overstated.
    function testFuzz_pnlRoundsAgainstTheUser(int96 size, uint96 entry, uint96 mark) public pure {
        vm.assume(entry > 0 && mark > 0);
        int256 p = RiskLib.pnl(size, entry, mark);
        int256 exact = int256(size) * (int256(uint256(mark)) - int256(uint256(entry)));
        assertLe(p * 1e18, exact);
        assertGt((p + 1) * 1e18, exact);
    }
}
