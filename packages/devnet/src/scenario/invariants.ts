import { collateralVaultAbi, marginEngineAbi } from '@bulwark/contracts-evm'
import { getAbiItem, pad, type Hex } from 'viem'
import type { DeployedChain } from '../chains/deploy.js'
import { demoTokenAbi } from '../chains/demo-token.generated.js'
import type { ChainReader } from '../status/chain-reader.js'

const ev = {
  locked: getAbiItem({ abi: collateralVaultAbi, name: 'Locked' }),
  released: getAbiItem({ abi: collateralVaultAbi, name: 'Released' }),
  credited: getAbiItem({ abi: marginEngineAbi, name: 'CollateralCredited' }),
  queued: getAbiItem({ abi: marginEngineAbi, name: 'CollateralQueued' }),
  approved: getAbiItem({ abi: marginEngineAbi, name: 'WithdrawalApproved' }),
}

export type Ledger = { origin: string; assetId: number; locked: bigint; released: bigint; vaultBalance: bigint; credited: bigint; approved: bigint; engineHeld: bigint; locks: number; credits: number; releases: number; approvals: number }

/**
 * Checks, from the chains' own events and balances:
 *  - collateral conserved: per origin, vault balance = locked - released; engine holdings = credited - approved;
 *    locked = credited and released = approved once nothing is in flight;
 *  - no double credit / release: credits <= locks, each withdrawal id released at most once;
 *  - no withdrawal below initial margin: at every approval's block, equity >= imReq.
 */
export async function checkInvariants(position: ChainReader, origins: readonly ChainReader[], assetIds: ReadonlyMap<number, number>, accounts: readonly Hex[]): Promise<{ failures: string[]; ledgers: Ledger[] }> {
  const failures: string[] = []
  const ledgers: Ledger[] = []
  const pp = position.pub
  const engine = position.contracts.engine
  const fromB = BigInt(position.chain.deployment.startBlock)
  const credited = await pp.getLogs({ address: engine, event: ev.credited, fromBlock: fromB, toBlock: 'latest' })
  const queued = await pp.getLogs({ address: engine, event: ev.queued, fromBlock: fromB, toBlock: 'latest' })
  const approved = await pp.getLogs({ address: engine, event: ev.approved, fromBlock: fromB, toBlock: 'latest' })
  for (const o of origins) {
    const assetId = assetIds.get(o.chain.chainId)!
    const vault = o.contracts.vault
    const from = BigInt(o.chain.deployment.startBlock)
    const locks = (await o.pub.getLogs({ address: vault, event: ev.locked, fromBlock: from, toBlock: 'latest' })).filter((l) => l.args.destinationChain === position.chain.chainId)
    const rels = await o.pub.getLogs({ address: vault, event: ev.released, fromBlock: from, toBlock: 'latest' })
    const vaultBalance = (await o.pub.readContract({ address: o.chain.usdc, abi: demoTokenAbi, functionName: 'balanceOf', args: [vault] })) as bigint
    const cr = [...credited, ...queued].filter((l) => l.args.assetId === assetId)
    const ap = approved.filter((l) => l.args.assetId === assetId)
    let engineHeld = 0n
    for (const a of accounts) {
      const [act, pend] = (await pp.readContract({ address: engine, abi: marginEngineAbi, functionName: 'balanceOf', args: [a, assetId] })) as readonly [bigint, bigint]
      engineHeld += act + pend
    }
    const sum = (xs: { args: { amount?: bigint } }[]) => xs.reduce((s, l) => s + (l.args.amount ?? 0n), 0n)
    const L: Ledger = { origin: o.chain.name, assetId, locked: sum(locks), released: sum(rels), vaultBalance, credited: sum(cr), approved: sum(ap), engineHeld, locks: locks.length, credits: cr.length, releases: rels.length, approvals: ap.length }
    ledgers.push(L)
    const tag = `${o.chain.name} USDC`
    if (L.vaultBalance !== L.locked - L.released) failures.push(`${tag}: vault holds ${L.vaultBalance}, but locked - released = ${L.locked - L.released}`)
    if (L.engineHeld !== L.credited - L.approved) failures.push(`${tag}: engine holds ${L.engineHeld} for the traders, but credited - approved = ${L.credited - L.approved}`)
    if (L.credited !== L.locked) failures.push(`${tag}: locked ${L.locked} on ${o.chain.name} but credited ${L.credited} on ${position.chain.name} (lost or double credit)`)
    if (L.credits > L.locks) failures.push(`${tag}: ${L.credits} credits for ${L.locks} locks (double credit)`)
    if (L.released !== L.approved) failures.push(`${tag}: approved ${L.approved} for withdrawal but released ${L.released}`)
    const ids = rels.map((l) => l.args.withdrawalId)
    if (new Set(ids).size !== ids.length) failures.push(`${tag}: a withdrawal id was released twice`)
  }
  for (const a of approved) {
    const account = a.args.account!
    const h = await pp.readContract({ address: engine, abi: marginEngineAbi, functionName: 'health', args: [account], blockNumber: a.blockNumber! })
    if (h.equity < BigInt(h.imReq)) failures.push(`withdrawal #${a.args.withdrawalId} left ${account} below initial margin (equity ${h.equity} < IM ${h.imReq})`)
  }
  return { failures, ledgers }
}

export const accountKey = (address: Hex): Hex => pad(address, { size: 32 }).toLowerCase() as Hex
