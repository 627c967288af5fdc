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

describe('config', () => {
  it('accepts a minimal config and fills the documented defaults', () => {
    const c = parseConfig(valid)
    expect(c.ops).toEqual({ host: '127.0.0.1', port: 9464 })
    expect(c.delivery.maxAttempts).toBe(5)
    expect(c.chains[0]!.finalizedDepth).toBe(4)
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
    ['dataDir', (({ dataDir: _d, ...rest }) => rest)(valid)],
  ])('names the bad field %s', (field, raw) => {
    expect(() => parseConfig(raw)).toThrow(expect.objectContaining({ name: 'InvalidConfig', field: field }))
  })

  it('converts governor USD amounts to WAD', () => {
    const c = parseConfig({ ...valid, governor: { limits: [{ chain: 2, limitUsd: '1000', largeTransferUsd: 100 }] } })
    expect(c.governor.limits[0]!.limitUsd).toBe(1000n * 10n ** 18n)
    expect(c.governor.limits[0]!.delaySeconds).toBe(86_400)
  })
})
