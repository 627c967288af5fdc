// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AggregatorV3Interface} from "./interfaces/AggregatorV3Interface.sol";
import {IPriceOracle} from "./interfaces/IPriceOracle.sol";
import {IBulwarkErrors} from "./interfaces/IBulwarkErrors.sol";

/// @title OracleFeed — Chainlink AggregatorV3Interface view of one PriceOracle market
/// @notice Answers in WAD (18 decimals). The round id is the publish time of the last report;
///         only the latest round is retained.
contract OracleFeed is AggregatorV3Interface, IBulwarkErrors {
    IPriceOracle public immutable oracle;
    uint32 public immutable marketId;
    string private _description;

    constructor(IPriceOracle oracle_, uint32 marketId_, string memory description_) {
        oracle = oracle_;
        marketId = marketId_;
        _description = description_;
        oracle_.getPrice(marketId_); // UnknownMarket if not listed
    }

    function decimals() external pure returns (uint8) {
        return 18;
    }

    function description() external view returns (string memory) {
        return _description;
    }

    function version() external pure returns (uint256) {
        return 1;
    }

    function latestRoundData() public view returns (uint80, int256, uint256, uint256, uint80) {
        IPriceOracle.PriceData memory p = oracle.getPrice(marketId);
        if (p.publishTime == 0) revert InvalidPrice();
        uint80 round = uint80(p.publishTime);
        return (round, int256(uint256(p.price)), p.publishTime, p.publishTime, round);
    }

    function getRoundData(uint80 roundId) external view returns (uint80, int256, uint256, uint256, uint80) {
        (uint80 r, int256 a, uint256 s, uint256 u, uint80 ans) = latestRoundData();
        if (roundId != r) revert StaleUpdate();
        return (r, a, s, u, ans);
    }
}
