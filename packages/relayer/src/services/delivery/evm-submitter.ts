import { InvalidParameterError, decodePayload, parseVaa, type AccountSnapshot, type ChainAdapter, type Finality, type Hex, type ObservedMessage, type PriceSnapshot, type SubmitResult } from '@bulwark/core'
import { coreErrorClass, collateralVaultAbi, marginEngineAbi } from '@bulwark/contracts-evm'
import { createPublicClient, createWalletClient, encodeFunctionData, http, toHex, type Abi, type Address, type PublicClient, type TransactionReceipt, type WalletClient } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { TransactionStuckError } from '../../errors.js'

export type FeeBumpInit = {
  rpcUrl: string
  evmChainId: number
  privateKey: Hex
  contracts: { engine: Address; vault: Address }
  /** Re-send with higher fees when not mined after this long. @default 15000 */
  bumpAfterMs?: number
  /** Fee increase per bump, percent (nodes require >= 10 to replace). @default 20 */
  bumpPercent?: number
  /** Bumps before giving up with TransactionStuck. @default 4 */
  maxBumps?: number
}

/**
 * Delivery wrapper around an EVM ChainAdapter: submitVaa sends the transaction itself with a
 * locally managed nonce, and when it is not mined in time re-sends the same nonce with fees raised
 * by `bumpPercent` (a replacement), waiting for whichever version is mined. Reads (consumption,
 * prices, heights) go to the wrapped adapter. A contract revert surfaces as core's typed error
 * (e.g. VaaAlreadyConsumed) from the simulation, before any nonce is used.
 */
export class FeeBumpingSubmitter implements ChainAdapter {
  readonly chainId: number
  readonly name: string
  readonly #pub: PublicClient
  readonly #wallet: WalletClient
  readonly #i: Required<FeeBumpInit>
  #nonce: number | undefined
  /** A nonce whose transaction never got mined: reused (replaced) by the next send. */
  #stuck: { nonce: number; maxFeePerGas: bigint; maxPriorityFeePerGas: bigint } | undefined
  #queue: Promise<unknown> = Promise.resolve()
  /** Transactions sent, for operators and tests. */
  readonly sent: { nonce: number; hash: Hex; maxFeePerGas: bigint }[] = []

