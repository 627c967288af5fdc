import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createPublicClient, getAddress, http, pad } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { collateralVaultAbi, marginEngineAbi } from '../../ts/generated/abi.js'
import { deployBulwark, startAnvil, type AnvilHandle } from '../../ts/index.js'

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

  it('refuses an empty guardian list', async () => {
    await expect(deployBulwark({ rpcUrl: anvil.url, guardians: [] })).rejects.toThrow(/guardians/)
  })
})
