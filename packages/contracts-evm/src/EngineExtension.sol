// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {EngineState} from "./base/EngineState.sol";
import {IPriceOracle} from "./interfaces/IPriceOracle.sol";
import {PayloadLib} from "./libraries/PayloadLib.sol";
import {RiskLib} from "./libraries/RiskLib.sol";
import {RateWindowLib} from "./libraries/RateWindowLib.sol";

/// @title EngineExtension — MarginEngine's rarely called functions, run by DELEGATECALL on the engine's storage
/// @notice Configuration (registerEmitter, listAsset, addMarket, setLiquidationParams), queue release,
///         withdrawal finalization and guardian set upgrades. The engine deploys one EngineExtension in its
///         constructor with its own arguments (so the immutables agree) and forwards these calls to it
///         unchanged: msg.sender, storage, events and errors are the engine's. Both contracts inherit
///         EngineState and declare no state of their own, so the storage layout is the same by
///         construction. Called directly, an EngineExtension only changes its own, unused storage.
contract EngineExtension is EngineState {
    constructor(VerifierConfig memory vc, IPriceOracle oracle_, address admin_, uint32 queueDelay_)
        EngineState(vc, oracle_, admin_, queueDelay_)
    {}

    // ------------------------------------------------------------------ configuration

    /// @inheritdoc EngineState
    function registerEmitter(uint16 chain, bytes32 emitter, uint48 limitUsd, uint48 largeTransferUsd) external override onlyAdmin {
        if (chain == 0 || emitter == 0 || limitUsd == 0 || largeTransferUsd == 0) revert InvalidParameter();
        if (emitterOf[chain] != 0) revert InvalidParameter();
        emitterOf[chain] = emitter;
        uint24 hour = uint24(block.timestamp / RateWindowLib.BUCKET);
        chains[_emitterKey(chain, emitter)] = RateWindowLib.Window(limitUsd, largeTransferUsd, 0, 0, hour, 0);
        emit EmitterRegistered(chain, emitter, limitUsd, largeTransferUsd);
    }

    /// @inheritdoc EngineState
    function listAsset(AssetInfo calldata a, uint64 govPriceE8) external override onlyAdmin returns (uint8 id) {
        if (a.chain == 0 || a.token == 0 || a.decimals > 36 || a.weight > 1e18 || a.pendingWeight > a.weight) {
            revert InvalidParameter();
        }
        if (assetSlots[a.chain][a.token].id != 0 || assetCount == 255) revert InvalidParameter();
        oracle.getPrice(a.priceMarket); // UnknownMarket if the oracle does not list it
        id = ++assetCount;
        assetInfo[id] = a;
        assetSlots[a.chain][a.token] = AssetSlot(0, govPriceE8, a.decimals, id);
        emit AssetListed(id, a.chain, a.token, a.priceMarket);
    }

    /// @inheritdoc EngineState
    function addMarket(uint32 oracleId, uint64 imf, uint64 mmf, uint64 feeRate) external override onlyAdmin returns (uint8 index) {
        if (mmf == 0 || mmf > imf || imf > 1e18 || feeRate > 1e18 || marketIndex[oracleId] != 0 || marketCount == 255) {
            revert InvalidParameter();
        }
        RiskLib.checkTarget(liquidationParams.targetHealth, liquidationParams.penaltyRate, mmf);
        oracle.getPrice(oracleId);
        index = marketCount++;
        markets[index] = Market(oracleId, imf, mmf, feeRate, true);
        marketIndex[oracleId] = index + 1;
        emit MarketAdded(index, oracleId);
    }

    /// @inheritdoc EngineState
    function setLiquidationParams(RiskLib.LiquidationParams calldata p) external override onlyAdmin {
        if (
            p.closeFactor == 0 || p.closeFactor > 1e18 || p.fullLiquidationHealth > 1e18 || p.penaltyRate > 1e18 || p.liquidatorShare > 1e18
                || (p.targetHealth != 0 && (p.targetHealth < 1e18 || p.targetHealth >> 128 != 0))
        ) revert InvalidParameter();
        for (uint256 i; i < marketCount; ++i) {
            RiskLib.checkTarget(p.targetHealth, p.penaltyRate, markets[i].mmf);
        }
        liquidationParams = p;
    }

    // ------------------------------------------------------------------ queue and withdrawals

    /// @inheritdoc EngineState
    function releaseQueued(uint16 originChain, uint256 max) external override returns (uint256 released) {
        bytes32 key = _emitterKey(originChain, emitterOf[originChain]);
        RateWindowLib.Window memory w = chains[key];
        if (w.limit == 0) revert UnknownEmitter();
        _roll(w, key);
        QueuePtr memory ptr = queuePtr[originChain];
        while (ptr.head != ptr.tail && released < max) {
            Queued memory q = queue[originChain][ptr.head];
            bool due = block.timestamp >= uint256(q.queuedAt) + queueDelay;
            if (!due && (q.notional > w.largeTransfer || !RateWindowLib.fits(w, q.notional))) break;
            RateWindowLib.add(w, q.notional);
            _balances[q.account][q.assetId] = _balances[q.account][q.assetId] - (uint256(q.amount) << 128) + q.amount;
            delete queue[originChain][ptr.head];
            emit QueueReleased(originChain, ptr.head, q.account, q.assetId, q.amount);
            emit CollateralCredited(q.account, q.assetId, q.amount);
            ++ptr.head;
            --w.queued;
            ++released;
        }
        queuePtr[originChain] = ptr;
        chains[key] = w;
    }

    /// @inheritdoc EngineState
    function finalizeWithdrawal(bytes calldata vaa) external override {
        VaaBody memory b = _parseAndVerify(vaa);
        bytes32 key = _emitterKey(b.emitterChain, b.emitterAddress);
        if (emitterOf[b.emitterChain] != b.emitterAddress || b.emitterAddress == 0) revert UnknownEmitter();
        PayloadLib.CollateralReleased memory r = PayloadLib.decodeCollateralReleased(b.payload);
        if (r.positionChain != chainId) revert WrongDestinationChain();
        uint256 word = _replay[key][b.sequence >> 8];
        uint256 bit = 1 << (b.sequence & 255);
        if (word & bit != 0) revert VaaAlreadyConsumed();
        bytes32 h = _withdrawals[r.withdrawalId];
        if (h == FINALIZED) revert VaaAlreadyConsumed();
        if (h == 0 || h != _withdrawalHash(b.emitterChain, r.asset, r.amount, r.recipient)) revert InvalidParameter();

        _replay[key][b.sequence >> 8] = word | bit;
        _withdrawals[r.withdrawalId] = FINALIZED;
        emit WithdrawalFinalized(r.withdrawalId, b.emitterChain, b.sequence);
    }
}
