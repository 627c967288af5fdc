import { writeFileSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { createPublicClient, createWalletClient, http, pad, type Abi, type Address, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { collateralVaultAbi, marginEngineAbi, priceOracleAbi } from './generated/abi.js'
import { collateralVaultBytecode, marginEngineBytecode, priceOracleBytecode } from './generated/bytecode.js'
import { deployLiquidationParams, type LiquidationParamsEvm } from './liquidation.js'

/** Anvil's first default account (a well-known test key; never use it on a real network). */
export const ANVIL_KEY_0: Hex = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80'
/** Token id the vault uses for native ETH. */
export const NATIVE_TOKEN: Address = '0xEeeeeEeeeEeEeeEeEeEeeEEEeeeeEeeeeeeeEEeE'

export type Emitter = { chain: number; address: Hex }

export type DeployBulwarkOptions = {
  /** JSON-RPC endpoint. @default 'http://127.0.0.1:8545' */
  rpcUrl?: string
  /** Deployer and admin key. @default ANVIL_KEY_0 */
  privateKey?: Hex
  /** Wormhole-style chain id of this chain. @default 10002 */
  chainId?: number
  /** Guardian (relayer quorum) addresses for the engine and vault. */
  guardians: Address[]
  /** Oracle signer set. @default guardians */
  oracleSigners?: Address[]
  /** Emitter of PriceReport VAAs. @default { chain: chainId, address: bytes32(0x0a) } */
  oracleEmitter?: Emitter
  /** Governance emitter for guardian set upgrades. @default { chain: 1, address: bytes32(4) } */
  governance?: Emitter
  /** Seconds the previous guardian set stays valid after an upgrade. @default 86400 */
  guardianSetOverlap?: number
  /** Oracle freshness: max age / max future skew in seconds. @default 60 / 5 */
  maxAge?: number
  maxFuture?: number
  /** Breaker parameters. @default core's DEFAULT_BREAKER (1500 bps, 300, 600, 300, 120, 120) */
  breaker?: { maxMoveBps: number; window: number; haltDuration: number; cooldown: number; maxOracleGap: number; liquidationGrace: number }
  /** Seconds before a rate-limited credit is released anyway. @default 86400 */
  queueDelay?: number
  /** Oracle market ids to list (perp markets and collateral price feeds). */
  priceMarkets?: number[]
  /** Perpetual markets on the engine (fractions in WAD). */
  markets?: { id: number; imf: bigint; mmf: bigint; feeRate: bigint }[]
  /** Collateral the engine accepts: origin chain + token (bytes32) priced by an oracle market. */
  assets?: { chain: number; token: Hex; priceMarket: number; weight: bigint; pendingWeight: bigint; decimals: number; govPriceE8: bigint }[]
  /** Vault emitters whose CollateralLocked VAAs the engine credits (the local vault is always registered). */
  remoteVaults?: (Emitter & { limitUsd: bigint; largeTransferUsd: bigint })[]
  /** Rate limit of the local vault's emitter. @default 10,000,000 / 1,000,000 USD */
  localLimitUsd?: bigint
  localLargeTransferUsd?: bigint
  /** Engine whose WithdrawalApproved VAAs the local vault honours. @default the local engine */
  engineEmitter?: Emitter
  /** Tokens the local vault accepts, with caps (use NATIVE_TOKEN for ETH). */
  vaultAssets?: { token: Address; cap: bigint }[]
  /**
   * Liquidation parameters (WAD; docs/protocol.md section 8), set with `setLiquidationParams` after
   * the markets are added. A field left out takes core's `RISK_PROFILE.liquidation` value (section
   * 8.7); `{ targetHealth: 0n }` liquidates by the close factor instead. Checked before anything is
   * deployed, against every market's mmf: a bad value is `InvalidParameter` naming the field.
   * @default RISK_PROFILE.liquidation: closeFactor 0.5, fullLiquidationHealth 0.5, dustNotional 100 USD, penaltyRate 0.02, liquidatorShare 0.5, targetHealth 1.5
   */
  liquidation?: Partial<LiquidationParamsEvm>
  /** Where to write the deployment JSON (omitted = not written). */
  out?: string
}

export { ENGINE_LIQUIDATION_DEFAULTS, deployLiquidationParams, type LiquidationParamsEvm } from './liquidation.js'

export type BulwarkDeployment = {
  chainId: number
  evmChainId: number
  rpcUrl: string
  admin: Address
  contracts: { oracle: Address; engine: Address; vault: Address }
  /** Block of the first deployment transaction (watchers start here). */
  startBlock: string
}

export const toBytes32 = (a: Hex): Hex => pad(a, { size: 32 })

/** Deploys PriceOracle, MarginEngine and CollateralVault to any JSON-RPC and wires them. */
export async function deployBulwark(opts: DeployBulwarkOptions): Promise<BulwarkDeployment> {
  const rpcUrl = opts.rpcUrl ?? 'http://127.0.0.1:8545'
  const chainId = opts.chainId ?? 10002
  if (!opts.guardians?.length) throw new Error('deployBulwark: guardians must list at least one address')
  const liquidation = deployLiquidationParams(opts.liquidation, (opts.markets ?? []).map((m) => m.mmf))
  const account = privateKeyToAccount(opts.privateKey ?? ANVIL_KEY_0)
  const pub = createPublicClient({ transport: http(rpcUrl) })
  const evmChainId = await pub.getChainId()
  const chain = { id: evmChainId, name: `evm-${evmChainId}`, nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [rpcUrl] } } } as const
  const wallet = createWalletClient({ account, chain, transport: http(rpcUrl) })
  const startBlock = (await pub.getBlockNumber()) + 1n

  const governance = opts.governance ?? { chain: 1, address: toBytes32('0x04') }
  const vc = (keys: Address[]) => ({ chainId, governanceChain: governance.chain, governanceEmitter: governance.address, guardianSetOverlap: opts.guardianSetOverlap ?? 86_400, guardians: keys })

  const deploy = async (abi: Abi, bytecode: Hex, args: unknown[]): Promise<Address> => {
    const hash = await wallet.deployContract({ abi, bytecode, args } as never)
    const r = await pub.waitForTransactionReceipt({ hash })
    if (r.status !== 'success' || !r.contractAddress) throw new Error(`deployBulwark: deployment reverted (${hash})`)
    return r.contractAddress
  }
  const send = async (address: Address, abi: Abi, functionName: string, args: unknown[]) => {
    const { request } = await pub.simulateContract({ account, address, abi, functionName, args } as never)
    const hash = await wallet.writeContract(request as never)
    const r = await pub.waitForTransactionReceipt({ hash })
    if (r.status !== 'success') throw new Error(`deployBulwark: ${functionName} reverted (${hash})`)
  }

  const b = opts.breaker ?? { maxMoveBps: 1500, window: 300, haltDuration: 600, cooldown: 300, maxOracleGap: 120, liquidationGrace: 120 }
  const oracleEmitter = opts.oracleEmitter ?? { chain: chainId, address: toBytes32('0x0a') }
  const oracle = await deploy(priceOracleAbi as Abi, priceOracleBytecode, [
    vc(opts.oracleSigners ?? opts.guardians),
    { emitterChain: oracleEmitter.chain, emitterAddress: oracleEmitter.address, maxAge: opts.maxAge ?? 60, maxFuture: opts.maxFuture ?? 5, admin: account.address },
    { maxMoveBps: BigInt(b.maxMoveBps), window: b.window, haltDuration: b.haltDuration, cooldown: b.cooldown, maxOracleGap: b.maxOracleGap, liquidationGrace: b.liquidationGrace },
  ])
  const engine = await deploy(marginEngineAbi as Abi, marginEngineBytecode, [vc(opts.guardians), oracle, account.address, opts.queueDelay ?? 86_400])
  const engineEmitter = opts.engineEmitter ?? { chain: chainId, address: toBytes32(engine) }
  const vault = await deploy(collateralVaultAbi as Abi, collateralVaultBytecode, [vc(opts.guardians), account.address, engineEmitter.chain, engineEmitter.address])

  for (const id of new Set([...(opts.priceMarkets ?? []), ...(opts.markets ?? []).map((m) => m.id), ...(opts.assets ?? []).map((a) => a.priceMarket)])) {
    await send(oracle, priceOracleAbi as Abi, 'listMarket', [id])
  }
  for (const m of opts.markets ?? []) await send(engine, marginEngineAbi as Abi, 'addMarket', [m.id, m.imf, m.mmf, m.feeRate])
  await send(engine, marginEngineAbi as Abi, 'setLiquidationParams', [liquidation])
  for (const a of opts.assets ?? []) {
    await send(engine, marginEngineAbi as Abi, 'listAsset', [{ chain: a.chain, priceMarket: a.priceMarket, weight: a.weight, pendingWeight: a.pendingWeight, decimals: a.decimals, token: a.token }, a.govPriceE8])
  }
  await send(engine, marginEngineAbi as Abi, 'registerEmitter', [chainId, toBytes32(vault), opts.localLimitUsd ?? 10_000_000n, opts.localLargeTransferUsd ?? 1_000_000n])
  for (const r of opts.remoteVaults ?? []) await send(engine, marginEngineAbi as Abi, 'registerEmitter', [r.chain, r.address, r.limitUsd, r.largeTransferUsd])
  for (const v of opts.vaultAssets ?? []) await send(vault, collateralVaultAbi as Abi, 'configureAsset', [v.token, v.cap])

  const deployment: BulwarkDeployment = { chainId, evmChainId, rpcUrl, admin: account.address, contracts: { oracle, engine, vault }, startBlock: startBlock.toString() }
  if (opts.out) {
    mkdirSync(dirname(opts.out), { recursive: true })
    writeFileSync(opts.out, JSON.stringify(deployment, null, 2) + '\n')
  }
  return deployment
}
