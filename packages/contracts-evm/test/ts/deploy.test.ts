import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { RISK_PROFILE, WAD } from '@bulwark/core'
import { createPublicClient, getAddress, http, pad, type Address } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { collateralVaultAbi, marginEngineAbi } from '../../ts/generated/abi.js'
import { deployBulwark, startAnvil, type AnvilHandle, type LiquidationParamsEvm } from '../../ts/index.js'

describe('deployBulwark', () => {
  let anvil: AnvilHandle
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-deploy-'))

  beforeAll(async () => {
    anvil = await startAnvil()
  })
  afterAll(async () => {
    await anvil?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it('deploys and wires the set, and writes the deployment JSON', async () => {
    const out = join(dir, 'deployment.json')
    const d = await deployBulwark({ rpcUrl: anvil.url, chainId: 10002, guardians: ['0x0e12f952335cd7eea8f889ab5641d9b755112efa'], out })
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(d)
    const pub = createPublicClient({ transport: http(anvil.url) })
    for (const a of Object.values(d.contracts)) expect((await pub.getCode({ address: a }))?.length).toBeGreaterThan(2)
    expect(await pub.readContract({ address: d.contracts.vault, abi: collateralVaultAbi, functionName: 'engineEmitter' })).toBe(pad(d.contracts.engine, { size: 32 }).toLowerCase())
    expect(await pub.readContract({ address: d.contracts.engine, abi: marginEngineAbi, functionName: 'emitterOf', args: [10002] })).toBe(pad(d.contracts.vault, { size: 32 }).toLowerCase())
    expect(await pub.readContract({ address: d.contracts.engine, abi: marginEngineAbi, functionName: 'oracle' })).toBe(getAddress(d.contracts.oracle))
  })

  const GUARDIANS: Address[] = ['0x0e12f952335cd7eea8f889ab5641d9b755112efa']
  /** The engine's liquidationParams() as named fields. */
  const liquidationOf = async (engine: Address): Promise<LiquidationParamsEvm> => {
    const pub = createPublicClient({ transport: http(anvil.url) })
    const [closeFactor, fullLiquidationHealth, dustNotional, penaltyRate, liquidatorShare, targetHealth] = await pub.readContract({ address: engine, abi: marginEngineAbi, functionName: 'liquidationParams' })
    return { closeFactor, fullLiquidationHealth, dustNotional, penaltyRate, liquidatorShare, targetHealth }
  }

  it('with no overrides, the engine runs RISK_PROFILE.liquidation: target health 1.5, penalty 2%', async () => {
    const d = await deployBulwark({ rpcUrl: anvil.url, guardians: GUARDIANS })
    const p = await liquidationOf(d.contracts.engine)
    expect(p).toEqual(RISK_PROFILE.liquidation)
    expect(p.targetHealth).toBe((15n * WAD) / 10n)
    expect(p.penaltyRate).toBe((2n * WAD) / 100n)
  })

  it('fields left out of a partial liquidation take RISK_PROFILE values', async () => {
    const d = await deployBulwark({ rpcUrl: anvil.url, guardians: GUARDIANS, liquidation: { targetHealth: 0n, penaltyRate: (3n * WAD) / 100n } })
    expect(await liquidationOf(d.contracts.engine)).toEqual({ ...RISK_PROFILE.liquidation, targetHealth: 0n, penaltyRate: (3n * WAD) / 100n })
  })

  it('refuses bad liquidation parameters before deploying anything, naming the field', async () => {
    const pub = createPublicClient({ transport: http(anvil.url) })
    const block = await pub.getBlockNumber()
    const bad = (liquidation: Record<string, unknown>, markets: { id: number; imf: bigint; mmf: bigint; feeRate: bigint }[] = []) =>
      deployBulwark({ rpcUrl: anvil.url, guardians: GUARDIANS, markets, liquidation: liquidation as Partial<LiquidationParamsEvm> })
    const named = (field: string) => expect.objectContaining({ name: 'InvalidParameter', field })
    await expect(bad({ targetHealth: WAD / 2n })).rejects.toThrowError(named('targetHealth'))
    await expect(bad({ closeFactor: 0n })).rejects.toThrowError(named('closeFactor'))
    await expect(bad({ penaltyRate: WAD + 1n })).rejects.toThrowError(named('penaltyRate'))
    await expect(bad({ liquidatorShare: -1n })).rejects.toThrowError(named('liquidatorShare'))
    await expect(bad({ dustNotional: 1 })).rejects.toThrowError(named('dustNotional'))
    await expect(bad({ targetHealt: WAD })).rejects.toThrowError(named('targetHealt'))
    // the default target 1.5 x a 1% mmf does not exceed the 2% penalty: a liquidation would not raise health
    await expect(bad({}, [{ id: 1, imf: WAD / 50n, mmf: WAD / 100n, feeRate: 0n }])).rejects.toThrowError(named('targetHealth'))
    expect(await pub.getBlockNumber()).toBe(block)
  })

  it('refuses an empty guardian list', async () => {
    await expect(deployBulwark({ rpcUrl: anvil.url, guardians: [] })).rejects.toThrow(/guardians/)
  })
})
