// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {VaaTestBase} from "./VaaTestBase.sol";
import {MarginEngine} from "../../src/MarginEngine.sol";
import {PriceOracle} from "../../src/PriceOracle.sol";
import {CollateralVault} from "../../src/CollateralVault.sol";
import {GuardianVerifier} from "../../src/base/GuardianVerifier.sol";
import {EngineState} from "../../src/base/EngineState.sol";
import {BreakerLib} from "../../src/libraries/BreakerLib.sol";
import {PayloadLib} from "../../src/libraries/PayloadLib.sol";
import {IPriceOracle} from "../../src/interfaces/IPriceOracle.sol";

/// @notice Deploys oracle + engine (position chain CHAIN) and a vault (origin chain REMOTE's
///         emitter is simulated by signing CollateralLocked VAAs directly).
abstract contract BulwarkFixture is VaaTestBase {
    uint16 internal constant ORACLE_CHAIN = 2000;
    bytes32 internal constant ORACLE_EMITTER = bytes32(uint256(0x0a));
    bytes32 internal constant REMOTE_VAULT = bytes32(uint256(0xbeef));
    bytes32 internal constant USDC = bytes32(uint256(0xA0B8));
    bytes32 internal constant WETH = bytes32(uint256(0xC02A));
    uint32 internal constant ETH = 1;
    uint32 internal constant BTC = 2;
    uint32 internal constant SOL = 3;
    uint32 internal constant USD = 100;
    uint256 internal constant T0 = 1_700_000_000;

    PriceOracle internal oracle;
    MarginEngine internal engine;
    uint256[] internal oraclePks;
    uint64 internal lockSeq;
    uint8 internal usdcId;
    uint8 internal wethId;
    address internal admin = address(0xAD);
    uint32 internal queueDelay = 3600; // engine's delay before a queued credit is released anyway

    function deploy(uint256 guardians) internal {
        vm.warp(T0);
        address[] memory g = makeGuardians(guardians, 0);
        address[] memory o = new address[](5);
        for (uint256 i; i < 5; ++i) {
            oraclePks.push(uint256(keccak256(abi.encode("oracle", i))) % type(uint128).max + 1);
            o[i] = vm.addr(oraclePks[i]);
        }
        oracle = new PriceOracle(
            GuardianVerifier.VerifierConfig(CHAIN, GOV_CHAIN, GOV_EMITTER, 0, o),
            PriceOracle.Config(ORACLE_CHAIN, ORACLE_EMITTER, 60, 5, admin),
            BreakerLib.Params(1500, 300, 600, 300, 120, 120)
        );
        engine = new MarginEngine(verifierConfig(g), IPriceOracle(address(oracle)), admin, queueDelay);
        vm.startPrank(admin);
        oracle.listMarket(ETH);
        oracle.listMarket(BTC);
        oracle.listMarket(SOL);
        oracle.listMarket(USD);
        engine.addMarket(ETH, 0.1e18, 0.05e18, 0.0005e18);
        engine.addMarket(BTC, 0.1e18, 0.05e18, 0.0005e18);
        engine.addMarket(SOL, 0.2e18, 0.1e18, 0.0005e18);
        usdcId = engine.listAsset(EngineState.AssetInfo(REMOTE, USD, 1e18, 0.5e18, 6, USDC), 1e8);
        wethId = engine.listAsset(EngineState.AssetInfo(REMOTE, ETH, 0.8e18, 0, 18, WETH), 3000e8);
        engine.registerEmitter(REMOTE, REMOTE_VAULT, 10_000_000, 1_000_000);
        vm.stopPrank();
        pushPrices(T0, 3000e18, 60_000e18, 150e18);
    }

    function pushPrices(uint256 t, uint256 eth, uint256 btc, uint256 sol) internal {
        PayloadLib.PriceReport memory r;
        r.publishTime = uint64(t);
        r.entries = new PayloadLib.PriceEntry[](4);
        r.entries[0] = PayloadLib.PriceEntry(ETH, uint128(eth), 1e18, uint128(eth), 1e18);
        r.entries[1] = PayloadLib.PriceEntry(BTC, uint128(btc), 1e18, uint128(btc), 1e18);
        r.entries[2] = PayloadLib.PriceEntry(SOL, uint128(sol), 1e18, uint128(sol), 1e18);
        r.entries[3] = PayloadLib.PriceEntry(USD, 1e18, 0, 1e18, 1e18);
        oracle.submitPriceReport(priceVaa(r));
    }

    function priceVaa(PayloadLib.PriceReport memory r) internal view returns (bytes memory) {
        return signQuorumWith(oraclePks, 0, body(ORACLE_CHAIN, ORACLE_EMITTER, r.publishTime, PayloadLib.encode(r)));
    }

    function lockedPayload(address account, bytes32 token, uint128 amount) internal pure returns (bytes memory) {
        return PayloadLib.encode(PayloadLib.CollateralLocked(CHAIN, toBytes32(account), token, amount, bytes32(uint256(0xD0))));
    }

    function lockVaa(address account, bytes32 token, uint128 amount) internal returns (bytes memory) {
        return signQuorum(body(REMOTE, REMOTE_VAULT, lockSeq++, lockedPayload(account, token, amount)));
    }

    function creditUsdc(address account, uint128 amount) internal {
        engine.credit(lockVaa(account, USDC, amount));
    }
}
