// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {GuardianVerifier} from "./GuardianVerifier.sol";
import {IPriceOracle} from "../interfaces/IPriceOracle.sol";
import {IMessagePublisher} from "../interfaces/IMessagePublisher.sol";
import {RiskLib} from "../libraries/RiskLib.sol";
import {RateWindowLib} from "../libraries/RateWindowLib.sol";

/// @title EngineState — MarginEngine storage, configuration and views
/// @dev Layout is chosen for the credit path: one slot per (origin emitter) holds registration,
///      rate-limit state and queue pointers; one slot per (chain, token) holds listing, credited
///      total and the governor price; one slot per (account, asset) holds active|pending balances;
///      replay protection is a bitmap per emitter (one warm-able word per 256 sequences).
///      MarginEngine and EngineExtension (which runs on the engine's storage by DELEGATECALL) both
///      inherit this layout: neither may declare state of its own.
abstract contract EngineState is GuardianVerifier, IMessagePublisher {
    uint8 public paused; // shares slot 0 with the current guardian set (read on every VAA anyway)

    uint8 internal constant PAUSE_LOCK = 1;
    uint8 internal constant PAUSE_CREDIT = 2;
    uint8 internal constant PAUSE_WITHDRAW = 4;
    uint8 internal constant PAUSE_OPEN = 8;
    uint8 internal constant PAUSE_LIQUIDATE = 16;

    /// @notice FIFO queue pointers of one origin chain (entries at [head, tail)).
    struct QueuePtr {
        uint32 head;
        uint32 tail;
    }

    /// @notice Hot per-(origin chain, token) slot.
    struct AssetSlot {
        uint128 credited; // cumulative amount credited (active + queued)
        uint64 govPriceE8; // governor reference price, USD * 1e8 per whole token
        uint8 decimals;
        uint8 id; // 1..255 index into assetInfo
    }

    struct AssetInfo {
        uint16 chain;
        uint32 priceMarket;
        uint64 weight;
        uint64 pendingWeight;
        uint8 decimals;
        bytes32 token;
    }

    struct Market {
        uint32 oracleId;
        uint64 imf;
        uint64 mmf;
        uint64 feeRate;
        bool listed;
    }

    struct Pos {
        int128 size;
        uint128 entry;
    }

    struct Queued {
        bytes32 account;
        uint128 amount;
        uint8 assetId;
        uint48 notional;
        uint32 queuedAt;
    }

    address public admin;
    uint64 internal _sequence;
    uint8 public consistencyLevel;
    IPriceOracle public immutable oracle;
    uint32 public immutable queueDelay;

    /// @notice Per registered origin emitter: rate limit (whole USD), current window, queue length.
    mapping(bytes32 emitterKey => RateWindowLib.Window) public chains;
    mapping(uint16 chain => bytes32) public emitterOf;
    mapping(bytes32 emitterKey => mapping(uint256 word => uint256)) internal _replay;
    mapping(uint16 chain => mapping(uint32 => Queued)) public queue;
    mapping(uint16 chain => QueuePtr) public queuePtr;
    mapping(bytes32 emitterKey => uint256[5]) internal _buckets; // RateWindowLib ring
    /// @dev withdrawalId => keccak(originChain, token, amount, recipient) while open, FINALIZED after release.
    mapping(uint64 withdrawalId => bytes32) internal _withdrawals;
    bytes32 internal constant FINALIZED = bytes32(uint256(1));

    mapping(uint16 chain => mapping(bytes32 token => AssetSlot)) public assetSlots;
    AssetInfo[256] public assetInfo;
    uint8 public assetCount;

    Market[256] public markets;
    mapping(uint32 oracleId => uint8) public marketIndex; // index + 1
    uint8 public marketCount;

    mapping(bytes32 account => mapping(uint256 assetId => uint256)) internal _balances; // pending << 128 | active
    mapping(bytes32 account => uint256) public assetMask;
    mapping(bytes32 account => uint256) public marketMask;
    mapping(bytes32 account => mapping(uint256 market => Pos)) public positions;
    mapping(bytes32 account => int256) public settlement;

    uint256 public insuranceFund;
    uint256 public socializedLoss;
    uint64 public nextWithdrawalId;
    RiskLib.LiquidationParams public liquidationParams;

    event EmitterRegistered(uint16 indexed chain, bytes32 emitter, uint48 limitUsd, uint48 largeTransferUsd);
    event AssetListed(uint8 indexed id, uint16 chain, bytes32 token, uint32 priceMarket);
    event MarketAdded(uint8 indexed index, uint32 oracleId);
    event Paused(uint8 bits);
    /// @notice Collateral credited as active.
    event CollateralCredited(bytes32 indexed account, uint8 assetId, uint128 amount);
    event QueueReleased(uint16 indexed originChain, uint32 index, bytes32 account, uint8 assetId, uint128 amount);
    /// @notice The origin vault released withdrawal `withdrawalId` (its CollateralReleased VAA `sequence`).
    event WithdrawalFinalized(uint64 indexed withdrawalId, uint16 originChain, uint64 sequence);

    constructor(VerifierConfig memory vc, IPriceOracle oracle_, address admin_, uint32 queueDelay_) GuardianVerifier(vc) {
        if (admin_ == address(0) || address(oracle_) == address(0)) revert InvalidParameter();
        (oracle, admin, queueDelay, consistencyLevel) = (oracle_, admin_, queueDelay_ == 0 ? 86_400 : queueDelay_, 1);
        // docs/protocol.md section 8's neutral defaults, the same as core's DEFAULT_LIQUIDATION and the
        // Solana program's: targetHealth 0 (off). The repo's deploy tooling then sets core's
        // RISK_PROFILE (targetHealth 1.5e18) with setLiquidationParams (section 8.7).
        liquidationParams = RiskLib.LiquidationParams(0.5e18, 0.5e18, 100e18, 0.02e18, 0.5e18, 0);
    }

    modifier onlyAdmin() {
        if (msg.sender != admin) revert Unauthorized();
        _;
    }

    // ------------------------------------------------------------------ admin

    function setPaused(uint8 bits) external onlyAdmin {
        paused = bits;
        emit Paused(bits);
    }

    function setConsistencyLevel(uint8 level) external onlyAdmin {
        consistencyLevel = level;
    }

    // Implemented in EngineExtension; MarginEngine forwards each call to it unchanged.

    /// @notice Registers `emitter` as the vault of `chain` (once per chain) with its rate limit in
    ///         whole USD per rolling 24 h and the single-credit size above which a credit is queued.
    function registerEmitter(uint16 chain, bytes32 emitter, uint48 limitUsd, uint48 largeTransferUsd) external virtual;

    /// @notice Lists collateral `a` (origin chain + token, priced by oracle market `a.priceMarket`)
    ///         with the governor price used by the rate limit; returns its id (1..255).
    function listAsset(AssetInfo calldata a, uint64 govPriceE8) external virtual returns (uint8 id);

    /// @notice Adds perpetual market `oracleId` with its margin fractions and fee rate (WAD).
    function addMarket(uint32 oracleId, uint64 imf, uint64 mmf, uint64 feeRate) external virtual returns (uint8 index);

    /// @notice Replaces the liquidation parameters (docs/protocol.md section 8), checked against every market.
    function setLiquidationParams(RiskLib.LiquidationParams calldata p) external virtual;

    /// @notice Releases queued credits of `originChain`, oldest first, whose delay passed or that now
    ///         fit the rolling window (a large transfer only by delay). Released notional is booked
    ///         into the window like an admitted credit.
    /// @return released number of entries moved from pending to active (0 when none is due).
    function releaseQueued(uint16 originChain, uint256 max) external virtual returns (uint256 released);

    /// @notice Consumes a CollateralReleased VAA from the registered vault of the withdrawal's origin
    ///         chain and marks the withdrawal finalized. Each VAA once (VaaAlreadyConsumed), each
    ///         withdrawal once (VaaAlreadyConsumed); the release must match the approval
    ///         (chain, asset, amount, recipient), else InvalidParameter.
    function finalizeWithdrawal(bytes calldata vaa) external virtual;

    // ------------------------------------------------------------------ views

    /// @inheritdoc IMessagePublisher
    function nextSequence() external view returns (uint64) {
        return _sequence;
    }

    function balanceOf(bytes32 account, uint8 assetId) external view returns (uint128 active, uint128 pending) {
        uint256 b = _balances[account][assetId];
        return (uint128(b), uint128(b >> 128));
    }

    /// @notice Whether the CollateralLocked / CollateralReleased VAA (emitterChain, emitter, sequence) was consumed.
    function isConsumed(uint16 emitterChain, bytes32 emitter, uint64 sequence) external view returns (bool) {
        return _replay[_emitterKey(emitterChain, emitter)][sequence >> 8] & (1 << (sequence & 255)) != 0;
    }

    /// @notice Notional (whole USD) counted against `originChain`'s limit in the rolling window now.
    function windowUsed(uint16 originChain) external view returns (uint256) {
        bytes32 key = _emitterKey(originChain, emitterOf[originChain]);
        return RateWindowLib.used(chains[key], _buckets[key]);
    }

    /// @dev Rolls the window of `key` to the current hour, writing the ring words that changed.
    function _roll(RateWindowLib.Window memory w, bytes32 key) internal {
        (uint256[5] memory words, uint256 dirty) = RateWindowLib.roll(w, _buckets[key]);
        for (uint256 i; dirty != 0; ++i) {
            if (dirty & 1 != 0) _buckets[key][i] = words[i];
            dirty >>= 1;
        }
    }

    function _withdrawalHash(uint16 chain, bytes32 token, uint128 amount, bytes32 recipient) internal pure returns (bytes32) {
        return keccak256(abi.encode(chain, token, amount, recipient));
    }

    function _emitterKey(uint16 chain, bytes32 emitter) internal pure returns (bytes32 k) {
        assembly ("memory-safe") {
            mstore(0x00, chain)
            mstore(0x20, emitter)
            k := keccak256(0x1e, 0x22)
        }
    }

    function _publish(bytes memory payload) internal returns (uint64 seq) {
        seq = _sequence++;
        emit LogMessagePublished(address(this), seq, 0, payload, consistencyLevel);
    }
}
