import { marginEngineAbi } from '@bulwark/contracts-evm'
import { decodeConfig, pdas } from '@bulwark/programs-solana'
import { address, createSolanaRpc } from '@solana/kit'
import { createPublicClient, http } from 'viem'
import type { Devnet } from '../../src/devnet.js'

/** The position chain's engine: its liquidation parameters and each listed market's imf / mmf. */
export async function engineRisk(d: Devnet) {
  const position = d.chains.find((c) => c.role === 'position')!
  const pub = createPublicClient({ transport: http(position.rpcUrl) })
  const engine = position.deployment.contracts.engine
  const [closeFactor, fullLiquidationHealth, dustNotional, penaltyRate, liquidatorShare, targetHealth] = await pub.readContract({ address: engine, abi: marginEngineAbi, functionName: 'liquidationParams' })
  const count = await pub.readContract({ address: engine, abi: marginEngineAbi, functionName: 'marketCount' })
  const markets = []
  for (let i = 0; i < count; i++) {
    const [id, imf, mmf] = await pub.readContract({ address: engine, abi: marginEngineAbi, functionName: 'markets', args: [BigInt(i)] })
    markets.push({ id, imf, mmf })
  }
  return { liquidation: { closeFactor, fullLiquidationHealth, dustNotional, penaltyRate, liquidatorShare, targetHealth }, markets }
}

/** The Solana program's liquidation parameters, from its config account. */
export async function solanaLiquidation(d: Devnet) {
  const s = d.solana!
  const programId = address(s.programId)
  const info = await createSolanaRpc(s.rpcUrl).getAccountInfo(await pdas.config(programId), { encoding: 'base64' }).send()
  return decodeConfig(Uint8Array.from(Buffer.from(info.value!.data[0], 'base64'))).liquidation
}
