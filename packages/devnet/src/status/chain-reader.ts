import { collateralVaultAbi, marginEngineAbi, priceOracleAbi } from '@bulwark/contracts-evm'
import { decodePayload, hexToBytes, type Payload } from '@bulwark/core'
import { getAbiItem, type Address, type Hex, type PublicClient } from 'viem'
import type { DeployedChain } from '../chains/deploy.js'
import { evmClient } from '../chains/evm.js'

const WAD = 1e18
const published = getAbiItem({ abi: collateralVaultAbi, name: 'LogMessagePublished' })

export type ChainMessage = { chain: DeployedChain; emitter: Address; sequence: bigint; payload: Payload; block: bigint }
export type HealthView = { collateralValue: number; equity: number; imReq: number; mmReq: number; health: number | null }

/** Read-only views of one deployed EVM chain (prices, accounts, insurance fund, messages). */
export class ChainReader {
  readonly pub: PublicClient
  #scanned: bigint

  constructor(readonly chain: DeployedChain) {
    this.pub = evmClient(chain.rpcUrl, chain.evmChainId, '0x0000000000000000000000000000000000000000000000000000000000000001').pub
    this.#scanned = BigInt(chain.deployment.startBlock) - 1n
  }

  get contracts() {
    return this.chain.deployment.contracts
  }

  async height(): Promise<number> {
    return Number(await this.pub.getBlockNumber({ cacheTime: 0 }))
  }

  async price(marketId: number) {
    const d = await this.pub.readContract({ address: this.contracts.oracle, abi: priceOracleAbi, functionName: 'getPrice', args: [marketId] })
    if (d.publishTime === 0n) return null
    return { price: Number(d.price) / WAD, conf: Number(d.conf) / WAD, ema: Number(d.emaPrice) / WAD, volMultiplier: Number(d.volMultiplier) / WAD, publishTime: Number(d.publishTime), raw: d }
  }

  async health(account: Hex): Promise<HealthView> {
    const h = await this.pub.readContract({ address: this.contracts.engine, abi: marginEngineAbi, functionName: 'health', args: [account] })
    const max = h.health === 2n ** 255n - 1n
    return { collateralValue: Number(h.collateralValue) / WAD, equity: Number(h.equity) / WAD, imReq: Number(h.imReq) / WAD, mmReq: Number(h.mmReq) / WAD, health: max ? null : Number(h.health) / WAD }
  }

  async insuranceFund(): Promise<number> {
    return Number(await this.pub.readContract({ address: this.contracts.engine, abi: marginEngineAbi, functionName: 'insuranceFund' })) / WAD
  }

  async socializedLoss(): Promise<number> {
    return Number(await this.pub.readContract({ address: this.contracts.engine, abi: marginEngineAbi, functionName: 'socializedLoss' })) / WAD
  }

  /** Messages the vault and engine emitted since the last call. */
  async newMessages(): Promise<ChainMessage[]> {
    const to = await this.pub.getBlockNumber({ cacheTime: 0 })
    if (to <= this.#scanned) return []
    const logs = await this.pub.getLogs({ address: [this.contracts.vault, this.contracts.engine], event: published, fromBlock: this.#scanned + 1n, toBlock: to })
    this.#scanned = to
    return logs.map((l) => ({ chain: this.chain, emitter: l.args.sender!, sequence: l.args.sequence!, payload: decodePayload(hexToBytes(l.args.payload!)), block: l.blockNumber! }))
  }

  /** Whether the position chain's engine credited the message (emitterChain, emitter, sequence). */
  async isCredited(emitterChain: number, emitter: Hex, sequence: bigint): Promise<boolean> {
    return this.pub.readContract({ address: this.contracts.engine, abi: marginEngineAbi, functionName: 'isConsumed', args: [emitterChain, emitter, sequence] })
  }

  async isReleased(sequence: bigint): Promise<boolean> {
    return this.pub.readContract({ address: this.contracts.vault, abi: collateralVaultAbi, functionName: 'isReleased', args: [sequence] })
  }
}
