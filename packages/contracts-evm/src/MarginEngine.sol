// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {EngineExtension} from "./EngineExtension.sol";
import {EngineState} from "./base/EngineState.sol";
import {IGuardianVerifier} from "./interfaces/IGuardianVerifier.sol";
import {IPriceOracle} from "./interfaces/IPriceOracle.sol";
import {BreakerLib} from "./libraries/BreakerLib.sol";
import {MathLib} from "./libraries/MathLib.sol";
import {PayloadLib} from "./libraries/PayloadLib.sol";
import {RiskLib} from "./libraries/RiskLib.sol";
import {RateWindowLib} from "./libraries/RateWindowLib.sol";

/// @title MarginEngine — cross-margin risk engine crediting remote collateral from VAAs
/// @notice Credits CollateralLocked VAAs from registered vault emitters (each once), opens and
///         closes perpetual positions at the oracle price, approves withdrawals that keep the
///         account at or above initial margin (emitting WithdrawalApproved for the origin vault),
///         liquidates below health 1 and absorbs bad debt (insurance fund, then socialized).
/// @dev The rarely called functions (configuration, releaseQueued, finalizeWithdrawal, guardian set
///      upgrades) keep their selectors here but run in an EngineExtension that the constructor deploys,
///      by DELEGATECALL on this storage: it keeps this contract under the EIP-170 size limit without
///      touching the hot paths (credit, trade, withdraw, liquidate run here as before).
contract MarginEngine is EngineState {
    /// @notice Collateral held pending by the rate limiter at queue position `index` of `originChain`.
    event CollateralQueued(bytes32 indexed account, uint8 indexed assetId, uint128 amount, uint16 originChain, uint32 index);
    event PositionChanged(bytes32 indexed account, uint32 indexed marketId, int256 size, uint256 entryPrice, int256 realizedPnl, uint256 fee);
    event WithdrawalApproved(bytes32 indexed account, uint64 indexed withdrawalId, uint8 assetId, uint128 amount, bytes32 recipient);
    event Liquidated(bytes32 indexed account, address indexed liquidator, int256 realizedPnl, uint256 penaltyCharged, uint256 badDebt, uint256 socialized);

    /// @dev EngineExtension deployed by the constructor: runs the rarely called functions on this storage.
    address internal immutable _extension;

    constructor(VerifierConfig memory vc, IPriceOracle oracle_, address admin_, uint32 queueDelay_)
        EngineState(vc, oracle_, admin_, queueDelay_)
    {
        _extension = address(new EngineExtension(vc, oracle_, admin_, queueDelay_));
    }

    // ------------------------------------------------------------------ forwarded to EngineExtension

    // Rarely called functions run in EngineExtension (see there). Each stub keeps the function in
    // this contract's ABI and dispatcher; its parameters are named for the ABI only (the statement
    // naming them silences the unused-variable warning) and reach EngineExtension as the calldata.

    /// @inheritdoc EngineState
    function registerEmitter(uint16 chain, bytes32 emitter, uint48 limitUsd, uint48 largeTransferUsd) external override {
        (chain, emitter, limitUsd, largeTransferUsd);
        _forward();
    }

    /// @inheritdoc EngineState
    function listAsset(AssetInfo calldata a, uint64 govPriceE8) external override returns (uint8 id) {
        (a, govPriceE8, id);
        _forward();
    }

    /// @inheritdoc EngineState
    function addMarket(uint32 oracleId, uint64 imf, uint64 mmf, uint64 feeRate) external override returns (uint8 index) {
        (oracleId, imf, mmf, feeRate, index);
        _forward();
    }

    /// @inheritdoc EngineState
    function setLiquidationParams(RiskLib.LiquidationParams calldata p) external override {
        p;
        _forward();
    }

    /// @inheritdoc EngineState
    function releaseQueued(uint16 originChain, uint256 max) external override returns (uint256 released) {
        (originChain, max, released);
        _forward();
    }

    /// @inheritdoc EngineState
    function finalizeWithdrawal(bytes calldata vaa) external override {
        vaa;
        _forward();
    }

    /// @inheritdoc IGuardianVerifier
    function submitGuardianSetUpgrade(bytes calldata vaa) external override {
        vaa;
        _forward();
    }

    /// @dev Runs this call's calldata in EngineExtension by DELEGATECALL and returns or reverts with its
    ///      result; never returns to the caller's Solidity code.
    function _forward() private {
        address target = _extension;
        assembly ("memory-safe") {
            let p := mload(0x40)
            calldatacopy(p, 0, calldatasize())
            let ok := delegatecall(gas(), target, p, calldatasize(), 0, 0)
            returndatacopy(p, 0, returndatasize())
            if iszero(ok) { revert(p, returndatasize()) }
            return(p, returndatasize())
        }
    }

    // ------------------------------------------------------------------ credit

    /// @notice Verifies a CollateralLocked VAA and credits (or queues, under the rate limit) the collateral.
    function credit(bytes calldata vaa) external {
        _credit(vaa);
    }

    /// @notice Same as `credit` with the raw VAA as the whole calldata (no ABI head: ~400 gas less
    ///         calldata). A VAA starts with version 0x01 and the set index, so its first four bytes
    ///         never match a selector of this contract (checked by a test).
    fallback() external {
        _credit(msg.data);
    }

    function _credit(bytes calldata vaa) private {
        if (paused & PAUSE_CREDIT != 0) revert OperationPaused();
        (uint256 o,) = _verify(vaa);
        uint16 emitterChain;
        bytes32 emitter;
        uint64 seq;
        uint256 p = o + 51; // payload start
        uint256 head;
        assembly ("memory-safe") {
            let base := add(vaa.offset, o)
            emitterChain := shr(240, calldataload(add(base, 8)))
            emitter := calldataload(add(base, 10))
            seq := shr(192, calldataload(add(base, 42)))
            head := calldataload(add(vaa.offset, p))
        }
        // Fast path header check; anything unusual goes through the strict decoder for the precise error.
        if (vaa.length - p != 116 || head >> 240 != 0x0101) PayloadLib.decodeCollateralLocked(vaa[p:]);
        if (uint16(head >> 224) != chainId) revert WrongDestinationChain();
        bytes32 account;
        bytes32 token;
        uint128 amount;
        assembly ("memory-safe") {
            let q := add(vaa.offset, p) // payload length is exactly 116 here
            account := calldataload(add(q, 4))
            token := calldataload(add(q, 36))
            amount := shr(128, calldataload(add(q, 68)))
        }

        bytes32 key = _emitterKey(emitterChain, emitter);
        RateWindowLib.Window memory w = chains[key];
        if (w.limit == 0) revert UnknownEmitter();
        uint256 word = _replay[key][seq >> 8];
        uint256 bit = 1 << (seq & 255);
        if (word & bit != 0) revert VaaAlreadyConsumed();
        if (amount == 0) revert ZeroAmount();
        AssetSlot memory a = assetSlots[emitterChain][token];
        if (a.id == 0) revert UnknownAsset();

        uint256 usd = _notionalUsd(amount, a);
        _roll(w, key);
        bool queued = w.queued != 0 || usd > w.largeTransfer || !RateWindowLib.fits(w, usd);

        _replay[key][seq >> 8] = word | bit;
        a.credited += amount;
        assetSlots[emitterChain][token] = a;
        uint256 bal = _balances[account][a.id];
        if (bal == 0) assetMask[account] |= 1 << a.id;
        if (queued) {
            uint32 index = _enqueue(emitterChain, Queued(account, amount, a.id, uint48(usd), uint32(block.timestamp)));
            ++w.queued;
            _balances[account][a.id] = bal + (uint256(amount) << 128);
            emit CollateralQueued(account, a.id, amount, emitterChain, index);
        } else {
            w.current += uint48(usd); // fits: prior + current + usd <= limit < 2^48
            _balances[account][a.id] = bal + amount;
            emit CollateralCredited(account, a.id, amount);
        }
        chains[key] = w;
    }

    function _enqueue(uint16 originChain, Queued memory q) private returns (uint32 index) {
        QueuePtr storage ptr = queuePtr[originChain];
        index = ptr.tail++;
        queue[originChain][index] = q;
    }

    /// @dev Governor notional in whole USD, rounded up (counts against the limit in the protocol's
    ///      favour), saturating at 2^48 - 1 (above any limit).
    function _notionalUsd(uint128 amount, AssetSlot memory a) private pure returns (uint256 usd) {
        usd = MathLib.mulDivUp(amount, a.govPriceE8, 10 ** (uint256(a.decimals) + 8));
        if (usd > RateWindowLib.MAX) usd = RateWindowLib.MAX;
    }

    // ------------------------------------------------------------------ trading

    /// @notice Opens, increases, reduces, closes or flips the caller's position in `marketId` at the oracle price.
    function trade(uint32 marketId, int256 sizeDelta) external {
        _trade(marketId, sizeDelta, false);
    }

    /// @notice Closes the caller's whole position in `marketId` (PositionNotFound when there is none).
    function closePosition(uint32 marketId) external {
        _trade(marketId, 0, true);
    }

    function _trade(uint32 marketId, int256 sizeDelta, bool closeAll) private {
        bytes32 account = bytes32(uint256(uint160(msg.sender)));
        uint8 idx = marketIndex[marketId];
        if (idx == 0) revert UnknownMarket();
        uint256 mi = idx - 1;
        Pos memory pos = positions[account][mi];
        if (closeAll) {
            if (pos.size == 0) revert PositionNotFound();
            sizeDelta = -int256(pos.size);
        }
        // Adds exposure: opens, increases or flips (a flip leaves a position on the other side).
        bool adds = pos.size == 0 || (pos.size > 0) == (sizeDelta > 0) || MathLib.abs(sizeDelta) > MathLib.abs(pos.size);
        if (adds && paused & PAUSE_OPEN != 0) revert OperationPaused();
        (uint256 price,) = oracle.priceFor(marketId, adds ? BreakerLib.OP_OPEN : BreakerLib.OP_CLOSE);

        (int256 size, uint256 entry, int256 realized) = RiskLib.applyTrade(pos.size, pos.entry, sizeDelta, price);
        if (size > type(int128).max || size < type(int128).min || entry > type(uint128).max) revert Overflow();
        uint256 fee = RiskLib.tradeFee(sizeDelta, price, markets[mi].feeRate);
        settlement[account] += realized - MathLib.toInt(fee);
        insuranceFund += fee;
        positions[account][mi] = Pos(int128(size), uint128(entry));
        if (size == 0) marketMask[account] &= ~(1 << mi);
        else marketMask[account] |= 1 << mi;
        if (adds) {
            RiskLib.Health memory h = _health(account, 0);
            if (h.equity < MathLib.toInt(h.imReq)) revert InsufficientMargin();
        }
        emit PositionChanged(account, marketId, size, entry, realized, fee);
    }

    // ------------------------------------------------------------------ withdrawals

    /// @notice Approves a withdrawal of the caller's active collateral if equity stays >= initial
    ///         requirement, and publishes WithdrawalApproved for the origin vault.
    function requestWithdrawal(uint8 assetId, uint128 amount, bytes32 recipient) external returns (uint64 withdrawalId) {
        if (paused & PAUSE_WITHDRAW != 0) revert OperationPaused();
        if (amount == 0) revert ZeroAmount();
        if (recipient == 0) revert InvalidParameter();
        AssetInfo memory info = assetInfo[assetId];
        if (info.chain == 0) revert UnknownAsset();
        bytes32 account = bytes32(uint256(uint160(msg.sender)));
        uint256 bal = _balances[account][assetId];
        if (uint128(bal) < amount) revert InsufficientCollateral();
        _balances[account][assetId] = bal - amount;
        RiskLib.Health memory h = _health(account, BreakerLib.OP_WITHDRAW);
        if (h.equity < MathLib.toInt(h.imReq)) revert InsufficientMargin();
        withdrawalId = nextWithdrawalId++;
        _withdrawals[withdrawalId] = _withdrawalHash(info.chain, info.token, amount, recipient);
        _publish(PayloadLib.encode(PayloadLib.WithdrawalApproved(info.chain, account, info.token, amount, recipient, withdrawalId)));
        emit WithdrawalApproved(account, withdrawalId, assetId, amount, recipient);
    }

    /// @notice Whether the origin vault's CollateralReleased for `withdrawalId` was consumed here.
    function isFinalized(uint64 withdrawalId) external view returns (bool) {
        return _withdrawals[withdrawalId] == FINALIZED;
    }

    // ------------------------------------------------------------------ liquidation

    /// @notice Liquidates `account` (anyone may): closes the liquidation fraction of every position at
    ///         the oracle price; the penalty goes to the caller's settlement and the insurance fund.
    function liquidate(bytes32 account) external {
        if (paused & PAUSE_LIQUIDATE != 0) revert OperationPaused();
        if (assetMask[account] == 0 && marketMask[account] == 0) revert UnknownAccount();
        (RiskLib.Collateral[] memory cs, RiskLib.Position[] memory ps, uint256[] memory mIdx) =
            _load(account, BreakerLib.OP_LIQUIDATE);
        RiskLib.Liquidation memory r = RiskLib.liquidate(cs, ps, settlement[account], insuranceFund, liquidationParams);
        for (uint256 i; i < ps.length; ++i) {
            positions[account][mIdx[i]].size = int128(ps[i].size);
            if (ps[i].size == 0) {
                positions[account][mIdx[i]].entry = 0;
                marketMask[account] &= ~(1 << mIdx[i]);
            }
        }
        settlement[account] = r.settlementAfter;
        insuranceFund = r.insuranceFundAfter;
        if (r.socialized != 0) socializedLoss += r.socialized;
        if (r.liquidatorReward != 0) settlement[bytes32(uint256(uint160(msg.sender)))] += int256(r.liquidatorReward);
        emit Liquidated(account, msg.sender, r.realizedPnl, r.penaltyCharged, r.badDebt, r.socialized);
    }

    // ------------------------------------------------------------------ health

    /// @notice Health of `account` at current oracle prices (docs/protocol.md §7).
    function health(bytes32 account) external view returns (RiskLib.Health memory) {
        return _health(account, 0);
    }

    /// @dev Health at oracle prices; every position's market must allow `op` (0 = no check).
    function _health(bytes32 account, uint8 op) private view returns (RiskLib.Health memory) {
        (RiskLib.Collateral[] memory cs, RiskLib.Position[] memory ps,) = _load(account, op);
        return RiskLib.evaluate(cs, ps, settlement[account]);
    }

    function _load(bytes32 account, uint8 op)
        internal
        view
        returns (RiskLib.Collateral[] memory cs, RiskLib.Position[] memory ps, uint256[] memory mIdx)
    {
        uint256 am = assetMask[account];
        cs = new RiskLib.Collateral[](2 * _popcount(am));
        uint256 n;
        for (uint256 id; am != 0; ++id) {
            if (am & 1 != 0) {
                AssetInfo memory a = assetInfo[id];
                uint256 bal = _balances[account][id];
                (uint256 price,) = oracle.priceFor(a.priceMarket, 0);
                cs[n++] = RiskLib.Collateral(uint128(bal), a.decimals, price, a.weight, a.pendingWeight, false);
                cs[n++] = RiskLib.Collateral(bal >> 128, a.decimals, price, a.weight, a.pendingWeight, true);
            }
            am >>= 1;
        }
        uint256 mm = marketMask[account];
        ps = new RiskLib.Position[](_popcount(mm));
        mIdx = new uint256[](ps.length);
        n = 0;
        for (uint256 i; mm != 0; ++i) {
            if (mm & 1 != 0) {
                Market memory m = markets[i];
                Pos memory pos = positions[account][i];
                (uint256 price, uint256 vol) = oracle.priceFor(m.oracleId, op);
                mIdx[n] = i;
                ps[n++] = RiskLib.Position(pos.size, pos.entry, price, m.imf, m.mmf, vol);
            }
            mm >>= 1;
        }
    }

    function _popcount(uint256 x) private pure returns (uint256 c) {
        for (; x != 0; x &= x - 1) ++c;
    }
}
