// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {BulwarkFixture} from "../utils/BulwarkFixture.sol";
import {OracleFeed} from "../../src/OracleFeed.sol";
import {IPriceOracle} from "../../src/interfaces/IPriceOracle.sol";
import {IBulwarkErrors as E} from "../../src/interfaces/IBulwarkErrors.sol";
import {PayloadLib} from "../../src/libraries/PayloadLib.sol";

contract PriceOracleTest is BulwarkFixture {
    function setUp() public {
        deploy(1);
    }

    function _one(uint32 market, uint256 t, uint128 price) internal pure returns (PayloadLib.PriceReport memory r) {
        r.publishTime = uint64(t);
        r.entries = new PayloadLib.PriceEntry[](1);
        r.entries[0] = PayloadLib.PriceEntry(market, price, 1e18, price, 1.2e18);
    }

    function test_storesReportAndServesChainlinkView() public {
        vm.warp(T0 + 30);
        oracle.submitPriceReport(priceVaa(_one(ETH, T0 + 30, 3100e18)));
        IPriceOracle.PriceData memory d = oracle.getPrice(ETH);
        assertEq(d.price, 3100e18);
        assertEq(d.volMultiplier, 1.2e18);
        assertEq(d.publishTime, T0 + 30);
        OracleFeed feed = new OracleFeed(oracle, ETH, "ETH / USD");
        (uint80 round, int256 answer,, uint256 updatedAt,) = feed.latestRoundData();
        assertEq(answer, 3100e18);
        assertEq(updatedAt, T0 + 30);
        assertEq(round, T0 + 30);
        assertEq(feed.decimals(), 18);
        vm.expectRevert(E.StaleUpdate.selector);
        feed.getRoundData(1);
    }

    function test_rejectsStaleFutureOutOfOrderAndUnknown() public {
        vm.warp(T0 + 100);
        vm.expectRevert(E.StalePrice.selector);
        oracle.submitPriceReport(priceVaa(_one(ETH, T0 + 39, 3000e18)));
        vm.expectRevert(E.FuturePrice.selector);
        oracle.submitPriceReport(priceVaa(_one(ETH, T0 + 106, 3000e18)));
        oracle.submitPriceReport(priceVaa(_one(ETH, T0 + 95, 3000e18)));
        vm.expectRevert(E.StaleUpdate.selector);
        oracle.submitPriceReport(priceVaa(_one(ETH, T0 + 90, 3000e18))); // fresh but older than the last
        vm.expectRevert(E.StaleUpdate.selector);
        oracle.submitPriceReport(priceVaa(_one(ETH, T0 + 95, 3000e18))); // replay
        vm.expectRevert(E.UnknownMarket.selector);
        oracle.submitPriceReport(priceVaa(_one(99, T0 + 100, 3000e18)));
        vm.expectRevert(E.UnknownMarket.selector);
        oracle.getPrice(99);
        assertEq(oracle.getPrice(ETH).publishTime, T0 + 95);
    }

    function test_rejectsForeignEmitter() public {
        bytes memory vaa = signQuorumWith(oraclePks, 0, body(ORACLE_CHAIN, bytes32(uint256(0x0b)), 1, PayloadLib.encode(_one(ETH, T0 + 1, 3000e18))));
        vm.warp(T0 + 1);
        vm.expectRevert(E.UnknownEmitter.selector);
        oracle.submitPriceReport(vaa);
    }

    function test_rejectsRelayerGuardianSignatures() public {
        vm.warp(T0 + 1);
        uint256[] memory strangers = new uint256[](5);
        for (uint256 i; i < 5; ++i) {
            strangers[i] = 0x5000 + i;
        }
        bytes memory vaa = signQuorumWith(strangers, 0, body(ORACLE_CHAIN, ORACLE_EMITTER, 1, PayloadLib.encode(_one(ETH, T0 + 1, 3000e18))));
        vm.expectRevert(E.InvalidSignature.selector);
        oracle.submitPriceReport(vaa);
    }

    function test_beyondBreakerHaltsMarket() public {
        vm.warp(T0 + 10);
        oracle.submitPriceReport(priceVaa(_one(ETH, T0 + 10, 3600e18))); // +20%
        assertEq(oracle.breakerState(ETH).status, 1);
        vm.expectRevert(E.MarketHalted.selector);
        oracle.priceFor(ETH, 8);
    }

    function test_outageHaltsAfterMaxOracleGap() public {
        vm.warp(T0 + 121);
        assertEq(oracle.breakerState(ETH).status, 1);
    }
}