  constructor(readonly inner: ChainAdapter, init: FeeBumpInit) {
    this.chainId = inner.chainId
    this.name = inner.name
    this.#i = { bumpAfterMs: 15_000, bumpPercent: 20, maxBumps: 4, ...init }
    const chain = { id: init.evmChainId, name: inner.name, nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [init.rpcUrl] } } } as const
    this.#pub = createPublicClient({ chain, transport: http(init.rpcUrl) }) as PublicClient
    this.#wallet = createWalletClient({ account: privateKeyToAccount(init.privateKey), chain, transport: http(init.rpcUrl) })
  }

  getHeight(f: Finality): Promise<bigint> {
    return this.inner.getHeight(f)
  }
  getMessages(from: bigint, to: bigint): Promise<ObservedMessage[]> {
    return this.inner.getMessages(from, to)
  }
  getBlockHash(h: bigint): Promise<Hex | null> {
    return this.inner.getBlockHash(h)
  }
  isVaaConsumed(vaa: Uint8Array): Promise<boolean> {
    return this.inner.isVaaConsumed(vaa)
  }
  readPrice(m: number): Promise<PriceSnapshot | null> {
    return this.inner.readPrice(m)
  }
  readAccount(a: Hex): Promise<AccountSnapshot> {
    return this.inner.readAccount(a)
  }
  liquidate(a: Hex): Promise<SubmitResult> {
    return this.inner.liquidate(a)
  }
  close(): Promise<void> {
    return this.inner.close()
  }

  /** Sends one at a time (one sender account, one nonce sequence). */
  submitVaa(vaa: Uint8Array): Promise<SubmitResult> {
    const run = this.#queue.then(() => this.#submit(vaa))
    this.#queue = run.catch(() => {})
    return run
  }

  async #submit(vaa: Uint8Array): Promise<SubmitResult> {
    const { address, abi, functionName } = this.#route(vaa)
    const account = this.#wallet.account!
    const args = [toHex(vaa)] as const
    try {
      await this.#pub.simulateContract({ account, address, abi, functionName, args } as never)
    } catch (e) {
      throw toCoreError(e, functionName)
    }
    const data = encodeFunctionData({ abi, functionName, args } as never)
    const gas = ((await this.#pub.estimateGas({ account, to: address, data, blockTag: 'latest' })) * 12n) / 10n
    const reuse = this.#stuck
    const nonce = reuse?.nonce ?? (await this.#nextNonce())
    const est = await this.#pub.estimateFeesPerGas()
    let fees = reuse ? { maxFeePerGas: bump(reuse.maxFeePerGas, this.#i.bumpPercent), maxPriorityFeePerGas: bump(reuse.maxPriorityFeePerGas, this.#i.bumpPercent) } : { maxFeePerGas: est.maxFeePerGas!, maxPriorityFeePerGas: est.maxPriorityFeePerGas! }
    this.#stuck = undefined
    const hashes: Hex[] = []
    for (let attempt = 0; ; attempt++) {
      const hash = await this.#wallet.sendTransaction({ account, chain: this.#wallet.chain, to: address, data, gas, nonce, ...fees })
      hashes.push(hash)
      this.sent.push({ nonce, hash, maxFeePerGas: fees.maxFeePerGas })
      const receipt = await this.#waitAny(hashes, this.#i.bumpAfterMs)
      if (receipt) {
        if (receipt.status !== 'success') throw new InvalidParameterError(`${functionName} transaction ${receipt.transactionHash} reverted`, { field: 'vaa' })
        return { txHash: receipt.transactionHash, height: receipt.blockNumber }
      }
      if (attempt >= this.#i.maxBumps) {
        this.#stuck = { nonce, ...fees }
        throw new TransactionStuckError(`nonce ${nonce} not mined after ${attempt} fee bumps`, { field: 'maxFeePerGas', details: hashes.join(', ') })
      }
      fees = { maxFeePerGas: bump(fees.maxFeePerGas, this.#i.bumpPercent), maxPriorityFeePerGas: bump(fees.maxPriorityFeePerGas, this.#i.bumpPercent) }
    }
  }

  async #nextNonce(): Promise<number> {
    const chain = await this.#pub.getTransactionCount({ address: this.#wallet.account!.address, blockTag: 'pending' })
    const n = this.#nonce === undefined || chain > this.#nonce ? chain : this.#nonce
    this.#nonce = n + 1
    return n
  }

  /** The receipt of whichever of `hashes` is mined within `ms`, else undefined. */
  async #waitAny(hashes: Hex[], ms: number): Promise<TransactionReceipt | undefined> {
    const end = Date.now() + ms
    for (;;) {
      for (const hash of hashes) {
        const r = await this.#pub.getTransactionReceipt({ hash }).catch(() => undefined)
        if (r) return r
      }
      if (Date.now() >= end) return undefined
      await new Promise((r) => setTimeout(r, Math.min(250, Math.max(10, ms / 10))))
    }
  }

  #route(vaa: Uint8Array): { address: Address; abi: Abi; functionName: string } {
    const p = decodePayload(parseVaa(vaa).payload)
    if (p.type === 'CollateralLocked') return { address: this.#i.contracts.engine, abi: marginEngineAbi as Abi, functionName: 'credit' }
    if (p.type === 'WithdrawalApproved') return { address: this.#i.contracts.vault, abi: collateralVaultAbi as Abi, functionName: 'release' }
    if (p.type === 'CollateralReleased') return { address: this.#i.contracts.engine, abi: marginEngineAbi as Abi, functionName: 'finalizeWithdrawal' }
    throw new InvalidParameterError(`the fee-bumping submitter does not deliver ${p.type}`, { field: 'vaa' })
  }
}

/**
 * Core's typed error for a contract revert (by the custom error's name), else `e` unchanged. Walks
 * the cause chain by shape: the viem copy that threw may not be the one contracts-evm imports.
 */
function toCoreError(e: unknown, what: string): unknown {
  let x = e as { name?: string; data?: { errorName?: string }; cause?: unknown } | undefined
  for (let i = 0; i < 10 && x; i++) {
    const name = x.name === 'ContractFunctionRevertedError' ? x.data?.errorName : undefined
    const cls = name ? coreErrorClass(name) : undefined
    if (cls) return new cls(`${what} reverted with ${name}`, { cause: e })
    x = x.cause as typeof x
  }
  return e
}

const bump = (v: bigint, percent: number): bigint => (v * BigInt(100 + percent) + 99n) / 100n
