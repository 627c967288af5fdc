import { spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort, marginEngineAbi } from '@bulwark/contracts-evm'
import { addressOfPrivateKey, bytesToHex, WAD, type Hex } from '@bulwark/core'
import { testGuardianKeys } from '@bulwark/core/testing'
import { SolanaAdapter } from '@bulwark/solana-adapter'
import { createKeyPairSignerFromPrivateKeyBytes } from '@solana/kit'
import { pad, parseEventLogs } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ANVIL_KEY_1, EvmStack } from './helpers/evm-stack.js'
import { ExchangeServer } from './helpers/exchange-server.js'
import { liquidationsSince } from './helpers/solana-liquidations.js'
import { PROGRAM, SolanaProgram } from './helpers/solana-program.js'
import { openTraders, registerRemoteUsdc, type SolanaTrader } from './helpers/solana-traders.js'
import { creditAndOpen, REMOTE, REMOTE_VAULT, traders, USDC } from './helpers/traders.js'

const here = dirname(fileURLToPath(import.meta.url))
const bin = join(here, '../bin/bulwark-oracle.ts')
const tsx = join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/cli.mjs')
const oracleKey = new Uint8Array(32).fill(9)
const solanaSeed = new Uint8Array(32).fill(11)
const emitter = { chain: 10002, address: pad('0x0c', { size: 32 }) as Hex }
const guardians = testGuardianKeys(4, 'oracle-aggregator-cli-guardians')
const { keys: traderKeys, accounts } = traders(4, 0x9000)
const VENUES = ['coinbase', 'kraken', 'binance', 'okx'] as const
const eth = new ExchangeServer('2000')
const usd = new ExchangeServer('1.0000')
const liquidator = privateKeyToAccount(ANVIL_KEY_1).address
let stack: EvmStack
let solana: SolanaProgram
let reader: SolanaAdapter
let dir: string
let opsPort: number

const sources = (base: string) => [
  { type: 'coinbase', baseUrl: base, product: 'BTC-USD' },
  { type: 'kraken', baseUrl: base, pair: 'XBTUSD' },
  { type: 'binance', baseUrl: base, symbol: 'BTCUSDT' },
  { type: 'okx', baseUrl: base, instId: 'BTC-USDT' },
]
const setPrice = (x: ExchangeServer, price: string) => VENUES.forEach((v) => x.set(v, { price, time: Math.floor(Date.now() / 1000) }))
async function until<T>(what: string, f: () => Promise<T | undefined | null | false>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const v = await f().catch(() => undefined)
    if (v) return v
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bulwark-oracle-chains-'))
  const signer = addressOfPrivateKey(oracleKey)
  stack = await EvmStack.start({
    chainId: 10002,
    guardians: guardians.map((g) => addressOfPrivateKey(g.privateKey)),
    oracleSigners: [signer],
    oracleEmitter: emitter,
    priceMarkets: [1, 100],
    markets: [{ id: 1, imf: WAD / 10n, mmf: WAD / 20n, feeRate: WAD / 2000n }],
    assets: [{ chain: REMOTE, token: USDC, priceMarket: 100, weight: WAD, pendingWeight: WAD / 2n, decimals: 6, govPriceE8: 10n ** 8n }],
    remoteVaults: [{ chain: REMOTE, address: REMOTE_VAULT, limitUsd: 10n ** 9n, largeTransferUsd: 10n ** 8n }],
    out: join(dir, 'deployment.json'),
  })
  solana = await SolanaProgram.start({ chainId: 1, oracleSigners: [signer], oracleEmitter: emitter, markets: [1, 100] })
  await registerRemoteUsdc(solana, 100)
  const payer = await createKeyPairSignerFromPrivateKeyBytes(solanaSeed)
  await solana.fund(payer.address)
  reader = await solana.adapter(1)
  opsPort = await freePort()
  writeFileSync(join(dir, 'oracle.key'), bytesToHex(oracleKey))
  writeFileSync(join(dir, 'sender.key'), ANVIL_KEY_1)
  writeFileSync(join(dir, 'solana-payer.key'), bytesToHex(solanaSeed))
  writeFileSync(join(dir, 'node.json'), JSON.stringify({
    guardianIndex: 0,
    oracleSet: { keys: [signer] },
    emitter,
    ops: { port: opsPort },
    keyFile: 'oracle.key',
    logLevel: 'warn',
    markets: [
      { marketId: 1, name: 'ETH-USD', minSources: 3, sigmaRef: String(10n ** 17n), sources: sources(await eth.start()) },
      { marketId: 100, name: 'USDC-USD', minSources: 3, sources: sources(await usd.start()) },
    ],
    chains: [
      { type: 'evm', deployment: 'deployment.json', senderKeyFile: 'sender.key' },
      { type: 'solana', chainId: 1, rpcUrl: solana.server.url, wsUrl: solana.server.wsUrl, programId: PROGRAM, payerKeyFile: 'solana-payer.key' },
    ],
    keeper: {
      chains: [10002, 1],
      assets: [{ originChain: REMOTE, asset: USDC, decimals: 6, weight: String(WAD), pendingWeight: String(WAD / 2n), priceMarketId: 100 }],
      markets: [{ marketId: 1, imf: String(WAD / 10n), mmf: String(WAD / 20n) }],
    },
  }))
}, 60_000)
afterAll(async () => {
  await reader?.close()
  await solana?.stop()
  await stack?.stop()
  await eth.stop()
  await usd.stop()
})

