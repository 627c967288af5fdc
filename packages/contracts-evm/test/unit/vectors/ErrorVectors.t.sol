// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {VectorBase} from "../../utils/VectorBase.sol";
import {IBulwarkErrors as E} from "../../../src/interfaces/IBulwarkErrors.sol";

/// @notice Every shared error name exists in IBulwarkErrors, in the order of vectors/errors.json codes.
contract ErrorVectorsTest is VectorBase {
    function selectors() internal pure returns (bytes4[44] memory s) {
        s = [
            E.Overflow.selector, E.Underflow.selector, E.DivisionByZero.selector, E.ZeroAmount.selector,
            E.InvalidAmount.selector, E.InvalidPrice.selector, E.InvalidParameter.selector, E.TruncatedPayload.selector,
            E.TrailingBytes.selector, E.UnknownPayloadType.selector, E.UnsupportedVersion.selector,
            E.NonCanonicalEncoding.selector, E.PayloadTooLarge.selector, E.InvalidVaaVersion.selector,
            E.TruncatedVaa.selector, E.GuardianSetUnknown.selector, E.GuardianSetExpired.selector,
            E.QuorumNotMet.selector, E.SignaturesNotAscending.selector, E.GuardianIndexOutOfRange.selector,
            E.InvalidSignature.selector, E.VaaAlreadyConsumed.selector, E.UnknownEmitter.selector,
            E.WrongDestinationChain.selector, E.InvalidGovernance.selector, E.StalePrice.selector,
            E.FuturePrice.selector, E.InsufficientSources.selector, E.PriceDivergence.selector,
            E.StaleUpdate.selector, E.UnknownMarket.selector, E.InsufficientCollateral.selector,
            E.InsufficientMargin.selector, E.AccountHealthy.selector, E.UnknownAsset.selector,
            E.UnknownAccount.selector, E.PositionNotFound.selector, E.MarketHalted.selector,
            E.OperationPaused.selector, E.GracePeriod.selector, E.CapExceeded.selector, E.TransferFailed.selector,
            E.Reentrancy.selector, E.Unauthorized.selector
        ];
    }

    function test_everyErrorNameAndCode() public {
        load("errors");
        bytes4[44] memory s = selectors();
        uint256 n = caseCount();
        assertEq(n, 44);
        for (uint256 k; k < n; ++k) {
            string memory p = casePath(k);
            uint256 code = u(string.concat(p, ".output.code"));
            assertEq(s[code - 1], selectorOf(str(string.concat(p, ".input.name"))), str(string.concat(p, ".name")));
        }
    }
}
