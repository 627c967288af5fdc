import { marginEngineAbi } from '@bulwark/contracts-evm'
import { getAbiItem } from 'viem'
import type { DeployedChain } from '../chains/deploy.js'
import { mintAssetId, type DeployedSolana } from '../chains/solana.js'
import type { ChainReader } from '../status/chain-reader.js'
import { waitFor } from '../util/wait.js'
import { SolanaWallet, solanaVaultBalance } from './solana-trader.js'
import { assetIdOf, engineBalance, type Trader } from './trader.js'

const ev = { credited: getAbiItem({ abi: marginEngineAbi, name: 'CollateralCredited' }), approved: getAbiItem({ abi: marginEngineAbi, name: 'WithdrawalApproved' }) }

export type SolanaLeg = { trader: Trader; wallet: SolanaWallet; assetId: number; amount: bigint }

/** The trader locks `amount` of the demo SPL token on Solana; resolves once the relayers credited it on the position chain. */
export async function lockSpl(s: DeployedSolana, position: DeployedChain, trader: Trader, amount: bigint): Promise<SolanaLeg> {
  const wallet = await SolanaWallet.create(s, amount)
  const assetId = await assetIdOf(position, s.chainId, mintAssetId(s.mint))
  await wallet.lock(amount, position.chainId, trader.account)
  await waitFor(async () => (await engineBalance(position, trader.account, assetId)).active === amount, { what: `the relayers to credit ${trader.name}'s SPL lock from Solana on ${position.name}`, timeoutMs: 90_000, intervalMs: 300 })
  return { trader, wallet, assetId, amount }
}

/** Asks the engine to send all of the trader's SPL collateral back to its Solana token account. */
export async function withdrawSpl(position: DeployedChain, leg: SolanaLeg): Promise<bigint> {
  const { active } = await engineBalance(position, leg.trader.account, leg.assetId)
  if (active > 0n) await leg.trader.requestWithdrawal(position, leg.assetId, active, leg.wallet.recipient)
  return active
}

/** The Solana leg's ledger, from both chains' records: locked = credited, approved = released back, vault = locked - released, engine = credited - approved. */
export async function checkSolanaLeg(s: DeployedSolana, B: ChainReader, leg: SolanaLeg): Promise<{ failures: string[]; line: string }> {
  const from = BigInt(B.chain.deployment.startBlock)
  const sum = async (e: typeof ev.credited | typeof ev.approved) =>
    (await B.pub.getLogs({ address: B.contracts.engine, event: e, fromBlock: from, toBlock: 'latest' })).filter((l) => l.args.assetId === leg.assetId).reduce((t, l) => t + (l.args.amount ?? 0n), 0n)
  const [credited, approved, released, vault, held] = await Promise.all([sum(ev.credited), sum(ev.approved), leg.wallet.balance(), solanaVaultBalance(s), engineBalance(B.chain, leg.trader.account, leg.assetId)])
  const f: string[] = []
  const tag = 'solana SPL'
  if (credited !== leg.amount) f.push(`${tag}: locked ${leg.amount} on Solana but credited ${credited} on ${B.chain.name}`)
  if (released !== approved) f.push(`${tag}: approved ${approved} for withdrawal but ${released} came back to the trader's token account`)
  if (vault !== leg.amount - released) f.push(`${tag}: the program's vault holds ${vault}, but locked - released = ${leg.amount - released}`)
  if (held.active + held.pending !== credited - approved) f.push(`${tag}: the engine holds ${held.active + held.pending}, but credited - approved = ${credited - approved}`)
  const u = (v: bigint) => (Number(v) / 10 ** s.mintDecimals).toFixed(2)
  return { failures: f, line: `solana SPL: locked ${u(leg.amount)}, credited ${u(credited)}, approved ${u(approved)}, released ${u(released)}, vault holds ${u(vault)}, engine holds ${u(held.active + held.pending)}` }
}
