// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IBulwarkErrors as E} from "../interfaces/IBulwarkErrors.sol";

/// @title CodeStore — immutable data kept as contract code (read with EXTCODECOPY)
/// @notice A guardian set is written once and read on every VAA. As code it costs one cold
///         account access (2,600 gas) plus a few words of copying, instead of one cold SLOAD
///         (2,100 gas) per guardian. The stored runtime is `0x00 || data` so it cannot be called.
library CodeStore {
    /// @notice Deploys `data` as code and returns the pointer.
    function write(bytes memory data) internal returns (address ptr) {
        uint256 size = data.length + 1;
        // initcode: PUSH2 size, DUP1, PUSH1 0x0a, RETURNDATASIZE, CODECOPY, RETURNDATASIZE, RETURN, then 0x00 || data
        bytes memory init = abi.encodePacked(hex"61", uint16(size), hex"80600a3d393df300", data);
        assembly ("memory-safe") {
            ptr := create(0, add(init, 32), mload(init))
        }
        if (ptr == address(0)) revert E.InvalidParameter();
    }

    /// @notice Copies `len` bytes starting at data offset `start` into memory at `dest`.
    function copyTo(address ptr, uint256 start, uint256 len, uint256 dest) internal view {
        assembly ("memory-safe") {
            extcodecopy(ptr, dest, add(start, 1), len)
        }
    }
}
