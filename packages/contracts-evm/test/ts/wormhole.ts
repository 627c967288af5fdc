/**
 * Deploys Wormhole's own core contract (Setup + Implementation behind the Wormhole proxy) from the
 * ABI and bytecode shipped in @certusone/wormhole-sdk's ethers factories: code nobody here wrote.
 */
import { createRequire } from 'node:module'
import { createPublicClient, createWalletClient, encodeFunctionData, http, type Abi, type Address, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { ANVIL_KEY_0 } from '../../ts/deploy.js'

const require = createRequire(import.meta.url)
const factories = '@certusone/wormhole-sdk/lib/cjs/ethers-contracts/factories'
type Factory = { abi: Abi; bytecode: Hex }
const load = (name: string): Factory => require(`${factories}/${name}__factory.js`)[`${name}__factory`]

export const wormholeImplementation = load('Implementation')
const setup = load('Setup')
const proxy = load('Wormhole')

export type WormholeDeployment = { address: Address; abi: Abi }

export async function deployWormholeCore(rpcUrl: string, guardians: Address[], chainId: number, governanceChain = 1, governanceContract: Hex = `0x${'00'.repeat(31)}04`): Promise<WormholeDeployment> {
  const account = privateKeyToAccount(ANVIL_KEY_0)
  const pub = createPublicClient({ transport: http(rpcUrl) })
  const evmChainId = await pub.getChainId()
  const chain = { id: evmChainId, name: 'anvil', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [rpcUrl] } } } as const
  const wallet = createWalletClient({ account, chain, transport: http(rpcUrl) })
  const deploy = async (f: Factory, args: unknown[] = []) => {
    const hash = await wallet.deployContract({ abi: f.abi, bytecode: f.bytecode, args } as never)
    const r = await pub.waitForTransactionReceipt({ hash })
    if (r.status !== 'success' || !r.contractAddress) throw new Error('Wormhole core deployment reverted')
    return r.contractAddress
  }
  const setupAddr = await deploy(setup)
  const impl = await deploy(wormholeImplementation)
  const initData = encodeFunctionData({ abi: setup.abi, functionName: 'setup', args: [impl, guardians, chainId, governanceChain, governanceContract, BigInt(evmChainId)] })
  const address = await deploy(proxy, [setupAddr, initData])
  return { address, abi: wormholeImplementation.abi }
}
