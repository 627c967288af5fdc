import { marginEngineAbi } from '@bulwark/contracts-evm'
import { buildSignedVaa, encodePayload, WAD, type GuardianKey, type Hex } from '@bulwark/core'
import { pad, toHex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { bytes32, type EvmStack } from './evm-stack.js'

export const REMOTE = 10003
export const REMOTE_VAULT: Hex = pad('0xbeef', { size: 32 })
export const USDC: Hex = pad('0xa0b8', { size: 32 })

/** Deterministic trader keys and their engine account ids. */
export function traders(n: number, base = 0x7000): { keys: Hex[]; accounts: Hex[] } {
  const keys = Array.from({ length: n }, (_, i) => pad(toHex(base + i), { size: 32 }))
  return { keys, accounts: keys.map((k) => bytes32(privateKeyToAccount(k).address)) }
}

let seq = 0n

/**
 * Credits each trader `usdc` USDC through a guardian-signed CollateralLocked VAA from the remote
 * vault (submitted through the adapter: MarginEngine.credit), then opens a long of
 * `leverage[i] x usdc` notional on `market` at `price` from the trader's own key (MarginEngine.trade).
 */
export async function creditAndOpen(stack: EvmStack, o: { guardians: GuardianKey[]; keys: Hex[]; leverageX10: number[]; usdc: bigint; market: number; price: bigint }): Promise<void> {
  const relayer = stack.adapter()
  for (const [i, key] of o.keys.entries()) {
    const account = bytes32(privateKeyToAccount(key).address)
    const payload = encodePayload({ type: 'CollateralLocked', destinationChain: stack.deployment.chainId, account, asset: USDC, amount: o.usdc * 10n ** 6n, depositor: account })
    const body = { timestamp: await stack.now(), nonce: 0, emitterChain: REMOTE, emitterAddress: REMOTE_VAULT, sequence: seq++, consistencyLevel: 1, payload }
    await relayer.submitVaa(buildSignedVaa(body, 0, o.guardians.slice(0, Math.floor((2 * o.guardians.length) / 3) + 1)))
    const w = stack.wallet(key)
    await stack.setBalance(w.account.address, 10n ** 19n)
    const size = (BigInt(o.leverageX10[i]!) * o.usdc * WAD) / 10n / o.price
    await stack.pub.waitForTransactionReceipt({ hash: await w.writeContract({ address: stack.deployment.contracts.engine, abi: marginEngineAbi, functionName: 'trade', args: [o.market, size] }) })
  }
}
