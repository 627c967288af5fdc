// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IBulwarkErrors as E} from "../interfaces/IBulwarkErrors.sol";

/// @title MathLib — protocol fixed-point arithmetic (docs/protocol.md §1)
/// @notice Rounding direction is in every name. Values owed to a user round down, values owed
///         by a user round up. Failures raise the shared names Overflow / Underflow / DivisionByZero.
library MathLib {
    uint256 internal constant WAD = 1e18;

    /// @notice floor(a*b/d) with a 512-bit intermediate product.
    function mulDivDown(uint256 a, uint256 b, uint256 d) internal pure returns (uint256 r) {
        if (d == 0) revert E.DivisionByZero();
        uint256 lo;
        uint256 hi;
        assembly ("memory-safe") {
            let mm := mulmod(a, b, not(0))
            lo := mul(a, b)
            hi := sub(sub(mm, lo), lt(mm, lo))
        }
        if (hi == 0) return lo / d;
        if (hi >= d) revert E.Overflow();
        unchecked {
            uint256 rem;
            assembly ("memory-safe") {
                rem := mulmod(a, b, d)
                hi := sub(hi, gt(rem, lo))
                lo := sub(lo, rem)
            }
            // Divide out the largest power of two dividing d, then multiply by d's inverse mod 2^256.
            uint256 twos = d & (0 - d);
            assembly ("memory-safe") {
                d := div(d, twos)
                lo := div(lo, twos)
                twos := add(div(sub(0, twos), twos), 1)
            }
            lo |= hi * twos;
            uint256 inv = (3 * d) ^ 2; // correct to 4 bits
            inv *= 2 - d * inv; // 8
            inv *= 2 - d * inv; // 16
            inv *= 2 - d * inv; // 32
            inv *= 2 - d * inv; // 64
            inv *= 2 - d * inv; // 128
            inv *= 2 - d * inv; // 256
            r = lo * inv;
        }
    }

    /// @notice ceil(a*b/d) with a 512-bit intermediate product.
    function mulDivUp(uint256 a, uint256 b, uint256 d) internal pure returns (uint256 r) {
        r = mulDivDown(a, b, d);
        if (mulmod(a, b, d) != 0) {
            if (r == type(uint256).max) revert E.Overflow();
            unchecked {
                ++r;
            }
        }
    }

    function wMulDown(uint256 a, uint256 b) internal pure returns (uint256) {
        return mulDivDown(a, b, WAD);
    }

    function wMulUp(uint256 a, uint256 b) internal pure returns (uint256) {
        return mulDivUp(a, b, WAD);
    }

    function wDivDown(uint256 a, uint256 b) internal pure returns (uint256) {
        return mulDivDown(a, WAD, b);
    }

    function wDivUp(uint256 a, uint256 b) internal pure returns (uint256) {
        return mulDivUp(a, WAD, b);
    }

    /// @notice Integer floor square root.
    function sqrtDown(uint256 x) internal pure returns (uint256 z) {
        if (x == 0) return 0;
        unchecked {
            uint256 bits;
            uint256 y = x;
            while (y > 1) {
                y >>= 1;
                ++bits;
            }
            z = uint256(1) << ((bits >> 1) + 1); // z > sqrt(x)
            uint256 next = (z + x / z) >> 1;
            while (next < z) {
                z = next;
                next = (z + x / z) >> 1;
            }
        }
    }

    function checkedAdd(uint256 a, uint256 b) internal pure returns (uint256 c) {
        unchecked {
            c = a + b;
        }
        if (c < a) revert E.Overflow();
    }

    function checkedSub(uint256 a, uint256 b) internal pure returns (uint256) {
        if (b > a) revert E.Underflow();
        unchecked {
            return a - b;
        }
    }

    function checkedMul(uint256 a, uint256 b) internal pure returns (uint256 c) {
        if (a == 0) return 0;
        unchecked {
            c = a * b;
        }
        if (c / a != b) revert E.Overflow();
    }

    /// @notice Signed division rounding toward negative infinity (a loss is never understated).
    function floorDiv(int256 a, int256 b) internal pure returns (int256 q) {
        if (b == 0) revert E.DivisionByZero();
        if (a == type(int256).min && b == -1) revert E.Overflow();
        q = a / b;
        if ((a % b != 0) && ((a < 0) != (b < 0))) q -= 1;
    }

    /// @notice Signed multiply with the shared Overflow name instead of a panic.
    function sMul(int256 a, int256 b) internal pure returns (int256 c) {
        if (a == 0 || b == 0) return 0;
        unchecked {
            c = a * b;
        }
        if ((a == -1 && b == type(int256).min) || (b == -1 && a == type(int256).min) || c / b != a) {
            revert E.Overflow();
        }
    }

    function toInt(uint256 x) internal pure returns (int256) {
        if (x > uint256(type(int256).max)) revert E.Overflow();
        return int256(x);
    }

    function abs(int256 x) internal pure returns (uint256) {
        unchecked {
            return x < 0 ? uint256(-(x + 1)) + 1 : uint256(x);
        }
    }

    function min(uint256 a, uint256 b) internal pure returns (uint256) {
        return a < b ? a : b;
    }
}
