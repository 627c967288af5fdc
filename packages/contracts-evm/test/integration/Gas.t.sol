// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {BulwarkFixture} from "../utils/BulwarkFixture.sol";

/// @notice Gas of the hot paths, written to snapshots/GasTest.json by `forge test` / `forge snapshot`.
///         Storage is cooled before each measured call so it costs what a fresh transaction pays;
///         `tx_*` entries add the intrinsic cost (21,000 + calldata) of sending that call alone.
///         The bench script (scripts/bench-gas.ts) measures the same flows from anvil receipts.
contract GasTest is BulwarkFixture {
    address internal alice = address(0xA11CE);

    function _intrinsic(bytes memory data) internal pure returns (uint256 g) {
        g = 21_000;
        for (uint256 i; i < data.length; ++i) {
            g += data[i] == 0 ? 4 : 16;
        }
    }

    /// @dev Cold engine, oracle, the engine's code-stored guardian set (slot 0 bits 32..191) and its extension.
    function _coolAll() internal {
        vm.cool(address(engine));
        vm.cool(address(oracle));
        address keys = address(uint160(uint256(vm.load(address(engine), 0)) >> 32));
        if (keys.code.length != 0) vm.cool(keys);
        // EngineExtension, created by the engine's constructor (nonce 1, or 2 after a code-stored set)
        for (uint256 nonce = 1; nonce <= 2; ++nonce) {
            vm.cool(vm.computeCreateAddress(address(engine), nonce));
        }
    }

    function _measureCredit(string memory name, bytes memory vaa) internal {
        bytes memory data = abi.encodeCall(engine.credit, (vaa));
        _coolAll();
        engine.credit(vaa);
        uint256 exec = vm.snapshotGasLastCall(name);
        vm.snapshotValue(string.concat("tx_", name), exec + _intrinsic(data));
    }

    function test_gas_credit_13of19() public {
        deploy(19);
        _measureCredit("credit_13of19_fresh", lockVaa(alice, USDC, 100e6));
        _measureCredit("credit_13of19_holder", lockVaa(alice, USDC, 100e6));
        _measureRaw("credit_raw_13of19_holder", lockVaa(alice, USDC, 100e6));
    }

    function test_gas_credit_1of1() public {
        deploy(1);
        _measureCredit("credit_1of1_fresh", lockVaa(alice, USDC, 100e6));
        _measureCredit("credit_1of1_holder", lockVaa(alice, USDC, 100e6));
        _measureRaw("credit_raw_1of1_holder", lockVaa(alice, USDC, 100e6));
        // first credit of a new hour: the rate window folds the last hour into its ring (one word written)
        vm.warp(T0 - T0 % 3600 + 3600);
        _measureCredit("credit_1of1_holder_new_hour", lockVaa(alice, USDC, 100e6));
    }

    /// @dev The raw-calldata entry (fallback): the VAA is the whole calldata.
    function _measureRaw(string memory name, bytes memory vaa) internal {
        _coolAll();
        (bool ok,) = address(engine).call(vaa);
        assertTrue(ok);
        uint256 exec = vm.snapshotGasLastCall(name);
        vm.snapshotValue(string.concat("tx_", name), exec + _intrinsic(vaa));
    }

    function test_gas_liquidate_3_positions() public {
        deploy(19);
        creditUsdc(alice, 10_000e6);
        vm.startPrank(alice);
        engine.trade(ETH, 10e18); // 30k
        engine.trade(BTC, 0.5e18); // 30k
        engine.trade(SOL, 100e18); // 15k
        vm.stopPrank();
        vm.warp(block.timestamp + 10);
        pushPrices(block.timestamp, 2650e18, 56_000e18, 140e18);
        bytes memory data = abi.encodeCall(engine.liquidate, (toBytes32(alice)));
        _coolAll();
        engine.liquidate(toBytes32(alice));
        uint256 exec = vm.snapshotGasLastCall("liquidate_3_positions");
        vm.snapshotValue("tx_liquidate_3_positions", exec + _intrinsic(data));
        (int128 size,) = engine.positions(toBytes32(alice), 0);
        assertLt(size, 10e18); // something was closed
    }

    /// @dev Cools storage, runs `data` on the engine as `from` and snapshots it like the credits.
    function _measureCall(string memory name, address from, bytes memory data) internal {
        _coolAll();
        vm.prank(from);
        (bool ok,) = address(engine).call(data);
        assertTrue(ok, name);
        uint256 exec = vm.snapshotGasLastCall(name);
        vm.snapshotValue(string.concat("tx_", name), exec + _intrinsic(data));
    }

    /// @dev Trading and withdrawal approval (hot user paths besides credit), then two calls the engine
    ///      forwards to EngineExtension. vm.cool leaves the extension's account warm here: a real
    ///      transaction pays 2,500 more for its first access (bench: bulwark_setLiquidationParams).
    function test_gas_trade_withdraw_and_forwarded() public {
        deploy(19);
        creditUsdc(alice, 10_000e6);
        _measureCall("trade_open_first", alice, abi.encodeCall(engine.trade, (ETH, 1e18)));
        _measureCall("trade_open_second_market", alice, abi.encodeCall(engine.trade, (BTC, 0.05e18)));
        _measureCall("trade_reduce", alice, abi.encodeCall(engine.trade, (ETH, -0.5e18)));
        _measureCall("close_position", alice, abi.encodeCall(engine.closePosition, (ETH)));
        _measureCall("request_withdrawal", alice, abi.encodeCall(engine.requestWithdrawal, (usdcId, 100e6, toBytes32(alice))));
        _measureCall("add_market", admin, abi.encodeCall(engine.addMarket, (USD, 0.1e18, 0.05e18, 0.0005e18)));
        _measureCall("register_emitter", admin, abi.encodeCall(engine.registerEmitter, (4242, bytes32(uint256(0xb0b)), 1_000, 100)));
    }
}
