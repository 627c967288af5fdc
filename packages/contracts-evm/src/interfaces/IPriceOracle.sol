// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {BreakerLib} from "../libraries/BreakerLib.sol";

/// @title Bulwark price oracle: quorum-signed PriceReport VAAs, per-market circuit breaker
interface IPriceOracle {
    struct PriceData {
        uint128 price;
        uint128 conf;
        uint128 emaPrice;
        uint128 volMultiplier;
        uint64 publishTime;
    }

    event PriceUpdated(uint32 indexed marketId, uint128 price, uint128 conf, uint128 emaPrice, uint128 volMultiplier, uint64 publishTime, uint8 status);
    event MarketListed(uint32 indexed marketId);

    /// @notice Applies a PriceReport VAA signed by a quorum of the oracle signer set and emitted by the oracle emitter.
    function submitPriceReport(bytes calldata vaa) external;

    /// @notice Last accepted price data of `marketId` (UnknownMarket if not listed).
    function getPrice(uint32 marketId) external view returns (PriceData memory);

    /// @notice Breaker state advanced to now (tick rule applied, not stored).
    function breakerState(uint32 marketId) external view returns (BreakerLib.State memory);

    /// @notice Price and volatility multiplier for `op` on `marketId`; reverts MarketHalted / GracePeriod
    ///         when the breaker forbids `op` (op = 0 skips the breaker), InvalidPrice when no price exists.
    function priceFor(uint32 marketId, uint8 op) external view returns (uint256 price, uint256 volMultiplier);
}
