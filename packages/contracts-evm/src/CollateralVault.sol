// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {GuardianVerifier} from "./base/GuardianVerifier.sol";
import {IMessagePublisher} from "./interfaces/IMessagePublisher.sol";
import {PayloadLib} from "./libraries/PayloadLib.sol";

/// @title CollateralVault — locks collateral on its origin chain, releases only on engine approval
/// @notice Each lock publishes a CollateralLocked message (emitter = this vault, strictly increasing
///         sequence). Funds leave only on a quorum-signed WithdrawalApproved VAA from the registered
///         margin engine, each at most once. Tokens must return `true` from transfer/transferFrom
///         and move exactly the amount asked (no fee-on-transfer); anything else is TransferFailed.
contract CollateralVault is GuardianVerifier, IMessagePublisher {
    /// @notice Token id used for native ETH.
    address public constant NATIVE = 0xEeeeeEeeeEeEeeEeEeEeeEEEeeeeEeeeeeeeEEeE;
    uint8 internal constant PAUSE_LOCK = 1;
    uint8 internal constant PAUSE_WITHDRAW = 4;

    struct AssetCfg {
        bool listed;
        uint128 cap; // maximum outstanding locked amount
        uint128 locked;
    }

    uint8 public paused; // slot 0, beside the guardian set
    uint8 private _entered;
    address public admin;
    uint64 internal _sequence;
    uint8 public consistencyLevel;
    uint16 public immutable engineChain;
    bytes32 public immutable engineEmitter;

    mapping(address token => AssetCfg) public assets;
    mapping(uint256 word => uint256) internal _released; // bitmap by WithdrawalApproved sequence

    event AssetConfigured(address indexed token, uint128 cap);
    event Locked(address indexed token, address indexed depositor, uint16 destinationChain, bytes32 account, uint128 amount, uint64 sequence);
    event Released(address indexed token, address indexed recipient, uint128 amount, uint64 withdrawalId);
    event Paused(uint8 bits);

    constructor(VerifierConfig memory vc, address admin_, uint16 engineChain_, bytes32 engineEmitter_) GuardianVerifier(vc) {
        if (admin_ == address(0) || engineChain_ == 0 || engineEmitter_ == 0) revert InvalidParameter();
        (admin, engineChain, engineEmitter, consistencyLevel) = (admin_, engineChain_, engineEmitter_, 1);
    }

    modifier onlyAdmin() {
        if (msg.sender != admin) revert Unauthorized();
        _;
    }

    modifier nonReentrant() {
        if (_entered != 0) revert Reentrancy();
        _entered = 1;
        _;
        _entered = 0;
    }

    // ------------------------------------------------------------------ admin

    function configureAsset(address token, uint128 cap) external onlyAdmin {
        if (token == address(0) || cap == 0) revert InvalidParameter();
        assets[token].listed = true;
        assets[token].cap = cap;
        emit AssetConfigured(token, cap);
    }

    function setPaused(uint8 bits) external onlyAdmin {
        paused = bits;
        emit Paused(bits);
    }

    function setConsistencyLevel(uint8 level) external onlyAdmin {
        consistencyLevel = level;
    }

    // ------------------------------------------------------------------ lock

    /// @notice Locks `amount` of ERC-20 `token` for `account` on `destinationChain`.
    function lock(address token, uint128 amount, uint16 destinationChain, bytes32 account)
        external
        nonReentrant
        returns (uint64 sequence)
    {
        if (token == NATIVE) revert InvalidParameter();
        _checkLock(token, amount, destinationChain, account);
        uint256 before = _balance(token);
        _call(token, abi.encodeWithSelector(0x23b872dd, msg.sender, address(this), uint256(amount)));
        if (_balance(token) - before != amount) revert TransferFailed();
        sequence = _recordLock(token, amount, destinationChain, account);
    }

    /// @notice Locks `msg.value` of native ETH for `account` on `destinationChain`.
    function lockNative(uint16 destinationChain, bytes32 account) external payable nonReentrant returns (uint64 sequence) {
        if (msg.value > type(uint128).max) revert InvalidAmount();
        _checkLock(NATIVE, uint128(msg.value), destinationChain, account);
        sequence = _recordLock(NATIVE, uint128(msg.value), destinationChain, account);
    }

    function _checkLock(address token, uint128 amount, uint16 destinationChain, bytes32 account) private view {
        if (paused & PAUSE_LOCK != 0) revert OperationPaused();
        if (amount == 0) revert ZeroAmount();
        if (destinationChain == 0 || account == 0) revert InvalidParameter();
        AssetCfg memory a = assets[token];
        if (!a.listed) revert UnknownAsset();
        if (uint256(a.locked) + amount > a.cap) revert CapExceeded();
    }

    function _recordLock(address token, uint128 amount, uint16 destinationChain, bytes32 account) private returns (uint64 seq) {
        assets[token].locked += amount;
        bytes memory payload = PayloadLib.encode(
            PayloadLib.CollateralLocked(destinationChain, account, bytes32(uint256(uint160(token))), amount, bytes32(uint256(uint160(msg.sender))))
        );
        seq = _sequence++;
        emit LogMessagePublished(address(this), seq, 0, payload, consistencyLevel);
        emit Locked(token, msg.sender, destinationChain, account, amount, seq);
    }

    // ------------------------------------------------------------------ release

    /// @notice Releases collateral on a WithdrawalApproved VAA from the registered engine.
    function release(bytes calldata vaa) external nonReentrant {
        if (paused & PAUSE_WITHDRAW != 0) revert OperationPaused();
        VaaBody memory b = _parseAndVerify(vaa);
        if (b.emitterChain != engineChain || b.emitterAddress != engineEmitter) revert UnknownEmitter();
        uint256 word = _released[b.sequence >> 8];
        uint256 bit = 1 << (b.sequence & 255);
        if (word & bit != 0) revert VaaAlreadyConsumed();
        PayloadLib.WithdrawalApproved memory w = PayloadLib.decodeWithdrawalApproved(b.payload);
        if (w.originChain != chainId) revert WrongDestinationChain();
        if (uint256(w.asset) >> 160 != 0 || uint256(w.recipient) >> 160 != 0 || w.recipient == 0) revert InvalidParameter();
        address token = address(uint160(uint256(w.asset)));
        address to = address(uint160(uint256(w.recipient)));
        AssetCfg storage a = assets[token];
        if (!a.listed) revert UnknownAsset();
        if (a.locked < w.amount) revert InsufficientCollateral();

        _released[b.sequence >> 8] = word | bit;
        a.locked -= w.amount;
        bytes memory payload = PayloadLib.encode(PayloadLib.CollateralReleased(engineChain, w.withdrawalId, w.asset, w.amount, w.recipient));
        uint64 seq = _sequence++;
        emit LogMessagePublished(address(this), seq, 0, payload, consistencyLevel);
        emit Released(token, to, w.amount, w.withdrawalId);

        if (token == NATIVE) {
            (bool ok,) = to.call{value: w.amount}("");
            if (!ok) revert TransferFailed();
        } else {
            uint256 before = _balance(token);
            _call(token, abi.encodeWithSelector(0xa9059cbb, to, uint256(w.amount)));
            if (before - _balance(token) != w.amount) revert TransferFailed();
        }
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IMessagePublisher
    function nextSequence() external view returns (uint64) {
        return _sequence;
    }

    /// @notice Whether the engine's WithdrawalApproved message `sequence` was already released.
    function isReleased(uint64 sequence) external view returns (bool) {
        return _released[sequence >> 8] & (1 << (sequence & 255)) != 0;
    }

    // ------------------------------------------------------------------ token plumbing

    /// @dev Calls `token`; it must succeed and return exactly abi-encoded `true`. A token that reverts
    ///      with data (e.g. Reentrancy() from a callback into this vault) has its reason passed on.
    function _call(address token, bytes memory data) private {
        (bool ok, bytes memory ret) = token.call(data);
        if (!ok && ret.length != 0) {
            assembly ("memory-safe") {
                revert(add(ret, 32), mload(ret))
            }
        }
        if (!ok || ret.length != 32 || abi.decode(ret, (uint256)) != 1) revert TransferFailed();
    }

    function _balance(address token) private view returns (uint256 b) {
        (bool ok, bytes memory ret) = token.staticcall(abi.encodeWithSelector(0x70a08231, address(this)));
        if (!ok || ret.length < 32) revert TransferFailed();
        b = abi.decode(ret, (uint256));
    }
}
