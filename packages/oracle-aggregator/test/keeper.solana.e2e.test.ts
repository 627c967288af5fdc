import { hexToBytes, WAD, type Hex } from '@bulwark/core'
import { pdas } from '@bulwark/programs-solana'
import { generateKeyPairSigner, type Address } from '@solana/kit'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SolanaKeeperChain } from '../src/chains/solana-keeper-chain.js'
import { LiquidationKeeper, type LiquidationRecord } from '../src/services/keeper/keeper.js'
import type { KeeperConfig } from '../src/services/keeper/types.js'
import { OracleNetwork } from './helpers/oracle-network.js'
import { hexOfAddress, liquidationsSince } from './helpers/solana-liquidations.js'
import { PROGRAM, SolanaProgram } from './helpers/solana-program.js'
import { belowOne, openTraders, registerRemoteUsdc, REMOTE, USDC, type SolanaTrader } from './helpers/solana-traders.js'

const SOLANA = 1
const ETH = 1
const USD = 100
const network = new OracleNetwork({ chain: SOLANA, address: `0x${'05'.repeat(32)}` as Hex }, [
  { marketId: ETH, name: 'ETH-USD', price: '2000' },
  { marketId: USD, name: 'USDC-USD', price: '1.0000' },
])
const keeperConfig: KeeperConfig = {
  assets: [{ originChain: REMOTE, asset: USDC, decimals: 6, weight: WAD, pendingWeight: WAD / 2n, priceMarketId: USD }],
  markets: [{ marketId: ETH, imf: WAD / 10n, mmf: WAD / 20n }],
  maxInFlightPerChain: 4, // Solana has no nonces: liquidations from one payer may fly together
}
/** Traders: 1,000 USDC each, long ETH at 2,000 with these leverages (x10). */
const LEVERAGE = [20, 50, 80, 90, 95]
let program: SolanaProgram
let traders: SolanaTrader[]
let rest: Address[]
const chains: SolanaKeeperChain[] = []
let now = Math.floor(Date.now() / 1000) - 20

async function keeperChain(name: string): Promise<SolanaKeeperChain> {
  const payer = await generateKeyPairSigner()
  await program.fund(payer.address)
  const ch = new SolanaKeeperChain({ chainId: SOLANA, rpcUrl: program.server.url, wsUrl: program.server.wsUrl, programId: PROGRAM, payer, name, confirmTimeoutMs: 20_000 })
  chains.push(ch)
  return ch
}
const keeper = (ch: SolanaKeeperChain) => new LiquidationKeeper(keeperConfig, { chains: [ch], logger: pino({ level: 'silent' }) })
const due = () => belowOne(program, traders, rest)
const pdaOf = new Map<Address, Hex>()
async function publish(price: string): Promise<void> {
  network.setPrice(ETH, price)
  now = Math.max(now + 1, Math.floor(Date.now() / 1000) - 5)
  const r = await network.round(now)
  expect(r.leader && r.published).toBeTruthy()
}

beforeAll(async () => {
  program = await SolanaProgram.start({ chainId: SOLANA, oracleSigners: network.signers, oracleEmitter: network.emitter, markets: [ETH, USD] })
  await registerRemoteUsdc(program, USD)
  await network.start(() => [new SolanaKeeperChain({ chainId: SOLANA, rpcUrl: program.server.url, wsUrl: program.server.wsUrl, programId: PROGRAM, payer: program.admin, confirmTimeoutMs: 20_000 })])
  await publish('2000')
  const relayer = await keeperChain('relayer')
  traders = await openTraders(program, relayer, { chainId: SOLANA, guardians: network.keys, leverageX10: LEVERAGE, usdc: 1_000n, market: ETH, usdMarket: USD, price: 2_000n })
  for (const t of traders) pdaOf.set(t.pda, t.id)
  rest = [await pdas.market(PROGRAM, ETH), await pdas.asset(PROGRAM, hexToBytes(USDC)), await pdas.market(PROGRAM, USD)]
}, 120_000)
afterAll(async () => {
  await network.stop()
  for (const c of chains) await c.close()
  await program?.stop()
})

