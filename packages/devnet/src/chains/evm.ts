import { createPublicClient, createWalletClient, http, type Abi, type Address, type Hex, type PublicClient, type WalletClient } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { DevnetError } from '../errors.js'
import { jsonRpc } from '../util/wait.js'

/** A viem public + wallet client pair for one key on one anvil chain. */
export type EvmClient = { pub: PublicClient; wallet: WalletClient; address: Address; rpcUrl: string }

export function evmClient(rpcUrl: string, evmChainId: number, key: Hex): EvmClient {
  const account = privateKeyToAccount(key)
  const chain = { id: evmChainId, name: `evm-${evmChainId}`, nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [rpcUrl] } } } as const
  const transport = http(rpcUrl, { timeout: 20_000 })
  return { pub: createPublicClient({ chain, transport, pollingInterval: 200 }) as PublicClient, wallet: createWalletClient({ account, chain, transport }), address: account.address, rpcUrl }
}

/** Sends one contract call (simulated first, so a revert names its error) and waits for the receipt. */
export async function send(c: EvmClient, address: Address, abi: Abi | readonly unknown[], functionName: string, args: readonly unknown[], value?: bigint): Promise<Hex> {
  const { request } = await c.pub.simulateContract({ account: c.wallet.account!, address, abi: abi as Abi, functionName, args, value } as never)
  const hash = await c.wallet.writeContract(request as never)
  const r = await c.pub.waitForTransactionReceipt({ hash, timeout: 30_000 })
  if (r.status !== 'success') throw new DevnetError(`${functionName} reverted in ${hash}`)
  return hash
}

export async function deployContract(c: EvmClient, abi: Abi | readonly unknown[], bytecode: Hex, args: readonly unknown[]): Promise<Address> {
  const hash = await c.wallet.deployContract({ abi: abi as Abi, bytecode, args, account: c.wallet.account!, chain: c.wallet.chain } as never)
  const r = await c.pub.waitForTransactionReceipt({ hash, timeout: 30_000 })
  if (r.status !== 'success' || !r.contractAddress) throw new DevnetError(`deployment reverted in ${hash}`)
  return r.contractAddress
}

/** Gives `address` native balance on an anvil chain (anvil_setBalance). */
export async function fund(rpcUrl: string, address: Address, wei: bigint): Promise<void> {
  await jsonRpc(rpcUrl, 'anvil_setBalance', [address, `0x${wei.toString(16)}`])
}

/** Switches an anvil from one block per transaction to a block every `seconds`. */
export async function setBlockTime(rpcUrl: string, seconds: number): Promise<void> {
  await jsonRpc(rpcUrl, 'evm_setAutomine', [false])
  await jsonRpc(rpcUrl, 'evm_setIntervalMining', [seconds])
}
