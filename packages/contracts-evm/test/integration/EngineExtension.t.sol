// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {BulwarkFixture} from "../utils/BulwarkFixture.sol";
import {EngineExtension} from "../../src/EngineExtension.sol";
import {EngineState} from "../../src/base/EngineState.sol";
import {IBulwarkErrors as E} from "../../src/interfaces/IBulwarkErrors.sol";
import {IGuardianVerifier} from "../../src/interfaces/IGuardianVerifier.sol";
import {PayloadLib} from "../../src/libraries/PayloadLib.sol";
import {RiskLib} from "../../src/libraries/RiskLib.sol";

/// @notice The calls MarginEngine forwards to its EngineExtension (DELEGATECALL) behave as if the
///         engine ran them: same caller, same storage, events from the engine, values and errors
///         passed back unchanged.
contract EngineExtensionTest is BulwarkFixture {
    address internal bob = address(0xB0B);

    function setUp() public {
        deploy(19);
    }

    /// @dev With 19 guardians the constructor first writes the key code (nonce 1), then the extension.
    function _extension() internal view returns (EngineExtension) {
        return EngineExtension(vm.computeCreateAddress(address(engine), 2));
    }

    function test_forwardedAdminCallsKeepTheCaller() public {
        RiskLib.LiquidationParams memory lp = RiskLib.LiquidationParams(0.5e18, 0.5e18, 100e18, 0.02e18, 0.5e18, 0);
        vm.startPrank(bob);
        vm.expectRevert(E.Unauthorized.selector);
        engine.registerEmitter(4242, bytes32(uint256(0xb0b)), 1_000, 100);
        vm.expectRevert(E.Unauthorized.selector);
        engine.listAsset(EngineState.AssetInfo(4242, USD, 1e18, 0, 6, USDC), 1e8);
        vm.expectRevert(E.Unauthorized.selector);
        engine.addMarket(USD, 0.1e18, 0.05e18, 0);
        vm.expectRevert(E.Unauthorized.selector);
        engine.setLiquidationParams(lp);
        vm.stopPrank();
        assertEq(engine.emitterOf(4242), bytes32(0));
        assertEq(engine.marketIndex(USD), 0);
    }

    function test_forwardedCallsReturnEmitAndWriteLikeTheEngine() public {
        vm.prank(admin);
        vm.expectEmit(address(engine));
        emit EngineState.MarketAdded(3, USD);
        assertEq(engine.addMarket(USD, 0.1e18, 0.05e18, 0.0005e18), 3);
        assertEq(engine.marketCount(), 4);
        assertEq(engine.marketIndex(USD), 4);

        vm.prank(admin);
        vm.expectEmit(address(engine));
        emit EngineState.AssetListed(3, 4242, USDC, USD);
        assertEq(engine.listAsset(EngineState.AssetInfo(4242, USD, 1e18, 0, 6, USDC), 1e8), 3);
        (,, uint8 decimals, uint8 id) = engine.assetSlots(4242, USDC);
        assertEq(decimals, 6);
        assertEq(id, 3);

        // a validation error comes back as the same custom error
        vm.prank(admin);
        vm.expectRevert(E.InvalidParameter.selector);
        engine.addMarket(USD, 0.1e18, 0.05e18, 0.0005e18);
        assertEq(engine.marketCount(), 4);
    }

    function test_extensionCalledDirectlyLeavesTheEngineAlone() public {
        EngineExtension ext = _extension();
        assertGt(address(ext).code.length, 0);
        assertEq(ext.admin(), admin);
        assertEq(address(ext.oracle()), address(oracle));
        vm.prank(admin);
        ext.addMarket(USD, 0.1e18, 0.05e18, 0);
        assertEq(ext.marketCount(), 1); // its own, unused storage
        assertEq(engine.marketCount(), 3);
        assertEq(engine.marketIndex(USD), 0);
    }

    function test_guardianSetUpgradeThroughTheEngine() public {
        address[] memory next = makeGuardians(4, 1);
        uint256[] memory nextPks = guardianPks;
        makeGuardians(19, 0); // sign the upgrade with the current set
        bytes memory up = signQuorum(body(GOV_CHAIN, GOV_EMITTER, 1, PayloadLib.encode(PayloadLib.GuardianSetUpgrade(CHAIN, 1, next))));
        vm.expectEmit(true, false, false, false, address(engine));
        emit IGuardianVerifier.GuardianSetUpgraded(1, address(0), 0);
        engine.submitGuardianSetUpgrade(up);
        assertEq(engine.guardianSetIndex(), 1);
        (address[] memory keys, uint64 expiry) = engine.getGuardianSet(1);
        assertEq(keys, next);
        assertEq(expiry, 0);
        vm.expectRevert(E.InvalidGovernance.selector); // signed by set 0, no longer current
        engine.submitGuardianSetUpgrade(up);

        // a credit signed by the new set is accepted
        bytes memory vaa = signQuorumWith(nextPks, 1, body(REMOTE, REMOTE_VAULT, lockSeq++, lockedPayload(bob, USDC, 5e6)));
        engine.credit(vaa);
        (uint128 active,) = engine.balanceOf(toBytes32(bob), usdcId);
        assertEq(active, 5e6);
    }
}
