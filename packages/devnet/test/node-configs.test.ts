import { parseConfig as parseOracleConfig } from '@bulwark/oracle-aggregator'
import { parseConfig as parseRelayerConfig } from '@bulwark/relayer'
import { describe, expect, it } from 'vitest'
import type { DeployedChain } from '../src/chains/deploy.js'
import { oracleConfig } from '../src/nodes/oracle-config.js'
import { relayerConfig, type RelayerPlan } from '../src/nodes/relayer-config.js'

// The devnet writes config files that the relayer's and oracle's own CLIs read: their own schemas must accept them.
const contracts = { engine: '0x00000000000000000000000000000000000000e1', oracle: '0x00000000000000000000000000000000000000a1', vault: '0x00000000000000000000000000000000000000b1' } as const
const chain = (name: string, chainId: number, role: 'origin' | 'position') =>
  ({ name, chainId, evmChainId: chainId + 21000, rpcUrl: 'http://127.0.0.1:8545', usdc: contracts.vault, role, deployment: { chainId, evmChainId: chainId + 21000, rpcUrl: 'http://127.0.0.1:8545', admin: contracts.vault, contracts, startBlock: '3' } }) as unknown as DeployedChain
const chains = [chain('chain-a', 10002, 'origin'), chain('chain-b', 10003, 'position')]
const plan = (i: number): RelayerPlan => ({
  index: i, name: `relayer-${i}`, dir: `/tmp/r${i}`, p2pPort: 4000 + i, opsPort: 5000 + i,
  id: { keystore: `/tmp/r${i}/guardian.json`, nodeKeyFile: `/tmp/r${i}/node.key`, address: `0x${String(i + 1).padStart(40, '0')}`, peerId: `12D3KooWRCKkQzCRH5xAkKTkPoPj2TaCQuZxGsjuXVhF7mMUaKN${i}` },
})

describe('node configs', () => {
  it("are accepted by bulwark-relayer's schema, with the Solana chain kind", () => {
    const plans = [0, 1, 2, 3].map(plan)
    const solana = { chainId: 1, rpcUrl: 'http://127.0.0.1:8899', wsUrl: 'ws://127.0.0.1:8900', programId: 'Bu1wark111111111111111111111111111111111111' }
    const c = parseRelayerConfig(relayerConfig(plans[0]!, plans, chains, solana))
    expect(c.chains.map((x) => `${x.kind}:${x.chainId}`)).toEqual(['evm:10002', 'evm:10003', 'solana:1'])
    expect(c.guardians).toHaveLength(4)
  })

  it("are accepted by bulwark-oracle's schema", () => {
    const all = [0, 1, 2].map((i) => ({ index: i, peerPort: 6000 + i, opsPort: 7000 + i, keyFile: `/tmp/o${i}.key`, address: `0x${String(i + 1).padStart(40, '0')}` }))
    const raw = oracleConfig({ node: all[1]!, all, emitter: { chain: 10003, address: `0x${'0a'.padStart(64, '0')}` }, venuesUrl: 'http://127.0.0.1:9000', roundSeconds: 1 })
    delete raw['keyFile'] // bin/ reads it before the schema
    const c = parseOracleConfig({ ...raw, chains: [{ type: 'evm', deployment: 'deployment-10003.json', senderKeyFile: 'sender.key' }], keeper: { chains: [10003], assets: [], markets: [{ marketId: 1, imf: '1', mmf: '1' }] } })
    expect(c.guardianIndex).toBe(1)
    expect(c.peers).toHaveLength(2)
    expect(c.markets.map((m) => m.marketId)).toEqual([1, 3, 100])
  })
})
