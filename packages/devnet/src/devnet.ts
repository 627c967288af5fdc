import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { toBytes32 } from '@bulwark/contracts-evm'
import type { Hex } from 'viem'
import { anvilService } from './chains/anvil.js'
import { deployNetwork, PERP_MARKETS, USDC_MARKET, USDC_WEIGHT, type DeployedChain } from './chains/deploy.js'
import { setBlockTime } from './chains/evm.js'
import { mintAssetId, setupSolana, solanaRpcService, type DeployedSolana } from './chains/solana.js'
import { newKey } from './keys.js'
import { initialPrices, MARKETS } from './markets.js'
import { BULWARK_PROGRAM_ID } from '@bulwark/programs-solana'
import { createKeyPairSignerFromPrivateKeyBytes, generateKeyPairSigner } from '@solana/kit'
import { keeperConfigToJson } from './nodes/keeper-config.js'
import { planOracles, startOracles, type RunningOracle } from './nodes/start-oracles.js'
import { planRelayers, startRelayers, type RunningRelayer } from './nodes/start-relayers.js'
import { PageServer } from './page/server.js'
import { emptyState, type DevnetState } from './page/state.js'
import { VenueServer } from './prices/venues.js'
import { targetHealthWad, type Profile } from './profile.js'
import { StatusCollector } from './status/collector.js'
import { Supervisor, type Progress } from './supervisor/supervisor.js'
import { PortAllocator } from './util/ports.js'
import { waitFor } from './util/wait.js'

export type DevnetOptions = {
  profile: Profile
  /** Label shown on the page ("full", "minimal", "custom"). */
  profileName: string
  /** Run folder (keys, configs, logs). */
  dataDir: string
  progress?: Progress
  /** Supervisor to start processes under (the CLI passes its own so a signal during start-up can stop it). */
  supervisor?: Supervisor
}

export type Devnet = {
  profile: Profile
  dataDir: string
  chains: DeployedChain[]
  /** The local Solana RPC with Bulwark's program (profile.solana). */
  solana?: DeployedSolana
  relayers: RunningRelayer[]
  oracles: RunningOracle[]
  venues: VenueServer
  pageUrl: string
  deployerKey: Hex
  state: DevnetState
  supervisor: Supervisor
  collector: StatusCollector
  timings: Record<string, number>
  stop(): Promise<void>
}

