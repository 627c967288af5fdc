import { spawnSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { RISK_PROFILE, WAD } from '@bulwark/core'
import { createPublicClient, getAddress, http, pad, type Address } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { collateralVaultAbi, marginEngineAbi, priceOracleAbi } from '../../ts/generated/abi.js'
import { ANVIL_KEY_0, startAnvil, type AnvilHandle } from '../../ts/index.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '../..')
const GUARDIANS = ['0x0e12f952335cd7eea8f889ab5641d9b755112efa', '0x1111111111111111111111111111111111111111']

/** Runs script/DeployBulwark.s.sol through the real forge binary (exit code kept by scripts/forge.cjs). */
function forgeDeploy(rpcUrl: string, env: Record<string, string>) {
  const r = spawnSync('node', ['scripts/forge.cjs', 'script', 'script/DeployBulwark.s.sol', '--rpc-url', rpcUrl, '--broadcast'], {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    // bounded: a forge that hangs is killed and the test fails with its output (status null), below vitest's 60 s
    timeout: 50_000,
    killSignal: 'SIGKILL',
  })
  const addr = (name: string) => getAddress(new RegExp(`${name} (0x[0-9a-fA-F]{40})`).exec(r.stdout)?.[1] ?? '0x0000000000000000000000000000000000000000')
  return { status: r.status, output: r.stdout + r.stderr, oracle: addr('oracle'), engine: addr('engine'), vault: addr('vault') }
}

describe('forge script DeployBulwark against anvil', () => {
  let anvil: AnvilHandle
  beforeAll(async () => {
    anvil = await startAnvil()
  })
  afterAll(async () => {
    await anvil?.stop()
  })

  it('deploys and wires oracle, engine and vault like deployBulwark', async () => {
    const d = forgeDeploy(anvil.url, { PRIVATE_KEY: ANVIL_KEY_0, GUARDIANS: GUARDIANS.join(','), CHAIN_ID: '10005' })
    expect(d.status, d.output).toBe(0)
    const pub = createPublicClient({ transport: http(anvil.url) })
    const read = (address: Address, abi: readonly unknown[], functionName: string, args: unknown[] = []) =>
      pub.readContract({ address, abi, functionName, args } as never) as Promise<unknown>
    for (const a of [d.oracle, d.engine, d.vault]) expect((await pub.getCode({ address: a }))?.length).toBeGreaterThan(2)
    expect(await read(d.vault, collateralVaultAbi, 'engineEmitter')).toBe(pad(d.engine, { size: 32 }).toLowerCase())
    expect(await read(d.vault, collateralVaultAbi, 'engineChain')).toBe(10005)
    expect(await read(d.engine, marginEngineAbi, 'emitterOf', [10005])).toBe(pad(d.vault, { size: 32 }).toLowerCase())
    expect(await read(d.engine, marginEngineAbi, 'oracle')).toBe(d.oracle)
    expect(await read(d.engine, marginEngineAbi, 'chainId')).toBe(10005)
    expect(((await read(d.engine, marginEngineAbi, 'getGuardianSet', [0])) as [string[]])[0].map((a) => a.toLowerCase())).toEqual(GUARDIANS)
    expect(await read(d.oracle, priceOracleAbi, 'admin')).toBe(getAddress('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266'))
  })

  const liquidationOf = async (engine: Address) => {
    const pub = createPublicClient({ transport: http(anvil.url) })
    const [closeFactor, fullLiquidationHealth, dustNotional, penaltyRate, liquidatorShare, targetHealth] = await pub.readContract({ address: engine, abi: marginEngineAbi, functionName: 'liquidationParams' })
    return { closeFactor, fullLiquidationHealth, dustNotional, penaltyRate, liquidatorShare, targetHealth }
  }

  it('sets RISK_PROFILE.liquidation by default (target health 1.5, penalty 2%), each field overridable from the environment', async () => {
    const d = forgeDeploy(anvil.url, { PRIVATE_KEY: ANVIL_KEY_0, GUARDIANS: GUARDIANS.join(',') })
    expect(d.status, d.output).toBe(0)
    expect(await liquidationOf(d.engine)).toEqual(RISK_PROFILE.liquidation)
    const o = forgeDeploy(anvil.url, { PRIVATE_KEY: ANVIL_KEY_0, GUARDIANS: GUARDIANS.join(','), TARGET_HEALTH: '0', PENALTY_RATE: String((3n * WAD) / 100n) })
    expect(o.status, o.output).toBe(0)
    expect(await liquidationOf(o.engine)).toEqual({ ...RISK_PROFILE.liquidation, targetHealth: 0n, penaltyRate: (3n * WAD) / 100n })
  })

  it('refuses a bad liquidation parameter with a non-zero exit code naming the variable', () => {
    const d = forgeDeploy(anvil.url, { PRIVATE_KEY: ANVIL_KEY_0, GUARDIANS: GUARDIANS.join(','), TARGET_HEALTH: String(WAD / 2n) })
    expect(d.status).not.toBe(0)
    expect(d.output).toMatch(/TARGET_HEALTH must be 0 \(off\) or in \[1e18, 2\^128\)/)
    const c = forgeDeploy(anvil.url, { PRIVATE_KEY: ANVIL_KEY_0, GUARDIANS: GUARDIANS.join(','), CLOSE_FACTOR: '0' })
    expect(c.status).not.toBe(0)
    expect(c.output).toMatch(/CLOSE_FACTOR must be in \(0, 1e18\]/)
  })

  it('fails with a non-zero exit code when GUARDIANS is missing', () => {
    const d = forgeDeploy(anvil.url, { PRIVATE_KEY: ANVIL_KEY_0, GUARDIANS: '' })
    expect(d.status).not.toBe(0)
  })
})
