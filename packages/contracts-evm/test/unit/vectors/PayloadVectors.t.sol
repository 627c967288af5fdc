// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {VectorBase} from "../../utils/VectorBase.sol";
import {PayloadLib} from "../../../src/libraries/PayloadLib.sol";
import {IBulwarkErrors as E} from "../../../src/interfaces/IBulwarkErrors.sol";

/// @notice Code under test: decode returns abi.encode(type, struct); encode takes the struct.
contract PayloadHarness {
    function decode(bytes memory b) external pure returns (uint8 t, bytes memory out) {
        t = PayloadLib.payloadType(b);
        if (t == 1) out = abi.encode(PayloadLib.decodeCollateralLocked(b));
        else if (t == 2) out = abi.encode(PayloadLib.decodeWithdrawalApproved(b));
        else if (t == 3) out = abi.encode(PayloadLib.decodeCollateralReleased(b));
        else if (t == 4) out = abi.encode(PayloadLib.decodePriceReport(b));
        else out = abi.encode(PayloadLib.decodeGuardianSetUpgrade(b));
    }

    /// @dev `amount` arrives wider than u128 so out-of-range input maps to InvalidParameter.
    function encodeLocked(uint16 dest, bytes32 account, bytes32 asset, uint256 amount, bytes32 depositor)
        external
        pure
        returns (bytes memory)
    {
        if (amount > type(uint128).max) revert E.InvalidParameter();
        return PayloadLib.encode(PayloadLib.CollateralLocked(dest, account, asset, uint128(amount), depositor));
    }

    function encodeWithdrawal(PayloadLib.WithdrawalApproved memory p) external pure returns (bytes memory) {
        return PayloadLib.encode(p);
    }

    function encodeReleased(PayloadLib.CollateralReleased memory p) external pure returns (bytes memory) {
        return PayloadLib.encode(p);
    }

    function encodeReport(PayloadLib.PriceReport memory p) external pure returns (bytes memory) {
        return PayloadLib.encode(p);
    }

    function encodeUpgrade(PayloadLib.GuardianSetUpgrade memory p) external pure returns (bytes memory) {
        return PayloadLib.encode(p);
    }
}

contract PayloadVectorsTest is VectorBase {
    PayloadHarness internal h = new PayloadHarness();

    function _typeId(string memory t) internal pure returns (uint8) {
        bytes32 k = keccak256(bytes(t));
        if (k == keccak256("CollateralLocked")) return 1;
        if (k == keccak256("WithdrawalApproved")) return 2;
        if (k == keccak256("CollateralReleased")) return 3;
        if (k == keccak256("PriceReport")) return 4;
        if (k == keccak256("GuardianSetUpgrade")) return 5;
        revert("unknown type in vector");
    }

    function _s(string memory base, string memory f) internal pure returns (string memory) {
        return string.concat(base, ".", f);
    }

    /// @dev Builds the call for `encode` (or the expected struct for `decode`) from the JSON object at `base`.
    function _encodeCall(string memory base) internal view returns (uint8 t, bytes memory call, bytes memory expected) {
        t = _typeId(str(_s(base, "type")));
        if (t == 1) {
            uint256 amount = u(_s(base, "amount"));
            call = abi.encodeCall(h.encodeLocked, (uint16(u(_s(base, "destinationChain"))), b32(_s(base, "account")), b32(_s(base, "asset")), amount, b32(_s(base, "depositor"))));
            if (amount <= type(uint128).max) {
                expected = abi.encode(PayloadLib.CollateralLocked(uint16(u(_s(base, "destinationChain"))), b32(_s(base, "account")), b32(_s(base, "asset")), uint128(amount), b32(_s(base, "depositor"))));
            }
        } else if (t == 2) {
            PayloadLib.WithdrawalApproved memory p = PayloadLib.WithdrawalApproved(uint16(u(_s(base, "originChain"))), b32(_s(base, "account")), b32(_s(base, "asset")), uint128(u(_s(base, "amount"))), b32(_s(base, "recipient")), uint64(u(_s(base, "withdrawalId"))));
            (call, expected) = (abi.encodeCall(h.encodeWithdrawal, (p)), abi.encode(p));
        } else if (t == 3) {
            PayloadLib.CollateralReleased memory p = PayloadLib.CollateralReleased(uint16(u(_s(base, "positionChain"))), uint64(u(_s(base, "withdrawalId"))), b32(_s(base, "asset")), uint128(u(_s(base, "amount"))), b32(_s(base, "recipient")));
            (call, expected) = (abi.encodeCall(h.encodeReleased, (p)), abi.encode(p));
        } else if (t == 4) {
            PayloadLib.PriceReport memory p = _report(base);
            (call, expected) = (abi.encodeCall(h.encodeReport, (p)), abi.encode(p));
        } else {
            uint256 n;
            while (has(string.concat(base, ".keys[", vm.toString(n), "]"))) ++n;
            address[] memory keys = new address[](n);
            for (uint256 k; k < n; ++k) {
                keys[k] = vm.parseJsonAddress(json, string.concat(base, ".keys[", vm.toString(k), "]"));
            }
            PayloadLib.GuardianSetUpgrade memory p = PayloadLib.GuardianSetUpgrade(uint16(u(_s(base, "targetChain"))), uint32(u(_s(base, "newIndex"))), keys);
            (call, expected) = (abi.encodeCall(h.encodeUpgrade, (p)), abi.encode(p));
        }
    }

    function _report(string memory base) internal view returns (PayloadLib.PriceReport memory p) {
        uint256 n;
        while (has(string.concat(base, ".prices[", vm.toString(n), "]"))) ++n;
        p.publishTime = uint64(u(_s(base, "publishTime")));
        p.entries = new PayloadLib.PriceEntry[](n);
        for (uint256 k; k < n; ++k) {
            string memory e = string.concat(base, ".prices[", vm.toString(k), "]");
            p.entries[k] = PayloadLib.PriceEntry(uint32(u(_s(e, "marketId"))), uint128(u(_s(e, "price"))), uint128(u(_s(e, "conf"))), uint128(u(_s(e, "emaPrice"))), uint128(u(_s(e, "volMultiplier"))));
        }
    }

    function test_everyPayloadVector() public {
        load("payloads");
        uint256 n = caseCount();
        assertGt(n, 0);
        for (uint256 k; k < n; ++k) {
            string memory p = casePath(k);
            string memory name = str(_s(p, "name"));
            bool isDecode = keccak256(bytes(str(_s(p, "op")))) == keccak256("decode");
            if (isDecode) {
                bytes memory input = hexBytes(_s(p, "input.hex"));
                (bool ok, bytes memory ret) = address(h).staticcall(abi.encodeCall(h.decode, (input)));
                if (!checkOutcome(p, ok, ret)) continue;
                (uint8 t, bytes memory got) = abi.decode(ret, (uint8, bytes));
                (uint8 wantT,, bytes memory want) = _encodeCall(_s(p, "output"));
                assertEq(t, wantT, name);
                assertEq(got, want, name);
            } else {
                (, bytes memory call,) = _encodeCall(_s(p, "input"));
                (bool ok, bytes memory ret) = address(h).staticcall(call);
                if (!checkOutcome(p, ok, ret)) continue;
                assertEq(abi.decode(ret, (bytes)), hexBytes(_s(p, "output.hex")), name);
            }
        }
    }
}
