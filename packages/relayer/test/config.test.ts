import { describe, expect, it } from 'vitest'
import { parseConfig } from '../src/config.js'
import { CONTRACTS } from './support/cluster.js'

const valid = {
  network: 'bulwark-devnet',
  dataDir: '/tmp/x',
  guardianKey: { env: 'KEY' },
  guardians: [{ address: '0x' + '11'.repeat(20), peerId: '12D3KooWabc' }],
  chains: [{ chainId: 10002, name: 'a', kind: 'evm', rpcUrl: 'http://127.0.0.1:8545', contracts: CONTRACTS }],
}

const solana = { chainId: 1, name: 'sol', kind: 'solana', rpcUrl: 'http://127.0.0.1:8899', programId: 'Bu1wark111111111111111111111111111111111111' }

describe('config', () => {
  it('accepts a minimal config and fills the documented defaults', () => {
    const c = parseConfig(valid)
    expect(c.ops).toEqual({ host: '127.0.0.1', port: 9464 })
    expect(c.delivery.maxAttempts).toBe(5)
    expect(c.chains[0]).toMatchObject({ kind: 'evm', finalizedDepth: 4 })
    expect(c.p2p.listen).toEqual(['/ip4/127.0.0.1/tcp/0'])
  })

  it.each([
    ['chains[0].rpcUrl', { ...valid, chains: [{ ...valid.chains[0], rpcUrl: 'not a url' }] }],
    ['chains[0].chainId', { ...valid, chains: [{ ...valid.chains[0], chainId: 0 }] }],
    ['chains[0].contracts.vault', { ...valid, chains: [{ ...valid.chains[0], contracts: { ...CONTRACTS, vault: '0x12' } }] }],
    ['guardians[0].address', { ...valid, guardians: [{ address: '0xzz', peerId: 'p' }] }],
    ['guardians[1].address', { ...valid, guardians: [valid.guardians[0], valid.guardians[0]] }],
    ['network', { ...valid, network: 'Has Spaces' }],
    ['delivery.maxAttempts', { ...valid, delivery: { maxAttempts: 0 } }],
    ['governor.limits[0].limitUsd', { ...valid, governor: { limits: [{ chain: 2, limitUsd: -1, largeTransferUsd: 1 }] } }],
    ['guardianKey', { ...valid, guardianKey: { file: 'x' } }],
    ['unexpected', { ...valid, unexpected: 1 }],
    ['chains[1].programId', { ...valid, chains: [valid.chains[0], { ...solana, programId: '0OIl' }] }],
    ['chains[1].kind', { ...valid, chains: [valid.chains[0], { ...solana, kind: 'cosmos' }] }],
    ['chains[1].evmChainId', { ...valid, chains: [valid.chains[0], { ...solana, evmChainId: 1 }] }],
    ['dataDir', (({ dataDir: _d, ...rest }) => rest)(valid)],
  ])('names the bad field %s', (field, raw) => {
    expect(() => parseConfig(raw)).toThrow(expect.objectContaining({ name: 'InvalidConfig', field: field }))
  })

  it('converts governor USD amounts to WAD', () => {
    const c = parseConfig({ ...valid, governor: { limits: [{ chain: 2, limitUsd: '1000', largeTransferUsd: 100 }] } })
    expect(c.governor.limits[0]!.limitUsd).toBe(1000n * 10n ** 18n)
    expect(c.governor.limits[0]!.delaySeconds).toBe(86_400)
  })

  it('accepts a Solana chain; its emitter is the program id and PubSub defaults to port + 1', async () => {
    const { emittersOf, defaultWsUrl } = await import('../src/chains.js')
    const c = parseConfig({ ...valid, chains: [valid.chains[0], solana] })
    expect(c.chains[1]).toMatchObject({ kind: 'solana', consistencyLevel: 1, watch: true, deliver: true })
    const [emitter] = emittersOf(c.chains[1]!)
    const { addressBytes } = await import('@bulwark/programs-solana')
    const { bytesToHex } = await import('@bulwark/core')
    expect(emitter).toBe(bytesToHex(addressBytes(solana.programId as never)))
    expect(defaultWsUrl('http://127.0.0.1:8899')).toBe('ws://127.0.0.1:8900')
  })
})

describe('adapters from the config', () => {
  const withSolana = () => parseConfig({ ...valid, chains: [{ ...valid.chains[0], deliver: false }, { ...solana, payerKeyEnv: 'PAYER' }] })

  it('refuses a delivering Solana chain without a payer key, or with a key that is not 64 bytes', async () => {
    const { createAdapters } = await import('../src/chains.js')
    await expect(createAdapters(withSolana(), new Map())).rejects.toMatchObject({ name: 'InvalidConfig', field: 'chains[1].payerKeyEnv' })
    await expect(createAdapters(withSolana(), new Map([[1, '[1,2,3]']]))).rejects.toMatchObject({ name: 'InvalidConfig', field: 'chains[1].payerKeyEnv', message: expect.stringContaining('3 bytes') })
    await expect(createAdapters(withSolana(), new Map([[1, 'not base58 0OIl']]))).rejects.toMatchObject({ name: 'InvalidConfig', field: 'chains[1].payerKeyEnv' })
  })

  it('the package entry exports what `bulwark-relayer start` runs', async () => {
    const entry = await import('../src/index.js')
    expect(typeof entry.startRelayer).toBe('function')
    expect(typeof entry.createAdapters).toBe('function')
    expect(entry.parseConfig({ ...valid, chains: [solana] }).chains[0]!.kind).toBe('solana')
    expect(() => entry.ConfigSchema.parse({})).toThrow()
  })
})
