import * as core from '@bulwark/core'
import type { AccountSnapshot, ChainAdapter, Finality, ObservedMessage, PriceSnapshot, SubmitResult } from '@bulwark/core'
import { createPublicClient, createWalletClient, http, getAbiItem, pad, toHex, type Abi, type Address, type Hex, type PublicClient } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { collateralVaultAbi, marginEngineAbi, priceOracleAbi } from './generated/abi.js'
import { ANVIL_KEY_0, type BulwarkDeployment } from './deploy.js'
import { revertErrorName, toCoreError } from './errors.js'
import { EvmSender, type EvmSenderOptions } from './sender.js'

export type EvmAdapterOptions = {
  deployment: BulwarkDeployment
  /** Overrides deployment.rpcUrl. */
  rpcUrl?: string
  /** Key that pays for submitted VAAs and liquidations. @default ANVIL_KEY_0 */
  privateKey?: Hex
  /** Blocks behind the head counted as `safe` / `finalized`. @default 2n / 4n */
  safeDepth?: bigint
  finalizedDepth?: bigint
  /** @default 'evm' */
  name?: string
  /**
   * How often viem polls (transaction receipts, block numbers), ms. viem's own default is 4,000,
   * which adds up to 4 s to every submission that misses the first look.
   * @default 1000
   */
  pollingInterval?: number
  /**
   * Give up waiting for a submitted transaction's receipt after this long, ms, counted from its
   * first send (fee-bumped replacements happen inside this window); then TransactionStuckError.
   * @default 60000
   */
  receiptTimeoutMs?: number
  /** Gas limit = estimate + this percentage (state may change before the transaction is mined). @default 25 */
  gasHeadroomPercent?: number
} & Pick<EvmSenderOptions, 'bumpAfterMs' | 'bumpPercent' | 'maxBumps' | 'onSend'>

const logMessagePublished = getAbiItem({ abi: collateralVaultAbi, name: 'LogMessagePublished' })
/** MarginEngine events that change an account's margin state (credit, queue release, trade, withdrawal, liquidation). */
const accountEvents = (['CollateralCredited', 'CollateralQueued', 'QueueReleased', 'PositionChanged', 'WithdrawalApproved', 'Liquidated'] as const).map(
  (name) => getAbiItem({ abi: marginEngineAbi, name }),
)

/** ChainAdapter for an EVM chain running the Bulwark contracts (viem over JSON-RPC). */
export class EvmChainAdapter implements ChainAdapter {
  readonly chainId: number
  readonly name: string
  readonly #pub: PublicClient
  readonly #d: BulwarkDeployment
  readonly #safe: bigint
  readonly #final: bigint
  readonly #blockTime = new Map<bigint, number>()
  /** Sends submissions and liquidations: local nonces, replace-and-bump (see EvmSender). */
  readonly #sender: EvmSender
  /** Polling interval in use (receipts, block numbers), ms. */
  readonly pollingInterval: number

