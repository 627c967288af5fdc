import { collateralVaultAbi, marginEngineAbi } from '@bulwark/contracts-evm'
import { pad, type Address, type Hex } from 'viem'
import type { DeployedChain } from '../chains/deploy.js'
import { demoTokenAbi } from '../chains/demo-token.generated.js'
import { evmClient, fund, send, type EvmClient } from '../chains/evm.js'
import { newKey } from '../keys.js'

/** A demo trader: one key, the same address on every EVM chain, its margin account on the position chain. */
export class Trader {
  readonly key: Hex
  readonly address: Address
  /** bytes32 account id on the position chain (the EVM address, left-padded). */
  readonly account: Hex

  constructor(readonly name: string) {
    const k = newKey()
    this.key = k.key
    this.address = k.address
    this.account = pad(k.address, { size: 32 }).toLowerCase() as Hex
  }

  client(c: DeployedChain): EvmClient {
    return evmClient(c.rpcUrl, c.evmChainId, this.key)
  }

  async fundGas(chains: readonly DeployedChain[]): Promise<void> {
    for (const c of chains) await fund(c.rpcUrl, this.address, 10n ** 20n)
  }

  /** approve + vault.lock on an origin chain, for this trader's account on `destination`. */
  async lockUsdc(origin: DeployedChain, destination: number, amount: bigint): Promise<Hex> {
    const c = this.client(origin)
    await send(c, origin.usdc, demoTokenAbi, 'approve', [origin.deployment.contracts.vault, amount])
    return send(c, origin.deployment.contracts.vault, collateralVaultAbi, 'lock', [origin.usdc, amount, destination, this.account])
  }

  async trade(position: DeployedChain, marketId: number, size: bigint): Promise<Hex> {
    return send(this.client(position), position.deployment.contracts.engine, marginEngineAbi, 'trade', [marketId, size])
  }

  async close(position: DeployedChain, marketId: number): Promise<Hex> {
    return send(this.client(position), position.deployment.contracts.engine, marginEngineAbi, 'closePosition', [marketId])
  }

  /** Asks the engine to release `amount` on the asset's origin chain to `recipient` (bytes32; default this trader's address). */
  async requestWithdrawal(position: DeployedChain, assetId: number, amount: bigint, recipient: Hex = this.account): Promise<Hex> {
    return send(this.client(position), position.deployment.contracts.engine, marginEngineAbi, 'requestWithdrawal', [assetId, amount, recipient])
  }

  async usdcBalance(origin: DeployedChain): Promise<bigint> {
    return this.client(origin).pub.readContract({ address: origin.usdc, abi: demoTokenAbi, functionName: 'balanceOf', args: [this.address] }) as Promise<bigint>
  }
}

/** The engine's asset id for (origin chain, token: an EVM address or a bytes32 such as a Solana mint), searching its asset table. */
export async function assetIdOf(position: DeployedChain, chainId: number, token: Hex): Promise<number> {
  const pub = evmClient(position.rpcUrl, position.evmChainId, newKey().key).pub
  const n = Number(await pub.readContract({ address: position.deployment.contracts.engine, abi: marginEngineAbi, functionName: 'assetCount' }))
  const want = pad(token, { size: 32 }).toLowerCase()
  // ids start at 1 (0 means "not listed")
  for (let i = 1; i <= n; i++) {
    const a = (await pub.readContract({ address: position.deployment.contracts.engine, abi: marginEngineAbi, functionName: 'assetInfo', args: [BigInt(i)] })) as readonly [number, number, bigint, bigint, number, Hex]
    if (a[0] === chainId && a[5].toLowerCase() === want) return i
  }
  throw new Error(`no asset for chain ${chainId} token ${token} on ${position.name}`)
}

/** Active + pending balance of an account's asset on the engine. */
export async function engineBalance(position: DeployedChain, account: Hex, assetId: number): Promise<{ active: bigint; pending: bigint }> {
  const pub = evmClient(position.rpcUrl, position.evmChainId, newKey().key).pub
  const [active, pending] = (await pub.readContract({ address: position.deployment.contracts.engine, abi: marginEngineAbi, functionName: 'balanceOf', args: [account, assetId] })) as readonly [bigint, bigint]
  return { active, pending }
}
