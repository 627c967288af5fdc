import { deployBulwark, marginEngineAbi, toBytes32, type BulwarkDeployment } from '@bulwark/contracts-evm'
import { RISK_PROFILE } from '@bulwark/core'
import type { Address, Hex } from 'viem'
import { MARKETS } from '../markets.js'
import { demoTokenAbi, demoTokenBytecode } from './demo-token.generated.js'
import { deployContract, evmClient, fund, send } from './evm.js'

const E18 = 10n ** 18n

export type EvmChainPlan = { name: string; chainId: number; evmChainId: number; rpcUrl: string }

/** A collateral vault on a non-EVM origin (Solana) that the position chain's engine must accept. */
export type ExternalVault = { chainId: number; vault: Hex; asset: Hex; decimals: number; priceMarket: number; weight: bigint; govPriceE8: bigint }

export type DeployPlan = {
  /** chains[1] is the position chain (B); every other chain is a collateral origin. */
  chains: readonly EvmChainPlan[]
  deployerKey: Hex
  guardians: Address[]
  oracleSigners: Address[]
  oracleEmitter: { chain: number; address: Hex }
  external?: readonly ExternalVault[]
  /**
   * Liquidation target health (WAD) on every engine; 0n = off (the close factor). The other liquidation
   * parameters are deployBulwark's: core's RISK_PROFILE.liquidation. @default 1.5e18 (RISK_PROFILE)
   */
  targetHealth?: bigint
  progress?: (line: string) => void
}

export type DeployedChain = EvmChainPlan & { deployment: BulwarkDeployment; usdc: Address; role: 'origin' | 'position' }

/** Breaker parameters for the devnet: a 40% crash in steps is a liquidation story, not a halt. */
export const DEVNET_BREAKER = { maxMoveBps: 5000, window: 120, haltDuration: 30, cooldown: 10, maxOracleGap: 120, liquidationGrace: 0 }

/**
 * Margin settings on the position chain's engine (and the Solana program), per oracle market: core's
 * RISK_PROFILE.market (imf 6%, mmf 3%). The crash story needs no numbers of its own: bob (9.5x) is
 * still liquidated at -8% and carol (4.7x) stays above health 1 until the gap to -25% leaves her with
 * negative equity (bad debt), as with the earlier 10% / 5%; the lower mmf only widens carol's room.
 */
export const PERP_MARKETS = [
  { id: 1, ...RISK_PROFILE.market, feeRate: 5n * 10n ** 14n },
  { id: 3, ...RISK_PROFILE.market, feeRate: 5n * 10n ** 14n },
]
export const USDC_WEIGHT = (95n * E18) / 100n
export const USDC_MARKET = MARKETS.find((m) => m.base === 'USDC')!.id

/**
 * Deploys Bulwark to every EVM chain and wires them: the position chain's engine lists each origin's
 * USDC and accepts each origin vault's messages; each origin vault honours the position chain's
 * withdrawals. Also deploys the demo USDC on every origin.
 */
export async function deployNetwork(p: DeployPlan): Promise<DeployedChain[]> {
  const say = p.progress ?? (() => {})
  const position = p.chains[1]!
  const admin = (c: EvmChainPlan) => evmClient(c.rpcUrl, c.evmChainId, p.deployerKey)
  for (const c of p.chains) await fund(c.rpcUrl, admin(c).address, 1000n * E18)

  const usdc = new Map<number, Address>()
  for (const c of p.chains) usdc.set(c.chainId, await deployContract(admin(c), demoTokenAbi, demoTokenBytecode, ['USD Coin (devnet)', 'USDC', 6]))

  const common = (c: EvmChainPlan) => ({
    rpcUrl: c.rpcUrl,
    privateKey: p.deployerKey,
    chainId: c.chainId,
    guardians: p.guardians,
    oracleSigners: p.oracleSigners,
    oracleEmitter: p.oracleEmitter,
    breaker: DEVNET_BREAKER,
    queueDelay: 60,
    priceMarkets: MARKETS.map((m) => m.id),
    ...(p.targetHealth === undefined ? {} : { liquidation: { targetHealth: p.targetHealth } }),
  })
  const origins = p.chains.filter((c) => c !== position)
  const b = await deployBulwark({
    ...common(position),
    markets: PERP_MARKETS,
    assets: [
      ...origins.map((o) => ({ chain: o.chainId, token: toBytes32(usdc.get(o.chainId)!), priceMarket: USDC_MARKET, weight: USDC_WEIGHT, pendingWeight: 0n, decimals: 6, govPriceE8: 10n ** 8n })),
      ...(p.external ?? []).map((x) => ({ chain: x.chainId, token: x.asset, priceMarket: x.priceMarket, weight: x.weight, pendingWeight: 0n, decimals: x.decimals, govPriceE8: x.govPriceE8 })),
    ],
    vaultAssets: [{ token: usdc.get(position.chainId)!, cap: 10n ** 18n }],
  })
  say(`  deployed ${position.name}: engine ${b.contracts.engine}, oracle ${b.contracts.oracle}, vault ${b.contracts.vault}`)
  const engineEmitter = { chain: position.chainId, address: toBytes32(b.contracts.engine) }
  const out: DeployedChain[] = []
  for (const o of origins) {
    const d = await deployBulwark({ ...common(o), engineEmitter, vaultAssets: [{ token: usdc.get(o.chainId)!, cap: 10n ** 18n }] })
    await send(admin(position), b.contracts.engine, marginEngineAbi, 'registerEmitter', [o.chainId, toBytes32(d.contracts.vault), 10_000_000n, 1_000_000n])
    say(`  deployed ${o.name}: vault ${d.contracts.vault} (withdrawals approved by ${position.name}), USDC ${usdc.get(o.chainId)}`)
    out.push({ ...o, deployment: d, usdc: usdc.get(o.chainId)!, role: 'origin' })
  }
  for (const x of p.external ?? []) await send(admin(position), b.contracts.engine, marginEngineAbi, 'registerEmitter', [x.chainId, x.vault, 10_000_000n, 1_000_000n])
  out.splice(1, 0, { ...position, deployment: b, usdc: usdc.get(position.chainId)!, role: 'position' })
  return out
}

/** Mints demo USDC on a chain (the demo token lets anyone mint: devnet only). */
export async function mintUsdc(c: DeployedChain, deployerKey: Hex, to: Address, amount: bigint): Promise<void> {
  await send(evmClient(c.rpcUrl, c.evmChainId, deployerKey), c.usdc, demoTokenAbi, 'mint', [to, amount])
}