  constructor(opts: EvmAdapterOptions) {
    this.#d = opts.deployment
    this.chainId = opts.deployment.chainId
    this.name = opts.name ?? 'evm'
    const url = opts.rpcUrl ?? opts.deployment.rpcUrl
    const chain = { id: opts.deployment.evmChainId, name: this.name, nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [url] } } } as const
    this.pollingInterval = opts.pollingInterval ?? 1_000
    this.#pub = createPublicClient({ chain, transport: http(url), pollingInterval: this.pollingInterval }) as PublicClient
    const wallet = createWalletClient({ account: privateKeyToAccount(opts.privateKey ?? ANVIL_KEY_0), chain, transport: http(url), pollingInterval: this.pollingInterval })
    const { receiptTimeoutMs, gasHeadroomPercent, bumpAfterMs, bumpPercent, maxBumps, onSend } = opts
    this.#sender = new EvmSender({ publicClient: this.#pub, walletClient: wallet }, { pollingInterval: this.pollingInterval, receiptTimeoutMs, gasHeadroomPercent, bumpAfterMs, bumpPercent, maxBumps, onSend })
    this.#safe = opts.safeDepth ?? 2n
    this.#final = opts.finalizedDepth ?? 4n
  }

  async getHeight(finality: Finality): Promise<bigint> {
    const head = await this.#pub.getBlockNumber({ cacheTime: 0 })
    const depth = finality === 'instant' ? 0n : finality === 'safe' ? this.#safe : finality === 'finalized' ? this.#final : BigInt(finality.confirmations)
    if (depth < 0n) throw new core.InvalidParameterError('confirmations must not be negative', { field: 'finality' })
    return head > depth ? head - depth : 0n
  }

  async getMessages(fromHeight: bigint, toHeight: bigint): Promise<ObservedMessage[]> {
    if (fromHeight > toHeight) throw new core.InvalidParameterError(`fromHeight ${fromHeight} is after toHeight ${toHeight}`, { field: 'fromHeight' })
    const head = await this.#pub.getBlockNumber({ cacheTime: 0 })
    if (fromHeight > head) return [] // nothing there yet
    const to = toHeight < head ? toHeight : head
    const logs = await this.#pub.getLogs({ address: [this.#d.contracts.vault, this.#d.contracts.engine], event: logMessagePublished, fromBlock: fromHeight, toBlock: to })
    const out: ObservedMessage[] = []
    for (const l of logs) {
      const a = l.args as { sender: Address; sequence: bigint; nonce: number; payload: Hex; consistencyLevel: number }
      out.push({
        emitterChain: this.chainId,
        emitterAddress: pad(a.sender, { size: 32 }),
        sequence: a.sequence,
        nonce: a.nonce,
        consistencyLevel: a.consistencyLevel,
        timestamp: await this.#timestamp(l.blockNumber!),
        payload: core.hexToBytes(a.payload),
        height: l.blockNumber!,
        blockHash: l.blockHash!,
        txHash: l.transactionHash!,
      })
    }
    return out
  }

  async #timestamp(n: bigint): Promise<number> {
    let t = this.#blockTime.get(n)
    if (t === undefined) {
      t = Number((await this.#pub.getBlock({ blockNumber: n })).timestamp)
      this.#blockTime.set(n, t)
    }
    return t
  }

  async getBlockHash(height: bigint): Promise<Hex | null> {
    try {
      return (await this.#pub.getBlock({ blockNumber: height })).hash
    } catch {
      return null
    }
  }

  async isVaaConsumed(vaa: Uint8Array): Promise<boolean> {
    const v = core.parseVaa(vaa)
    const p = core.decodePayload(v.payload)
    const { engine, vault, oracle } = this.#d.contracts
    switch (p.type) {
      case 'CollateralLocked':
        return this.#pub.readContract({ address: engine, abi: marginEngineAbi, functionName: 'isConsumed', args: [v.emitterChain, v.emitterAddress, v.sequence] })
      case 'WithdrawalApproved':
        return this.#pub.readContract({ address: vault, abi: collateralVaultAbi, functionName: 'isReleased', args: [v.sequence] })
      case 'CollateralReleased':
        return this.#pub.readContract({ address: engine, abi: marginEngineAbi, functionName: 'isConsumed', args: [v.emitterChain, v.emitterAddress, v.sequence] })
      case 'PriceReport': {
        for (const e of p.prices) {
          const s = await this.readPrice(e.marketId)
          if (!s || s.publishTime < p.publishTime) return false
        }
        return true
      }
      case 'GuardianSetUpgrade': {
        const hash = toHex(core.keccak256(core.encodeVaaBody(v)))
        return this.#pub.readContract({ address: engine, abi: marginEngineAbi, functionName: 'governanceConsumed', args: [hash] })
      }
      default:
        return false
    }
  }

  async submitVaa(vaa: Uint8Array): Promise<SubmitResult> {
    const v = core.parseVaa(vaa) // typed TruncatedVaa / InvalidVaaVersion for malformed bytes
    const p = core.decodePayload(v.payload)
    const arg = [toHex(vaa)] as const
    const { engine, vault, oracle } = this.#d.contracts
    switch (p.type) {
      case 'CollateralLocked':
        return this.#send(engine, marginEngineAbi as Abi, 'credit', arg)
      case 'WithdrawalApproved':
        return this.#send(vault, collateralVaultAbi as Abi, 'release', arg)
      case 'CollateralReleased':
        return this.#send(engine, marginEngineAbi as Abi, 'finalizeWithdrawal', arg)
      case 'PriceReport':
        return this.#send(oracle, priceOracleAbi as Abi, 'submitPriceReport', arg)
      case 'GuardianSetUpgrade':
        await this.#send(vault, collateralVaultAbi as Abi, 'submitGuardianSetUpgrade', arg)
        return this.#send(engine, marginEngineAbi as Abi, 'submitGuardianSetUpgrade', arg)
      default:
        throw new core.InvalidParameterError(`no contract on chain ${this.chainId} consumes ${(p as { type: string }).type}`, { field: 'vaa' })
    }
  }

  async readPrice(marketId: number): Promise<PriceSnapshot | null> {
    try {
      const d = await this.#pub.readContract({ address: this.#d.contracts.oracle, abi: priceOracleAbi, functionName: 'getPrice', args: [marketId] })
      if (d.publishTime === 0n) return null
      return { marketId, price: d.price, conf: d.conf, emaPrice: d.emaPrice, volMultiplier: d.volMultiplier, publishTime: d.publishTime }
    } catch (e) {
      if (revertErrorName(e) === 'UnknownMarket') return null
      throw toCoreError(e, 'getPrice')
    }
  }

  async readAccount(account: Hex): Promise<AccountSnapshot> {
    const engine = this.#d.contracts.engine
    const read = <T>(functionName: string, args: unknown[]) => this.#pub.readContract({ address: engine, abi: marginEngineAbi as Abi, functionName, args }) as Promise<T>
    const snap: AccountSnapshot = { account, collateral: [], positions: [], settlement: await read<bigint>('settlement', [account]) }
    let mask = await read<bigint>('assetMask', [account])
    for (let id = 0; mask !== 0n; id++, mask >>= 1n) {
      if ((mask & 1n) === 0n) continue
      const [chain, , , , , token] = await read<[number, number, bigint, bigint, number, Hex]>('assetInfo', [BigInt(id)])
      const [active, pending] = await read<[bigint, bigint]>('balanceOf', [account, id])
      if (active !== 0n) snap.collateral.push({ originChain: chain, asset: token, amount: active, pending: false })
      if (pending !== 0n) snap.collateral.push({ originChain: chain, asset: token, amount: pending, pending: true })
    }
    let mm = await read<bigint>('marketMask', [account])
    for (let i = 0; mm !== 0n; i++, mm >>= 1n) {
      if ((mm & 1n) === 0n) continue
      const [size, entry] = await read<[bigint, bigint]>('positions', [account, BigInt(i)])
      const [oracleId] = await read<[number]>('markets', [BigInt(i)])
      snap.positions.push({ marketId: oracleId, size, entryPrice: entry })
    }
    return snap
  }

  /**
   * Accounts (bytes32) whose margin state changed in blocks [fromHeight, toHeight], each once, in order
   * of first change: credits (active or queued), queue releases, trades, withdrawals and liquidations
   * (the liquidated account and, when a penalty was charged, the liquidator who received its share).
   */
  async getAccountChanges(fromHeight: bigint, toHeight: bigint): Promise<Hex[]> {
    if (fromHeight > toHeight) throw new core.InvalidParameterError(`fromHeight ${fromHeight} is after toHeight ${toHeight}`, { field: 'fromHeight' })
    const head = await this.#pub.getBlockNumber({ cacheTime: 0 })
    if (fromHeight > head) return []
    const logs = await this.#pub.getLogs({ address: this.#d.contracts.engine, events: accountEvents, fromBlock: fromHeight, toBlock: toHeight < head ? toHeight : head })
    const seen = new Set<Hex>()
    for (const l of logs as { args: unknown }[]) {
      const a = l.args as { account?: Hex; liquidator?: Address; penaltyCharged?: bigint }
      if (a.account) seen.add(a.account.toLowerCase() as Hex)
      if (a.liquidator && a.penaltyCharged) seen.add(pad(a.liquidator.toLowerCase() as Hex, { size: 32 }))
    }
    return [...seen]
  }

  async liquidate(account: Hex): Promise<SubmitResult> {
    return this.#send(this.#d.contracts.engine, marginEngineAbi as Abi, 'liquidate', [account])
  }

  async close(): Promise<void> {
    this.#blockTime.clear()
  }

  async #send(address: Address, abi: Abi, functionName: string, args: readonly unknown[]): Promise<SubmitResult> {
    const { receipt: r } = await this.#sender.send({ address, abi, functionName, args })
    const hash = r.transactionHash
    if (r.status !== 'success') {
      const tx = await this.#pub.getTransaction({ hash }).catch(() => undefined)
      const gas = tx ? `gas used ${r.gasUsed} of ${tx.gas}` : `gas used ${r.gasUsed}`
      throw new core.InvalidParameterError(`${functionName} transaction ${hash} reverted (${gas})`, { field: functionName === 'liquidate' ? 'account' : 'vaa' })
    }
    return { txHash: hash, height: r.blockNumber }
  }
}
