// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

import {Test} from "forge-std/Test.sol";

contract ToolchainTest is Test {
    function test_compilerAndCheatcodes() public {
        vm.warp(1000);
        assertEq(block.timestamp, 1000);
    }
}
