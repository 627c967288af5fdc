// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IBulwarkErrors as E} from "../interfaces/IBulwarkErrors.sol";

/// @title PayloadLib — Bulwark payload codecs (docs/protocol.md §4)
/// @notice Fixed-size big-endian layouts, `type u8, version u8` first. Decoders reject empty,
///         unknown, short, long and non-canonical input with the shared error names.
library PayloadLib {
    uint8 internal constant COLLATERAL_LOCKED = 1;
    uint8 internal constant WITHDRAWAL_APPROVED = 2;
    uint8 internal constant COLLATERAL_RELEASED = 3;
    uint8 internal constant PRICE_REPORT = 4;
    uint8 internal constant GUARDIAN_SET_UPGRADE = 5;
    uint8 internal constant VERSION = 1;
    uint256 internal constant MAX_PAYLOAD = 1024;
    uint256 internal constant MAX_PRICES = 15;
    uint256 internal constant MAX_KEYS = 19;

    struct CollateralLocked {
        uint16 destinationChain;
        bytes32 account;
        bytes32 asset;
        uint128 amount;
        bytes32 depositor;
    }

    struct WithdrawalApproved {
        uint16 originChain;
        bytes32 account;
        bytes32 asset;
        uint128 amount;
        bytes32 recipient;
        uint64 withdrawalId;
    }

    struct CollateralReleased {
        uint16 positionChain;
        uint64 withdrawalId;
        bytes32 asset;
        uint128 amount;
        bytes32 recipient;
    }

    struct PriceEntry {
        uint32 marketId;
        uint128 price;
        uint128 conf;
        uint128 emaPrice;
        uint128 volMultiplier;
    }

    struct PriceReport {
        uint64 publishTime;
        PriceEntry[] entries;
    }

    struct GuardianSetUpgrade {
        uint16 targetChain;
        uint32 newIndex;
        address[] keys;
    }

    // ---------------------------------------------------------------- readers

    /// @dev Reads `len` (<= 32) big-endian bytes at `off` of `b` (bounds checked by callers).
    function _read(bytes memory b, uint256 off, uint256 len) private pure returns (uint256 v) {
        assembly ("memory-safe") {
            v := shr(sub(256, mul(len, 8)), mload(add(add(b, 32), off)))
        }
    }

    /// @dev Common header checks; returns the type byte.
    function _header(bytes memory b) private pure returns (uint8 t) {
        if (b.length == 0) revert E.TruncatedPayload();
        if (b.length > MAX_PAYLOAD) revert E.PayloadTooLarge();
        t = uint8(b[0]);
        if (t == 0 || t > GUARDIAN_SET_UPGRADE) revert E.UnknownPayloadType();
        if (b.length < 2) revert E.TruncatedPayload();
        if (uint8(b[1]) != VERSION) revert E.UnsupportedVersion();
    }

    function _expect(bytes memory b, uint8 want, uint256 size) private pure {
        if (_header(b) != want) revert E.UnknownPayloadType();
        if (b.length < size) revert E.TruncatedPayload();
        if (b.length > size) revert E.TrailingBytes();
    }

    /// @notice Type byte of a payload after header validation.
    function payloadType(bytes memory b) internal pure returns (uint8) {
        return _header(b);
    }

    // ---------------------------------------------------------------- decoders

    function decodeCollateralLocked(bytes memory b) internal pure returns (CollateralLocked memory p) {
        _expect(b, COLLATERAL_LOCKED, 116);
        p.destinationChain = uint16(_read(b, 2, 2));
        p.account = bytes32(_read(b, 4, 32));
        p.asset = bytes32(_read(b, 36, 32));
        p.amount = uint128(_read(b, 68, 16));
        p.depositor = bytes32(_read(b, 84, 32));
        if (p.destinationChain == 0) revert E.InvalidParameter();
        if (p.amount == 0) revert E.ZeroAmount();
    }

    function decodeWithdrawalApproved(bytes memory b) internal pure returns (WithdrawalApproved memory p) {
        _expect(b, WITHDRAWAL_APPROVED, 124);
        p.originChain = uint16(_read(b, 2, 2));
        p.account = bytes32(_read(b, 4, 32));
        p.asset = bytes32(_read(b, 36, 32));
        p.amount = uint128(_read(b, 68, 16));
        p.recipient = bytes32(_read(b, 84, 32));
        p.withdrawalId = uint64(_read(b, 116, 8));
        if (p.originChain == 0) revert E.InvalidParameter();
        if (p.amount == 0) revert E.ZeroAmount();
    }

    function decodeCollateralReleased(bytes memory b) internal pure returns (CollateralReleased memory p) {
        _expect(b, COLLATERAL_RELEASED, 92);
        p.positionChain = uint16(_read(b, 2, 2));
        p.withdrawalId = uint64(_read(b, 4, 8));
        p.asset = bytes32(_read(b, 12, 32));
        p.amount = uint128(_read(b, 44, 16));
        p.recipient = bytes32(_read(b, 60, 32));
        if (p.positionChain == 0) revert E.InvalidParameter();
        if (p.amount == 0) revert E.ZeroAmount();
    }

    function decodePriceReport(bytes memory b) internal pure returns (PriceReport memory p) {
        if (_header(b) != PRICE_REPORT) revert E.UnknownPayloadType();
        if (b.length < 11) revert E.TruncatedPayload();
        p.publishTime = uint64(_read(b, 2, 8));
        uint256 count = uint8(b[10]);
        if (count == 0 || count > MAX_PRICES) revert E.NonCanonicalEncoding();
        uint256 size = 11 + 68 * count;
        if (b.length < size) revert E.TruncatedPayload();
        if (b.length > size) revert E.TrailingBytes();
        p.entries = new PriceEntry[](count);
        for (uint256 i; i < count; ++i) {
            uint256 o = 11 + 68 * i;
            PriceEntry memory e = p.entries[i];
            e.marketId = uint32(_read(b, o, 4));
            e.price = uint128(_read(b, o + 4, 16));
            e.conf = uint128(_read(b, o + 20, 16));
            e.emaPrice = uint128(_read(b, o + 36, 16));
            e.volMultiplier = uint128(_read(b, o + 52, 16));
            if (i > 0 && e.marketId <= p.entries[i - 1].marketId) revert E.NonCanonicalEncoding();
            if (e.price == 0 || e.emaPrice == 0) revert E.InvalidPrice();
            if (e.volMultiplier < 1e18) revert E.InvalidParameter();
        }
    }

    function decodeGuardianSetUpgrade(bytes memory b) internal pure returns (GuardianSetUpgrade memory p) {
        if (_header(b) != GUARDIAN_SET_UPGRADE) revert E.UnknownPayloadType();
        if (b.length < 9) revert E.TruncatedPayload();
        p.targetChain = uint16(_read(b, 2, 2));
        p.newIndex = uint32(_read(b, 4, 4));
        uint256 k = uint8(b[8]);
        if (k == 0 || k > MAX_KEYS) revert E.NonCanonicalEncoding();
        uint256 size = 9 + 20 * k;
        if (b.length < size) revert E.TruncatedPayload();
        if (b.length > size) revert E.TrailingBytes();
        p.keys = new address[](k);
        for (uint256 i; i < k; ++i) {
            address key = address(uint160(_read(b, 9 + 20 * i, 20)));
            if (key == address(0)) revert E.NonCanonicalEncoding();
            for (uint256 j; j < i; ++j) {
                if (p.keys[j] == key) revert E.NonCanonicalEncoding();
            }
            p.keys[i] = key;
        }
    }

    // ---------------------------------------------------------------- encoders

    function encode(CollateralLocked memory p) internal pure returns (bytes memory) {
        if (p.amount == 0) revert E.ZeroAmount();
        if (p.destinationChain == 0) revert E.InvalidParameter();
        return abi.encodePacked(COLLATERAL_LOCKED, VERSION, p.destinationChain, p.account, p.asset, p.amount, p.depositor);
    }

    function encode(WithdrawalApproved memory p) internal pure returns (bytes memory) {
        if (p.amount == 0) revert E.ZeroAmount();
        if (p.originChain == 0) revert E.InvalidParameter();
        return abi.encodePacked(
            WITHDRAWAL_APPROVED, VERSION, p.originChain, p.account, p.asset, p.amount, p.recipient, p.withdrawalId
        );
    }

    function encode(CollateralReleased memory p) internal pure returns (bytes memory) {
        if (p.amount == 0) revert E.ZeroAmount();
        if (p.positionChain == 0) revert E.InvalidParameter();
        return abi.encodePacked(COLLATERAL_RELEASED, VERSION, p.positionChain, p.withdrawalId, p.asset, p.amount, p.recipient);
    }

    function encode(PriceReport memory p) internal pure returns (bytes memory out) {
        uint256 n = p.entries.length;
        if (n == 0 || n > MAX_PRICES) revert E.InvalidParameter();
        out = abi.encodePacked(PRICE_REPORT, VERSION, p.publishTime, uint8(n));
        for (uint256 i; i < n; ++i) {
            PriceEntry memory e = p.entries[i];
            out = bytes.concat(out, abi.encodePacked(e.marketId, e.price, e.conf, e.emaPrice, e.volMultiplier));
        }
    }

    function encode(GuardianSetUpgrade memory p) internal pure returns (bytes memory out) {
        uint256 k = p.keys.length;
        if (k == 0 || k > MAX_KEYS) revert E.InvalidParameter();
        out = abi.encodePacked(GUARDIAN_SET_UPGRADE, VERSION, p.targetChain, p.newIndex, uint8(k));
        for (uint256 i; i < k; ++i) {
            out = bytes.concat(out, abi.encodePacked(p.keys[i]));
        }
    }
}
