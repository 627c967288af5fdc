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
/// @dev Per market, what the engine reads on every margin check sits in two slots: price and
///      volatility multiplier in one, listing flag and breaker clock in the other.
contract PriceOracle is GuardianVerifier, IPriceOracle {
    struct Config {
        uint16 emitterChain;
        bytes32 emitterAddress;
        uint32 maxAge;
        uint32 maxFuture;
        address admin;
    }

    struct Hot {
        uint128 price;
        uint128 volMultiplier;
    }

    struct Meta {
        bool listed;
        uint8 status;
        uint40 refTime;
        uint40 lastUpdate; // = publish time of the last accepted report
        uint40 since;
        uint40 graceUntil;
    }

    struct Cold {
        uint128 conf;
        uint128 emaPrice;
    }

    address public admin;
    uint16 public immutable emitterChain;
    bytes32 public immutable emitterAddress;
    uint32 public immutable maxAge;
    uint32 public immutable maxFuture;
    uint64 internal immutable _maxMoveBps;
    uint32 internal immutable _window;
    uint32 internal immutable _haltDuration;
    uint32 internal immutable _cooldown;
    uint32 internal immutable _maxOracleGap;
    uint32 internal immutable _liquidationGrace;

    mapping(uint32 => Hot) internal _hot;
    mapping(uint32 => Meta) internal _meta;
    mapping(uint32 => Cold) internal _cold;
    mapping(uint32 => uint256) internal _refPrice;

    constructor(VerifierConfig memory vc, Config memory c, BreakerLib.Params memory bp) GuardianVerifier(vc) {
        if (c.admin == address(0) || c.maxAge == 0 || bp.maxMoveBps == 0) revert InvalidParameter();
        (admin, emitterChain, emitterAddress, maxAge, maxFuture) = (c.admin, c.emitterChain, c.emitterAddress, c.maxAge, c.maxFuture);
        (_maxMoveBps, _window, _haltDuration, _cooldown, _maxOracleGap, _liquidationGrace) =
            (bp.maxMoveBps, bp.window, bp.haltDuration, bp.cooldown, bp.maxOracleGap, bp.liquidationGrace);
    }

    function breakerParams() public view returns (BreakerLib.Params memory) {
        return BreakerLib.Params(_maxMoveBps, _window, _haltDuration, _cooldown, _maxOracleGap, _liquidationGrace);
    }

    function listed(uint32 marketId) external view returns (bool) {
        return _meta[marketId].listed;
    }

    function listMarket(uint32 marketId) external {
        if (msg.sender != admin) revert Unauthorized();
        if (_meta[marketId].listed) revert InvalidParameter();
        _meta[marketId].listed = true;
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
        BreakerLib.Params memory bp = breakerParams();
        for (uint256 i; i < r.entries.length; ++i) {
            PayloadLib.PriceEntry memory e = r.entries[i];
            Meta memory m = _meta[e.marketId];
            if (!m.listed) revert UnknownMarket();
            BreakerLib.State memory s = _state(e.marketId, m, true);
            BreakerLib.onPrice(s, t, e.price, bp); // StaleUpdate when t <= last update (also blocks replays)
            _meta[e.marketId] = Meta(true, s.status, uint40(s.refTime), uint40(s.lastUpdate), uint40(s.since), uint40(s.graceUntil));
            _refPrice[e.marketId] = s.refPrice;
            _hot[e.marketId] = Hot(e.price, e.volMultiplier);
            _cold[e.marketId] = Cold(e.conf, e.emaPrice);
            emit PriceUpdated(e.marketId, e.price, e.conf, e.emaPrice, e.volMultiplier, uint64(t), s.status);
        }
    }

    function _state(uint32 id, Meta memory m, bool withRef) private view returns (BreakerLib.State memory s) {
        s = BreakerLib.State(m.status, 0, m.refTime, _hot[id].price, m.lastUpdate, m.since, m.graceUntil);
        if (withRef) s.refPrice = uint128(_refPrice[id]);
    }

    /// @inheritdoc IPriceOracle
    function getPrice(uint32 marketId) external view returns (PriceData memory) {
        Meta memory m = _meta[marketId];
        if (!m.listed) revert UnknownMarket();
        Hot memory h = _hot[marketId];
        Cold memory c = _cold[marketId];
        return PriceData(h.price, c.conf, c.emaPrice, h.volMultiplier, m.lastUpdate);
    }

    /// @inheritdoc IPriceOracle
    function breakerState(uint32 marketId) external view returns (BreakerLib.State memory s) {
        Meta memory m = _meta[marketId];
        if (!m.listed) revert UnknownMarket();
        s = _state(marketId, m, true);
        BreakerLib.tick(s, block.timestamp, breakerParams());
    }

    /// @inheritdoc IPriceOracle
    function priceFor(uint32 marketId, uint8 op) external view returns (uint256 price, uint256 volMultiplier) {
        Meta memory m = _meta[marketId];
        if (!m.listed) revert UnknownMarket();
        Hot memory h = _hot[marketId];
        (price, volMultiplier) = (h.price, h.volMultiplier);
        if (price == 0) revert InvalidPrice();
        if (op != 0) {
            // refPrice does not affect which operations are allowed, so it is not read here
            BreakerLib.State memory s = BreakerLib.State(m.status, 0, m.refTime, h.price, m.lastUpdate, m.since, m.graceUntil);
            BreakerLib.tick(s, block.timestamp, breakerParams());
            BreakerLib.check(s, op, block.timestamp);
        }
    }
}