/** Wormhole chain id of the local Solana cluster (docs/protocol.md §2). */
export const SOLANA_CHAIN_ID = 1
const SOL_MARKET = 3
const SOL_WEIGHT = (8n * 10n ** 18n) / 10n
/** The program's emitter address: its id as bytes32. */
const SOLANA_EMITTER = mintAssetId(BULWARK_PROGRAM_ID)
/** Starts bulwark-solana-rpc under the supervisor on two free ports. */
async function startSolanaRpc(sup: Supervisor, ports: PortAllocator, p: Profile, logDir: string): Promise<{ rpcUrl: string; wsUrl: string }> {
  const [port, wsPort] = [await ports.next(), await ports.next()]
  await sup.start(solanaRpcService({ port, wsPort, slotMs: p.solanaSlotMs, logFile: join(logDir, 'solana.log') }, p.healthTimeoutMs))
  return { rpcUrl: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${wsPort}` }
}

/** Funds the Solana fee payer whose 32-byte seed an oracle node gets. */
async function fundSeed(s: DeployedSolana, seed: Uint8Array): Promise<void> {
  await s.fund((await createKeyPairSignerFromPrivateKeyBytes(seed)).address, 10n)
}

/** The oracle network's emitter, configured in every chain's PriceOracle. */
export const ORACLE_EMITTER = (chain: number) => ({ chain, address: toBytes32('0x0a') as Hex })

/**
 * Starts the whole network: chains, deployments, oracle and relayer processes, the status page.
 * Resolves once every part is healthy; on failure everything started so far is stopped.
 */
export async function startDevnet(o: DevnetOptions): Promise<Devnet> {
  const say = o.progress ?? (() => {})
  const p = o.profile
  const logDir = join(o.dataDir, 'logs')
  await mkdir(logDir, { recursive: true })
  const state = emptyState(o.profileName)
  const sup = o.supervisor ?? new Supervisor({ progress: say })
  const ports = new PortAllocator()
  const venues = new VenueServer(initialPrices())
  const page = new PageServer(() => state)
  let collector: StatusCollector | undefined
  const timings: Record<string, number> = {}
  const t0 = Date.now()
  const lap = (k: string, since: number) => (timings[k] = Date.now() - since)
  const stop = async () => {
    state.phase = 'stopping'
    collector?.stop()
    await sup.stopAll()
    await venues.stop()
    await page.stop()
  }
  try {
    const pageUrl = await page.start(p.pagePort)
    say(`status page: ${pageUrl}`)
    state.phase = 'starting chains'
    let t = Date.now()
    say(`[1/6] chains: ${p.chains.length} anvil${p.solana ? ' + Solana (bulwark-solana-rpc over litesvm)' : ''}; keys for ${p.relayers} relayers and ${p.oracles} oracle nodes`)
    const anvils = p.chains.map(async (c) => {
      const port = await ports.next()
      await sup.start(anvilService({ name: c.name, port, evmChainId: c.evmChainId, blockTime: 0, logFile: join(logDir, `${c.name}.log`) }, p.healthTimeoutMs))
      return { name: c.name, chainId: c.chainId, evmChainId: c.evmChainId, rpcUrl: `http://127.0.0.1:${port}` }
    })
    const solanaRpc = p.solana ? startSolanaRpc(sup, ports, p, logDir) : undefined
    const [chainPlans, relayerPlans, oraclePlans, solanaUrls] = await Promise.all([Promise.all(anvils), planRelayers(p.relayers, o.dataDir, ports), planOracles(p.oracles, o.dataDir, ports), solanaRpc])
    lap('chainsAndKeys', t)

    state.phase = 'deploying contracts'
    t = Date.now()
    say(`[2/6] deploying and wiring contracts${p.solana ? ", initializing Bulwark's Solana program" : ''}`)
    const deployerKey = newKey().key
    const position = p.chains[1]!
    const mint = p.solana ? await generateKeyPairSigner() : undefined
    const chains = await deployNetwork({
      external: mint ? [{ chainId: SOLANA_CHAIN_ID, vault: SOLANA_EMITTER, asset: mintAssetId(mint.address), decimals: 9, priceMarket: SOL_MARKET, weight: SOL_WEIGHT, govPriceE8: 150n * 10n ** 8n }] : [],
      chains: chainPlans,
      deployerKey,
      guardians: relayerPlans.map((r) => r.id.address),
      oracleSigners: oraclePlans.map((r) => r.signer.address),
      oracleEmitter: ORACLE_EMITTER(position.chainId),
      targetHealth: targetHealthWad(p.liquidationTargetHealth),
      progress: say,
    })
    const engine = chains.find((c) => c.role === 'position')!.deployment.contracts.engine
    const solana = solanaUrls && mint
      ? await setupSolana(solanaUrls.rpcUrl, solanaUrls.wsUrl, {
          chainId: SOLANA_CHAIN_ID, mint, guardians: relayerPlans.map((r) => r.id.address), oracleSigners: oraclePlans.map((r) => r.signer.address),
          oracleEmitter: ORACLE_EMITTER(position.chainId), engineEmitter: { chain: position.chainId, address: toBytes32(engine) as Hex }, markets: MARKETS.map((m) => PERP_MARKETS.find((x) => x.id === m.id) ?? { id: m.id, imf: 10n ** 17n, mmf: 5n * 10n ** 16n }), tokenMarket: SOL_MARKET,
          targetHealth: targetHealthWad(p.liquidationTargetHealth),
        })
      : undefined
    if (solana) say(`  initialized solana: program ${solana.programId}, demo SPL token ${solana.mint} (listed on ${position.name} as collateral)`)
    for (const c of p.chains) if (c.blockTime > 0) await setBlockTime(chainPlans.find((x) => x.name === c.name)!.rpcUrl, c.blockTime)
    lap('deploy', t)

    state.phase = 'starting oracle nodes'
    t = Date.now()
    const venuesUrl = await venues.start()
    say(`[3/6] ${p.oracles} oracle node(s); exchange venues (Coinbase/Kraken/Binance/OKX formats) at ${venuesUrl}`)
    const keeper = keeperConfigToJson({
      assets: [
        ...chains.filter((c) => c.role === 'origin').map((c) => ({ originChain: c.chainId, asset: toBytes32(c.usdc) as Hex, decimals: 6, weight: USDC_WEIGHT, priceMarketId: USDC_MARKET })),
        ...(solana ? [{ originChain: SOLANA_CHAIN_ID, asset: mintAssetId(solana.mint), decimals: 9, weight: SOL_WEIGHT, priceMarketId: SOL_MARKET }] : []),
      ],
      markets: PERP_MARKETS.map((m) => ({ marketId: m.id, imf: m.imf, mmf: m.mmf })),
    })
    const oracles = await startOracles(oraclePlans, sup, { emitter: ORACLE_EMITTER(position.chainId), venuesUrl, roundSeconds: p.oracleRoundSeconds, chains, keeper, logDir, healthTimeoutMs: p.healthTimeoutMs, ...(solana ? { solana: { ...solana, fundPayer: (seed: Uint8Array) => fundSeed(solana, seed) } } : {}) })
    lap('oracles', t)

    state.phase = 'starting relayers'
    t = Date.now()
    say(`[4/6] ${p.relayers} relayer node(s), quorum ${Math.floor((2 * p.relayers) / 3) + 1} of ${p.relayers}`)
    const relayers = await startRelayers(relayerPlans, chains, sup, {
      logDir,
      healthTimeoutMs: p.healthTimeoutMs,
      ...(solana ? { solana: { chainId: solana.chainId, rpcUrl: solana.rpcUrl, wsUrl: solana.wsUrl, programId: solana.programId, fund: (a: string) => solana.fund(a, 10n) } } : {}),
    })
    lap('relayers', t)

    state.phase = 'waiting for prices on chain'
    t = Date.now()
    say('[5/6] waiting for the first PriceReport on every chain')
    collector = new StatusCollector({ state, chains, relayers, oracles, profile: p, ...(solana ? { solana } : {}) })
    await waitFor(async () => (await collector!.pricesOnChain()) === MARKETS.length * (chains.length + (solana ? 1 : 0)), { what: `every market priced on every chain${solana ? ' and on Solana' : ''}`, timeoutMs: p.healthTimeoutMs, intervalMs: 500 })
    lap('firstPrices', t)
    await collector.refresh()
    collector.start()

    state.phase = 'running'
    state.ready = true
    timings['total'] = Date.now() - t0
    say(`[6/6] ready in ${(timings['total'] / 1000).toFixed(1)} s`)
    return { profile: p, dataDir: o.dataDir, chains, ...(solana ? { solana } : {}), relayers, oracles, venues, pageUrl, deployerKey, state, supervisor: sup, collector, timings, stop }
  } catch (e) {
    say(`! start failed: ${(e as Error).message.split('\n')[0]}`)
    await stop()
    throw e
  }
}
