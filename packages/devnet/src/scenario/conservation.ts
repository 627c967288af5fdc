import { marginEngineAbi, priceOracleAbi } from '@bulwark/contracts-evm'
import { getAbiItem, pad, toFunctionSelector, type Hex } from 'viem'
import type { ChainReader } from '../status/chain-reader.js'

const liquidated = getAbiItem({ abi: marginEngineAbi, name: 'Liquidated' })
const LIQUIDATE = toFunctionSelector(getAbiItem({ abi: marginEngineAbi, name: 'liquidate' }))

export type LiquidationRecord = { block: bigint; account: Hex; liquidator: Hex; penaltyCharged: bigint; badDebt: bigint; socialized: bigint }
export type Conservation = { liquidations: LiquidationRecord[]; checkedBlocks: number; skippedBlocks: number; skipped: bigint[]; failures: string[]; badDebt: bigint; covered: bigint; socialized: bigint }

/**
 * Value conservation of every liquidation, from the position chain's own state (docs/protocol.md §8.6):
 * per block holding Liquidated events, Σ Δequity(liquidated accounts) + Δinsurance fund + Σ Δsettlement
 * (liquidators' rewards) must equal Σ socialized, exactly, comparing the state after the block with the
 * state before it. A block whose market prices moved (a PriceReport landed in it) cannot be compared
 * this way and is counted as skipped; so is one that also holds a trade (its fee feeds the fund).
 */
export async function checkConservation(position: ChainReader, marketIds: readonly number[]): Promise<Conservation> {
  const pub = position.pub
  const engine = position.contracts.engine
  const logs = await pub.getLogs({ address: engine, event: liquidated, fromBlock: BigInt(position.chain.deployment.startBlock), toBlock: 'latest' })
  const liquidations: LiquidationRecord[] = logs.map((l) => ({
    block: l.blockNumber!,
    account: l.args.account!,
    liquidator: pad(l.args.liquidator!, { size: 32 }).toLowerCase() as Hex,
    penaltyCharged: l.args.penaltyCharged!,
    badDebt: l.args.badDebt!,
    socialized: l.args.socialized!,
  }))
  const out: Conservation = { liquidations, checkedBlocks: 0, skippedBlocks: 0, skipped: [], failures: [], badDebt: 0n, covered: 0n, socialized: 0n }
  for (const l of liquidations) (out.badDebt += l.badDebt), (out.socialized += l.socialized)
  out.covered = out.badDebt - out.socialized
  const read = <T>(functionName: 'insuranceFund' | 'settlement' | 'health', blockNumber: bigint, args?: readonly [Hex]) =>
    pub.readContract({ address: engine, abi: marginEngineAbi, functionName, args, blockNumber } as never) as Promise<T>
  const equity = async (a: Hex, b: bigint) => (await read<{ equity: bigint }>('health', b, [a])).equity
  const prices = (b: bigint) => Promise.all(marketIds.map(async (m) => String((await pub.readContract({ address: position.contracts.oracle, abi: priceOracleAbi, functionName: 'getPrice', args: [m], blockNumber: b })).price)))

  for (const block of [...new Set(liquidations.map((l) => l.block))]) {
    const inBlock = liquidations.filter((l) => l.block === block)
    const before = block - 1n
    const [pb, pa, blk] = await Promise.all([prices(before), prices(block), pub.getBlock({ blockNumber: block, includeTransactions: true })])
    const otherEngineTx = blk.transactions.some((t) => t.to?.toLowerCase() === engine.toLowerCase() && !t.input.startsWith(LIQUIDATE))
    if (pb.join() !== pa.join() || otherEngineTx) {
      out.skippedBlocks++
      out.skipped.push(block)
      continue
    }
    let lhs = 0n
    for (const a of new Set(inBlock.map((l) => l.account))) lhs += (await equity(a, block)) - (await equity(a, before))
    lhs += (await read<bigint>('insuranceFund', block)) - (await read<bigint>('insuranceFund', before))
    for (const q of new Set(inBlock.map((l) => l.liquidator))) lhs += (await read<bigint>('settlement', block, [q])) - (await read<bigint>('settlement', before, [q]))
    const rhs = inBlock.reduce((s, l) => s + l.socialized, 0n)
    out.checkedBlocks++
    if (lhs !== rhs) out.failures.push(`value not conserved in block ${block}: Δequity + Δinsurance + rewards = ${lhs}, socialized = ${rhs} (wei of USD)`)
  }
  return out
}
