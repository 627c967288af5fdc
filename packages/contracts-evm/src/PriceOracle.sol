// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {GuardianVerifier} from "./base/GuardianVerifier.sol";
import {IPriceOracle} from "./interfaces/IPriceOracle.sol";
import {BreakerLib} from "./libraries/BreakerLib.sol";
import {PayloadLib} from "./libraries/PayloadLib.sol";

/// @title PriceOracle — prices from PriceReport VAAs signed by the oracle signer set
/// @notice Rejects stale (publishTime + maxAge < now), future (publishTime > now + maxFuture) and
///         out-of-order (publishTime <= last update) reports; a move beyond the breaker threshold
///         halts the market (docs/protocol.md §9). Chainlink consumers read through OracleFeed.
contract PriceOracle is GuardianVerifier, IPriceOracle {
    struct Config {
        uint16 emitterChain;
        bytes32 emitterAddress;
        uint32 maxAge;
        uint32 maxFuture;
        address admin;
    }

    address public admin;
    uint16 public immutable emitterChain;
    bytes32 public immutable emitterAddress;
    uint32 public immutable maxAge;
    uint32 public immutable maxFuture;

    BreakerLib.Params public breakerParams;
    mapping(uint32 => bool) public listed;
    mapping(uint32 => PriceData) internal _prices;
    mapping(uint32 => BreakerLib.State) internal _breakers;

    constructor(VerifierConfig memory vc, Config memory c, BreakerLib.Params memory bp) GuardianVerifier(vc) {
        if (c.admin == address(0) || c.maxAge == 0 || bp.maxMoveBps == 0) revert InvalidParameter();
        (admin, emitterChain, emitterAddress, maxAge, maxFuture) = (c.admin, c.emitterChain, c.emitterAddress, c.maxAge, c.maxFuture);
        breakerParams = bp;
    }

    function listMarket(uint32 marketId) external {
        if (msg.sender != admin) revert Unauthorized();
        if (listed[marketId]) revert InvalidParameter();
        listed[marketId] = true;
        emit MarketListed(marketId);
    }

    /// @inheritdoc IPriceOracle
    function submitPriceReport(bytes calldata vaa) external {
        VaaBody memory b = _parseAndVerify(vaa);
        if (b.emitterChain != emitterChain || b.emitterAddress != emitterAddress) revert UnknownEmitter();
        PayloadLib.PriceReport memory r = PayloadLib.decodePriceReport(b.payload);
        uint256 t = r.publishTime;
        if (t > block.timestamp + maxFuture) revert FuturePrice();
        if (t + maxAge < block.timestamp) revert StalePrice();
        BreakerLib.Params memory bp = breakerParams;
        for (uint256 i; i < r.entries.length; ++i) {
            PayloadLib.PriceEntry memory e = r.entries[i];
            if (!listed[e.marketId]) revert UnknownMarket();
            if (e.price == 0 || e.emaPrice == 0) revert InvalidPrice();
            if (e.volMultiplier < 1e18) revert InvalidParameter();
            BreakerLib.State memory s = _breakers[e.marketId];
            BreakerLib.onPrice(s, t, e.price, bp); // StaleUpdate when t <= last update (also blocks replays)
            _breakers[e.marketId] = s;
            _prices[e.marketId] = PriceData(e.price, e.conf, e.emaPrice, e.volMultiplier, uint64(t));
            emit PriceUpdated(e.marketId, e.price, e.conf, e.emaPrice, e.volMultiplier, uint64(t), s.status);
        }
    }

    /// @inheritdoc IPriceOracle
    function getPrice(uint32 marketId) external view returns (PriceData memory) {
        if (!listed[marketId]) revert UnknownMarket();
        return _prices[marketId];
    }

    /// @inheritdoc IPriceOracle
    function breakerState(uint32 marketId) public view returns (BreakerLib.State memory s) {
        if (!listed[marketId]) revert UnknownMarket();
        s = _breakers[marketId];
        BreakerLib.tick(s, block.timestamp, breakerParams);
    }

    /// @inheritdoc IPriceOracle
    function priceFor(uint32 marketId, uint8 op) external view returns (uint256 price, uint256 volMultiplier) {
        if (!listed[marketId]) revert UnknownMarket();
        PriceData storage p = _prices[marketId];
        (price, volMultiplier) = (p.price, p.volMultiplier);
        if (price == 0) revert InvalidPrice();
        if (op != 0) BreakerLib.check(breakerState(marketId), op, block.timestamp);
    }
}
