import { toBytes32, type ChainAdapter, type Hex } from '@bulwark/core'
import { address, createKeyPairSignerFromBytes, generateKeyPairSigner, getBase58Encoder, type KeyPairSigner } from '@solana/kit'
import type { ChainConfig, EvmChainConfig, RelayerConfig, SolanaChainConfig } from './config.js'
import { InvalidConfigError } from './errors.js'

/** Secrets by chain id, resolved by bin/ from the environment: EVM sender keys, Solana payer keypairs. */
export type ChainSecrets = ReadonlyMap<number, string | undefined>

const b58 = getBase58Encoder()

/** The emitters (bytes32) a chain's watcher follows: EVM vault + engine, the Solana program id. */
export function emittersOf(c: ChainConfig): Hex[] {
  if (c.kind === 'evm') return [c.contracts.vault, c.contracts.engine].map((a) => toBytes32(a).toLowerCase() as Hex)
  return [`0x${Buffer.from(b58.encode(c.programId)).toString('hex')}` as Hex]
}

/** `http://h:8899` -> `ws://h:8900` (Solana's convention: PubSub on the RPC port + 1). */
export function defaultWsUrl(rpcUrl: string): string {
  const u = new URL(rpcUrl)
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:'
  u.port = String(Number(u.port || (u.protocol === 'wss:' ? 443 : 80)) + 1)
  return u.toString().replace(/\/$/, '')
}

/**
 * Builds the ChainAdapter of every configured chain: EVM through @bulwark/contracts-evm's viem
 * adapter (its EvmSender: local nonces, stuck transactions replaced with fees raised per the chain's
 * `feeBump`), Solana through @bulwark/solana-adapter. A delivering chain without its secret is a config error.
 */
export async function createAdapters(config: RelayerConfig, secrets: ChainSecrets): Promise<Map<number, ChainAdapter>> {
  const out = new Map<number, ChainAdapter>()
  for (const [i, c] of config.chains.entries()) {
    const secret = secrets.get(c.chainId)
    out.set(c.chainId, c.kind === 'evm' ? await evmAdapter(c, i, secret) : await solanaAdapter(c, i, secret))
  }
  return out
}

// Chain packages are imported when a chain of their kind is configured: an EVM-only node never
// loads the Solana client (and the litesvm binding its package also ships), and vice versa.
async function evmAdapter(c: EvmChainConfig, i: number, key: string | undefined): Promise<ChainAdapter> {
  if (c.deliver && !key) throw new InvalidConfigError(`chain ${c.chainId} delivers but has no sender key`, { field: `chains[${i}].senderKeyEnv` })
  if (key !== undefined && !/^0x[0-9a-fA-F]{64}$/.test(key)) throw new InvalidConfigError('sender key is not 0x + 32 bytes hex', { field: `chains[${i}].senderKeyEnv` })
  const contracts = c.contracts as { oracle: Hex; engine: Hex; vault: Hex }
  const { EvmChainAdapter, feeBumpOptions } = await import('@bulwark/contracts-evm')
  return new EvmChainAdapter({
    deployment: { chainId: c.chainId, evmChainId: c.evmChainId, rpcUrl: c.rpcUrl, admin: '0x0000000000000000000000000000000000000000', contracts, startBlock: String(c.startHeight) },
    ...(key ? { privateKey: key as Hex } : {}),
    safeDepth: BigInt(c.safeDepth),
    finalizedDepth: BigInt(c.finalizedDepth),
    name: c.name,
    // a delivery is re-sent with the same nonce and fees +percent every afterMs, maxBumps times, and
    // is TransactionStuck afterMs after the last bump (its nonce is replaced by the next delivery)
    ...feeBumpOptions(c.feeBump),
    // receipts looked for every 250 ms (at most), so a delivery is not seen up to a second late
    pollingInterval: Math.min(250, c.feeBump.afterMs),
  })
}

/** A Solana keypair from a JSON array of 64 bytes or its base58 text. */
function keypairBytes(secret: string, field: string): Uint8Array {
  const t = secret.trim()
  let bytes: Uint8Array
  try {
    bytes = t.startsWith('[') ? Uint8Array.from(JSON.parse(t) as number[]) : new Uint8Array(b58.encode(t))
  } catch (cause) {
    throw new InvalidConfigError('Solana payer key is neither a JSON byte array nor base58', { field, cause })
  }
  if (bytes.length !== 64) throw new InvalidConfigError(`Solana payer key has ${bytes.length} bytes, expected 64`, { field })
  return bytes
}

async function solanaAdapter(c: SolanaChainConfig, i: number, secret: string | undefined): Promise<ChainAdapter> {
  const field = `chains[${i}].payerKeyEnv`
  if (c.deliver && !secret) throw new InvalidConfigError(`chain ${c.chainId} delivers but has no payer key`, { field })
  let payer: KeyPairSigner
  if (secret === undefined) payer = await generateKeyPairSigner() // watch only: never pays for anything
  else {
    try {
      payer = await createKeyPairSignerFromBytes(keypairBytes(secret, field))
    } catch (cause) {
      if (cause instanceof InvalidConfigError) throw cause
      throw new InvalidConfigError('Solana payer key is not a valid Ed25519 keypair', { field, cause })
    }
  }
  const { SolanaAdapter } = await import('@bulwark/solana-adapter')
  return new SolanaAdapter({
    chainId: c.chainId,
    name: c.name,
    rpcUrl: c.rpcUrl,
    wsUrl: c.wsUrl ?? defaultWsUrl(c.rpcUrl),
    programId: address(c.programId),
    consistencyLevel: c.consistencyLevel,
    payer,
  })
}
