import { describe, expect, it } from 'vitest'
import { ConfigError, parseConfig, type OracleConfigInput } from '../config.js'
import { buildChains } from './build-chains.js'
import { EvmKeeperChain } from './evm-keeper-chain.js'
import { SolanaKeeperChain } from './solana-keeper-chain.js'

const solana = { type: 'solana', chainId: 1, rpcUrl: 'http://127.0.0.1:8899', wsUrl: 'ws://127.0.0.1:8900', programId: 'Bu1wark111111111111111111111111111111111111', payerKeyFile: 'payer.key' } as const
const keeper = {
  chains: [1],
  assets: [{ originChain: 10003, asset: `0x${'00'.repeat(30)}a0b8`, decimals: 6, weight: '1000000000000000000', priceMarketId: 100 }],
  markets: [{ marketId: 1, imf: '100000000000000000', mmf: '50000000000000000' }],
}
const base = (over: Partial<OracleConfigInput> = {}): OracleConfigInput => ({
  guardianIndex: 0,
  oracleSet: { keys: [`0x${'11'.repeat(20)}`] },
  emitter: { chain: 1, address: `0x${'05'.repeat(32)}` },
  markets: [{ marketId: 1, name: 'ETH-USD', sources: [{ type: 'coinbase', product: 'ETH-USD' }] }],
  chains: [solana],
  keeper,
  ...over,
})
const fieldOf = async (f: () => unknown): Promise<string> => {
  try {
    await f()
    return 'no error'
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError)
    return (e as ConfigError).field
  }
}

describe('config -> Solana keeper chain', () => {
  it('a keeper on a Solana chain gets a SolanaKeeperChain (account events + program liquidations)', async () => {
    const c = parseConfig(base())
    const built = await buildChains(c.chains, [{ key: new Uint8Array(32).fill(3) }], c.keeper)
    expect(built.keeperChains).toHaveLength(1)
    expect(built.keeperChains[0]).toBeInstanceOf(SolanaKeeperChain)
    expect(built.keeperChains[0]!.chainId).toBe(1)
    expect(typeof built.keeperChains[0]!.getAccountChanges).toBe('function')
    for (const ch of built.chains) await ch.close()
  })

  it.each([
    [{ chains: [{ ...solana, programId: 'not-base58-0OIl' }] }, 'chains.0.programId'],
    [{ chains: [{ ...solana, rpcUrl: 'nope' }] }, 'chains.0.rpcUrl'],
    [{ chains: [{ ...solana, wsUrl: 'http://127.0.0.1:8900' }] }, 'chains.0.wsUrl'],
    [{ chains: [{ ...solana, chainId: 0 }] }, 'chains.0.chainId'],
    [{ keeper: { ...keeper, markets: [{ marketId: 1, imf: '-1', mmf: '1' }] } }, 'keeper.markets.0.imf'],
    [{ keeper: { ...keeper, chains: [] } }, 'keeper.chains'],
  ])('schema: a bad field is named (%#)', async (over, field) => {
    expect(await fieldOf(() => parseConfig(base(over as Partial<OracleConfigInput>)))).toBe(field)
  })

  it('building: a wrong-length payer key and a keeper chain missing from chains are named', async () => {
    const c = parseConfig(base())
    expect(await fieldOf(() => buildChains(c.chains, [{ key: new Uint8Array(31) }], c.keeper))).toBe('chains.0.payerKeyFile')
    // a 64-byte keypair whose public half does not match its seed
    expect(await fieldOf(() => buildChains(c.chains, [{ key: new Uint8Array(64) }], c.keeper))).toBe('chains.0.payerKeyFile')
    const other = parseConfig(base({ keeper: { ...keeper, chains: [7] } }))
    expect(await fieldOf(() => buildChains(other.chains, [{ key: new Uint8Array(32).fill(3) }], other.keeper))).toBe('keeper.chains.0')
  })
})

describe('config -> EVM keeper chain', () => {
  const evm = { type: 'evm', deployment: 'deployment.json', senderKeyFile: 'sender.key' } as const
  const deployment = { chainId: 10002, evmChainId: 31337, rpcUrl: 'http://127.0.0.1:1', admin: `0x${'00'.repeat(20)}`, contracts: { oracle: `0x${'01'.repeat(20)}`, engine: `0x${'02'.repeat(20)}`, vault: `0x${'03'.repeat(20)}` }, startBlock: '0' } as const
  const evmBase = (chain: Record<string, unknown>) => base({ chains: [chain as never], keeper: { ...keeper, chains: [10002] } })

  it('fills the replace-and-bump defaults and builds an EvmKeeperChain', async () => {
    const c = parseConfig(evmBase(evm))
    expect(c.chains[0]).toMatchObject({ feeBump: { afterMs: 12_000, percent: 20, maxBumps: 4 } })
    const built = await buildChains(c.chains, [{ deployment, key: new Uint8Array(32).fill(7) }], c.keeper, { onEvmSend: () => {} })
    expect(built.keeperChains[0]).toBeInstanceOf(EvmKeeperChain)
    expect(built.keeperChains[0]!.name).toBe('evm-10002')
    for (const ch of built.chains) await ch.close()
  })

  it.each([
    [{ ...evm, feeBump: { percent: 5 } }, 'chains.0.feeBump.percent'],
    [{ ...evm, feeBump: { afterMs: 10 } }, 'chains.0.feeBump.afterMs'],
    [{ ...evm, feeBump: { maxBumps: -1 } }, 'chains.0.feeBump.maxBumps'],
    [{ ...evm, feeBump: { every: 1 } }, 'chains.0.feeBump'],
  ])('a bad feeBump field is named (%#)', async (chain, field) => {
    expect(await fieldOf(() => parseConfig(evmBase(chain)))).toBe(field)
  })
})