describe('bulwark-oracle start --config: chain adapters from the config (anvil + Solana program), as a process', () => {
  it('publishes to both chains and its keeper liquidates on the real MarginEngine and the real Solana program after a fall', async () => {
    const child = spawn(process.execPath, [tsx, bin, 'start', '--config', join(dir, 'node.json')], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (out += d))
    const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
    try {
      const evm = stack.adapter()
      await until('prices on both chains', async () => (await evm.readPrice(1)) && (await evm.readPrice(100)) && (await reader.readPrice(1)) && (await reader.readPrice(100)))
      expect((await evm.readPrice(1))!.price).toBe(2000n * WAD)
      expect((await reader.readPrice(1))!.price).toBe(2000n * WAD)
      await creditAndOpen(stack, { guardians, keys: traderKeys, leverageX10: [20, 50, 90, 95], usdc: 1_000n, market: 1, price: 2_000n })
      // on Solana too (the program's guardian set is the one oracle key here): a 5x and a 9.5x long
      const solTraders: SolanaTrader[] = await openTraders(solana, reader, { chainId: 1, guardians: [oracleKey], leverageX10: [50, 95], usdc: 1_000n, market: 1, usdMarket: 100, price: 2_000n })
      const from = await stack.pub.getBlockNumber({ cacheTime: 0 })
      const fromSlot = await reader.getHeight('instant')
      await until('the keeper to index the traders on both chains', async () => ((await (await fetch(`http://127.0.0.1:${opsPort}/status`)).json()) as { keeper?: { accountsTracked: number } }).keeper?.accountsTracked === accounts.length + solTraders.length)
      setPrice(eth, '1850') // -7.5%: the 9x and 9.5x longs fall below maintenance
      await until('the fall on Solana', async () => (await reader.readPrice(1))?.price === 1850n * WAD)
      const events = await until('liquidations', async () => {
        const logs = parseEventLogs({ abi: marginEngineAbi, logs: await stack.pub.getLogs({ address: stack.deployment.contracts.engine, fromBlock: from }), eventName: 'Liquidated' })
        return new Set(logs.map((l) => l.args.account.toLowerCase())).size >= 2 && logs
      })
      expect(new Set(events.map((e) => e.args.account.toLowerCase()))).toEqual(new Set([accounts[2], accounts[3]]))
      expect(events.every((e) => e.args.liquidator === liquidator)).toBe(true)
      // and on Solana: only the 9.5x account, by the config's payer key
      const onSolana = await until('the liquidation on Solana', async () => {
        const l = await liquidationsSince(solana.server.url, fromSlot)
        return l.length > 0 && l
      })
      const payer = await createKeyPairSignerFromPrivateKeyBytes(solanaSeed)
      expect(new Set(onSolana.map((l) => l.account))).toEqual(new Set([solTraders[1]!.pda]))
      expect(onSolana.every((l) => l.liquidator === payer.address)).toBe(true)
      // the counter moves when the keeper sees its receipt, which can trail the event a poll interval
      const submitted = /bulwark_keeper_liquidations_total\{outcome="submitted"\} [1-9]/
      await until('the keeper to count its liquidations', async () => submitted.test(await (await fetch(`http://127.0.0.1:${opsPort}/metrics`)).text()))
    } finally {
      child.kill('SIGTERM')
    }
    expect(await exit).toBe(0)
    expect(out).not.toMatch(/"level":50/) // no error logged
  })

  it('a keeper chain that is not configured is refused at start, naming the field', async () => {
    const cfg = JSON.parse((await import('node:fs')).readFileSync(join(dir, 'node.json'), 'utf8')) as Record<string, { chains: number[] }>
    cfg['keeper']!.chains = [4242]
    writeFileSync(join(dir, 'bad-keeper.json'), JSON.stringify({ ...cfg, ops: { port: 0 } }))
    const child = spawn(process.execPath, [tsx, bin, 'start', '--config', join(dir, 'bad-keeper.json')], { stdio: ['ignore', 'pipe', 'pipe'] })
    let err = ''
    child.stderr.on('data', (d) => (err += d))
    expect(await new Promise((r) => child.on('exit', r))).toBe(1)
    expect(err).toMatch(/ConfigError: invalid config at keeper\.chains\.0: chain 4242 is not in "chains"/)
  })
})