describe('keeper on Solana: the real program in litesvm behind the RPC server, accounts credited by VAAs, prices by the oracle quorum', () => {
  let a: SolanaKeeperChain
  let b: SolanaKeeperChain
  let keeperA: LiquidationKeeper
  let keeperB: LiquidationKeeper

  it('indexes every margin account the program holds (traders and the relayer), starting from the on-chain prices', async () => {
    a = await keeperChain('keeper-a')
    b = await keeperChain('keeper-b')
    keeperA = keeper(a)
    keeperB = keeper(b)
    expect(await keeperA.followChains()).toEqual([]) // starts; nobody is liquidatable at 2,000
    expect(await keeperB.followChains()).toEqual([])
    expect(keeperA.stats.accountsTracked).toBe(traders.length)
    expect((await due()).size).toBe(0)
  })

  it('a falling price published by the quorum: the keeper liquidates exactly the accounts whose on-chain health is below 1, and is rewarded', async () => {
    await publish('1860') // -7%
    const below = await due()
    expect(below.size).toBe(2) // 9x and 9.5x
    const from = await a.getHeight('instant')
    const t = performance.now()
    const recs = await keeperA.followChains(t)
    expect(new Set(recs.filter((r) => r.outcome === 'submitted').map((r) => r.account))).toEqual(below)
    expect(keeperA.stats.failed).toBe(0)
    const landed = await liquidationsSince(program.server.url, from)
    expect(new Set(landed.map((l) => pdaOf.get(l.account)))).toEqual(below)
    expect(landed.every((l) => l.liquidator === a.payerAddress)).toBe(true)
    expect((await a.readAccount(hexOfAddress(a.payerAddress))).settlement).toBeGreaterThan(0n) // the reward
    expect((await due()).size).toBe(0)
    console.log(`Solana: on-chain report -> liquidation confirmed (${recs.length} txs): ${recs.map((r) => r.latencyMs.toFixed(1)).join(', ')} ms`)
  })

  it('new accounts are picked up by poll() from the transactions that changed them', async () => {
    const relayer = chains.find((c) => c.name === 'relayer')!
    const more = await openTraders(program, relayer, { chainId: SOLANA, guardians: network.keys, leverageX10: [85], usdc: 1_000n, market: ETH, usdMarket: USD, price: 1_860n })
    traders.push(...more)
    for (const t of more) pdaOf.set(t.pda, t.id)
    expect(keeperA.stats.accountsTracked).toBe(traders.length - 1)
    expect(await keeperA.poll()).toBeGreaterThanOrEqual(2)
    // the new trader, and keeper A's own margin account (written by its open_account and liquidations)
    expect(keeperA.stats.accountsTracked).toBe(traders.length + 1)
    await keeperB.poll()
    expect(keeperB.stats.accountsTracked).toBe(traders.length + 1)
  })

  it('a keeper chain pointed at a program id with nothing deployed refuses to liquidate (UnknownAccount naming programId), every time', async () => {
    const payer = await generateKeyPairSigner()
    await program.fund(payer.address)
    const wrong = new SolanaKeeperChain({ chainId: SOLANA, rpcUrl: program.server.url, wsUrl: program.server.wsUrl, programId: (await generateKeyPairSigner()).address, payer })
    chains.push(wrong)
    for (let i = 0; i < 2; i++) await expect(wrong.liquidate(traders[0]!.id)).rejects.toMatchObject({ name: 'UnknownAccount', field: 'programId' })
    expect(await wrong.getAccountChanges(0n, await wrong.getHeight('safe'))).toEqual([])
  })

  it('two keepers racing: each liquidation lands once; the loser counts a lost race, not an error', async () => {
    await keeperA.poll()
    await keeperB.poll()
    await publish('1790')
    const below = await due()
    expect(below.size).toBeGreaterThan(0)
    const from = await a.getHeight('instant')
    const [ra, rb] = await Promise.all([keeperA.followChains(), keeperB.followChains()])
    const all: LiquidationRecord[] = [...ra, ...rb]
    const landed = await liquidationsSince(program.server.url, from)
    expect(all.filter((r) => r.outcome === 'submitted').length).toBe(landed.length)
    expect(new Set(landed.map((l) => pdaOf.get(l.account)))).toEqual(below)
    expect(all.filter((r) => r.outcome === 'lost').length).toBeGreaterThan(0)
    expect(keeperA.stats.lost + keeperB.stats.lost).toBeGreaterThan(0)
    expect(keeperA.stats.failed + keeperB.stats.failed).toBe(0)
    expect((await due()).size).toBe(0)
  })
})
