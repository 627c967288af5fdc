// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Script, console} from "forge-std/Script.sol";
import {CollateralVault} from "../src/CollateralVault.sol";
import {MarginEngine} from "../src/MarginEngine.sol";
import {PriceOracle} from "../src/PriceOracle.sol";
import {GuardianVerifier} from "../src/base/GuardianVerifier.sol";
import {IPriceOracle} from "../src/interfaces/IPriceOracle.sol";
import {BreakerLib} from "../src/libraries/BreakerLib.sol";
import {RiskLib} from "../src/libraries/RiskLib.sol";

/// @notice Deploys PriceOracle, MarginEngine and CollateralVault and wires them, with the defaults
///         of ts/deploy.ts `deployBulwark` (markets, assets and remote vaults are added later by the
///         admin). Environment:
///           PRIVATE_KEY  deployer and admin (required)
///           GUARDIANS    comma-separated guardian addresses (required); ORACLE_SIGNERS defaults to them
///           CHAIN_ID     Wormhole chain id of this chain (default 10002)
///           GOV_CHAIN / GOV_EMITTER  governance emitter (default 1 / bytes32(4))
///           QUEUE_DELAY  seconds before a rate-limited credit is released anyway (default 86400)
///           LOCAL_LIMIT_USD / LOCAL_LARGE_TRANSFER_USD  local vault's rate limit (default 10,000,000 / 1,000,000)
///           liquidation parameters, WAD integers (docs/protocol.md section 8), default core's RISK_PROFILE.liquidation:
///             CLOSE_FACTOR (5e17), FULL_LIQUIDATION_HEALTH (5e17), DUST_NOTIONAL (100e18), PENALTY_RATE (2e16),
///             LIQUIDATOR_SHARE (5e17), TARGET_HEALTH (1.5e18; 0 = off, liquidate by CLOSE_FACTOR)
///   forge script script/DeployBulwark.s.sol --rpc-url <url> --broadcast
contract DeployBulwark is Script {
    function run() external returns (PriceOracle oracle, MarginEngine engine, CollateralVault vault) {
        uint256 pk = vm.envUint("PRIVATE_KEY");
        address admin = vm.addr(pk);
        uint16 chainId = uint16(vm.envOr("CHAIN_ID", uint256(10002)));
        address[] memory guardians = vm.envAddress("GUARDIANS", ",");
        address[] memory signers = vm.envOr("ORACLE_SIGNERS", ",", guardians);
        GuardianVerifier.VerifierConfig memory vc = GuardianVerifier.VerifierConfig(
            chainId, uint16(vm.envOr("GOV_CHAIN", uint256(1))), vm.envOr("GOV_EMITTER", bytes32(uint256(4))), 86_400, guardians
        );

        RiskLib.LiquidationParams memory lp = liquidationParams();

        vm.startBroadcast(pk);
        oracle = new PriceOracle(
            GuardianVerifier.VerifierConfig(chainId, vc.governanceChain, vc.governanceEmitter, 86_400, signers),
            PriceOracle.Config(chainId, bytes32(uint256(0x0a)), 60, 5, admin),
            BreakerLib.Params(1500, 300, 600, 300, 120, 120)
        );
        engine = new MarginEngine(vc, IPriceOracle(address(oracle)), admin, uint32(vm.envOr("QUEUE_DELAY", uint256(86_400))));
        engine.setLiquidationParams(lp);
        vault = new CollateralVault(vc, admin, chainId, bytes32(uint256(uint160(address(engine)))));
        engine.registerEmitter(
            chainId,
            bytes32(uint256(uint160(address(vault)))),
            uint48(vm.envOr("LOCAL_LIMIT_USD", uint256(10_000_000))),
            uint48(vm.envOr("LOCAL_LARGE_TRANSFER_USD", uint256(1_000_000)))
        );
        vm.stopBroadcast();

        console.log("oracle", address(oracle));
        console.log("engine", address(engine));
        console.log("vault", address(vault));
    }

    /// @notice RISK_PROFILE.liquidation (packages/core/src/risk/profile.ts) with the environment's
    ///         overrides, checked as setLiquidationParams checks them (the script adds no markets, so
    ///         the targetHealth x mmf rule applies when the admin adds them) but naming the variable.
    function liquidationParams() internal view returns (RiskLib.LiquidationParams memory p) {
        p = RiskLib.LiquidationParams(
            vm.envOr("CLOSE_FACTOR", uint256(0.5e18)),
            vm.envOr("FULL_LIQUIDATION_HEALTH", uint256(0.5e18)),
            vm.envOr("DUST_NOTIONAL", uint256(100e18)),
            vm.envOr("PENALTY_RATE", uint256(0.02e18)),
            vm.envOr("LIQUIDATOR_SHARE", uint256(0.5e18)),
            vm.envOr("TARGET_HEALTH", uint256(1.5e18))
        );
        require(p.closeFactor != 0 && p.closeFactor <= 1e18, "CLOSE_FACTOR must be in (0, 1e18]");
        require(p.fullLiquidationHealth <= 1e18, "FULL_LIQUIDATION_HEALTH must be <= 1e18");
        require(p.penaltyRate <= 1e18, "PENALTY_RATE must be <= 1e18");
        require(p.liquidatorShare <= 1e18, "LIQUIDATOR_SHARE must be <= 1e18");
        require(p.targetHealth == 0 || (p.targetHealth >= 1e18 && p.targetHealth >> 128 == 0), "TARGET_HEALTH must be 0 (off) or in [1e18, 2^128)");
    }
}
