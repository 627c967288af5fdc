import { EvmChainAdapter, NATIVE_TOKEN, collateralVaultAbi, deployBulwark, marginEngineAbi, startAnvil, toBytes32, type AnvilHandle, type BulwarkDeployment } from '@bulwark/contracts-evm'
import { SolanaAdapter } from '@bulwark/solana-adapter'
import { generateKeyPairSigner } from '@solana/kit'
import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createPublicClient, createWalletClient, decodeFunctionData, http, parseEventLogs, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildSignedVaa, bytesToHex, encodePayload, hexToBytes, parseVaa } from '@bulwark/core'
import { nodeConfigInput, planCluster, type ClusterNode } from './support/cluster.js'
import { NodeProcess, anvilKey } from './support/e2e.js'
import { GOVERNANCE_EMITTER, PROGRAM, PROGRAM_EMITTER, SOLANA, newPayer, startSolanaChain, type SolanaChain } from './support/solana.js'

/**
 * EVM <-> Solana through `bulwark-relayer start --config` processes (4 nodes, generated config
 * files, no library calls): a lock on the real Bulwark program (litesvm JSON-RPC) is credited by
 * the engine on an anvil chain, and a lock in the anvil vault is credited by the program.
 */
const A = 10002
const WAD = 10n ** 18n
const GOVERNOR_DELAY_S = 8
const account = toBytes32('0x00000000000000000000000000000000000b0b00')

async function until(what: string, cond: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`)
    await new Promise((r) => setTimeout(r, 250))
  }
}

describe('relayer between Solana and an EVM chain (4 CLI processes)', () => {
  let nodes: ClusterNode[]
  let root: string
  let anvil: AnvilHandle
  let dep: BulwarkDeployment
  let sol: SolanaChain
  let reader: SolanaAdapter
  let procs: NodeProcess[] = []
  let miner: NodeJS.Timeout | undefined
  const pub = () => createPublicClient({ transport: http(anvil.url) })

  beforeAll(async () => {
    ;({ nodes, root } = await planCluster(4))
    const guardians = nodes.map((n) => n.key.address)
    sol = await startSolanaChain(guardians)
    anvil = await startAnvil({ chainId: 31337 })
    dep = await deployBulwark({
      rpcUrl: anvil.url, chainId: A, guardians, priceMarkets: [1],
      vaultAssets: [{ token: NATIVE_TOKEN, cap: 10n ** 30n }],
      assets: [{ chain: SOLANA, token: sol.mintId, priceMarket: 1, weight: 9n * 10n ** 17n, pendingWeight: 0n, decimals: 6, govPriceE8: 10n ** 8n }],
      remoteVaults: [{ chain: SOLANA, address: PROGRAM_EMITTER, limitUsd: 10_000_000n, largeTransferUsd: 1_000_000n }],
    })
    await sol.registerEvmVault(A, toBytes32(dep.contracts.vault), toBytes32(NATIVE_TOKEN), 18)
    // 1 USD per token on chain A's oracle (market 1), signed by the oracle set (= the guardians).
    const publishTime = BigInt(Math.floor(Date.now() / 1000) - 1)
    const payload = encodePayload({ type: 'PriceReport', publishTime, prices: [{ marketId: 1, price: WAD, conf: WAD / 1000n, emaPrice: WAD, volMultiplier: WAD }] })
    const oracleVaa = buildSignedVaa({ timestamp: Number(publishTime), nonce: 0, emitterChain: A, emitterAddress: toBytes32('0x0a'), sequence: 0n, consistencyLevel: 1, payload }, 0, nodes.map((n) => ({ index: n.index, privateKey: n.key.secret })))
    const evm = new EvmChainAdapter({ deployment: dep, privateKey: anvilKey(0) })
    await evm.submitVaa(oracleVaa)
    expect((await evm.readPrice(1))?.price).toBe(WAD)
    await evm.close()
    miner = setInterval(() => void pub().request({ method: 'anvil_mine' as never, params: ['0x1'] as never }).catch(() => {}), 250)
    reader = new SolanaAdapter({ chainId: SOLANA, rpcUrl: sol.server.url, wsUrl: sol.server.wsUrl, programId: PROGRAM, payer: await generateKeyPairSigner() })
    for (const [i, node] of nodes.entries()) {
      const payer = await newPayer()
      await sol.fund(payer.signer.address)
      const cfg = nodeConfigInput(nodes, i, {
        guardianKey: { env: 'BULWARK_GUARDIAN_KEY' },
        chains: [
          { chainId: A, name: 'anvil', kind: 'evm', rpcUrl: anvil.url, evmChainId: 31337, contracts: dep.contracts, startHeight: Number(dep.startBlock), finalizedDepth: 3, senderKeyEnv: 'BULWARK_SENDER_KEY' },
          { chainId: SOLANA, name: 'solana', kind: 'solana', rpcUrl: sol.server.url, wsUrl: sol.server.wsUrl, programId: PROGRAM, payerKeyEnv: 'BULWARK_SOLANA_PAYER' },
        ],
        watcher: { pollMs: 150, maxRange: 1000 },
        delivery: { maxAttempts: 5, baseDelayMs: 200, maxDelayMs: 2000, staggerMs: 1500 },
        log: { level: 'info' },
        // Locks from Solana: at most 1,000 USD per 24 h and per transfer; excess waits 8 s (priced by chain A's oracle).
        governor: {
          limits: [{ chain: SOLANA, limitUsd: 1000, largeTransferUsd: 1000, delaySeconds: GOVERNOR_DELAY_S }],
          assets: [{ chain: SOLANA, asset: sol.mintId, marketId: 1, decimals: 6 }],
          priceChain: A,
        },
      })
      const path = join(node.dataDir, 'config.json')
      await writeFile(path, JSON.stringify(cfg, null, 2))
      procs.push(new NodeProcess(node, path, { BULWARK_GUARDIAN_KEY: bytesToHex(node.key.secret), BULWARK_SENDER_KEY: anvilKey(i + 1), BULWARK_SOLANA_PAYER: payer.secret }))
    }
    await Promise.all(procs.map((p) => p.start()))
  }, 180_000)

  afterAll(async () => {
    clearInterval(miner)
    for (const p of procs) await p.stop()
    await reader?.close()
    await anvil?.stop()
    await sol?.server.stop()
    if (root) await rm(root, { recursive: true, force: true })
  }, 60_000)

  it('credits a lock on the Solana program on the EVM chain', async () => {
    const seq = await sol.lock(2_500_000n, A, account)
    const consumed = () => pub().readContract({ address: dep.contracts.engine, abi: marginEngineAbi, functionName: 'isConsumed', args: [SOLANA, PROGRAM_EMITTER, seq] }) as Promise<boolean>
    await until('EVM credit of the Solana lock', consumed)
    const logs = parseEventLogs({ abi: marginEngineAbi, eventName: 'CollateralCredited', logs: await pub().getLogs({ address: dep.contracts.engine, fromBlock: 0n }) })
    expect(logs).toHaveLength(1)
  }, 90_000)

  it('governor: a Solana lock over the per-chain limit is queued, then credited after the delay (never dropped)', async () => {
    const seq = await sol.lock(2_000n * 10n ** 6n, A, account) // 2,000 USD > 1,000 USD limit
    const lockedAt = Date.now()
    const consumed = () => pub().readContract({ address: dep.contracts.engine, abi: marginEngineAbi, functionName: 'isConsumed', args: [SOLANA, PROGRAM_EMITTER, seq] }) as Promise<boolean>
    type Queued = { notional: string }
    await until('the transfer queued by the governor', async () => ((await procs[0]!.status()).governorQueued as Queued[]).length > 0, 30_000)
    expect(((await procs[0]!.status()).governorQueued as Queued[])[0]!.notional).toBe(String(2_000n * WAD))
    expect(await consumed()).toBe(false)
    await until('credit after the governor delay', consumed, 60_000)
    expect(Date.now() - lockedAt).toBeGreaterThanOrEqual(GOVERNOR_DELAY_S * 1000 - 1000)
    const logs = parseEventLogs({ abi: marginEngineAbi, eventName: 'CollateralCredited', logs: await pub().getLogs({ address: dep.contracts.engine, fromBlock: 0n }) })
    expect(logs).toHaveLength(2)
  }, 90_000)

  it('credits a lock in the EVM vault on Solana', async () => {
    const chain = { id: 31337, name: 'a', nativeCurrency: { name: 'E', symbol: 'E', decimals: 18 }, rpcUrls: { default: { http: [anvil.url] } } } as const
    const wallet = createWalletClient({ account: privateKeyToAccount(anvilKey(0)), chain, transport: http(anvil.url) })
    const hash = await wallet.writeContract({ address: dep.contracts.vault, abi: collateralVaultAbi, functionName: 'lockNative', args: [SOLANA, account as Hex], value: 10n ** 17n })
    expect((await pub().waitForTransactionReceipt({ hash })).status).toBe('success')
    await until('Solana credit of the EVM lock', async () => (await reader.readAccount(account)).collateral.length > 0)
    expect((await reader.readAccount(account)).collateral).toEqual([{ originChain: 0, asset: toBytes32(NATIVE_TOKEN).toLowerCase(), amount: 10n ** 17n, pending: false }])
  }, 90_000)

  it('guardian set upgrade submitted to one node: gossiped to the other processes, all sign set-1 VAAs the upgraded chains accept', async () => {
    const reversed = [...nodes].reverse().map((n) => n.key.address as Hex)
    const payload = encodePayload({ type: 'GuardianSetUpgrade', targetChain: 0, newIndex: 1, keys: reversed })
    const body = { timestamp: Math.floor(Date.now() / 1000), nonce: 0, emitterChain: 1, emitterAddress: GOVERNANCE_EMITTER, sequence: 1n, consistencyLevel: 1, payload }
    const upgrade = buildSignedVaa(body, 0, nodes.slice(0, 3).map((n) => ({ index: n.index, privateKey: n.key.secret })))
    const evm = new EvmChainAdapter({ deployment: dep, privateKey: anvilKey(0) })
    await evm.submitVaa(upgrade)
    await evm.close()
    const payer = await newPayer()
    await sol.fund(payer.signer.address)
    const solAdmin = new SolanaAdapter({ chainId: SOLANA, rpcUrl: sol.server.url, wsUrl: sol.server.wsUrl, programId: PROGRAM, payer: payer.signer })
    await solAdmin.submitVaa(upgrade)
    await solAdmin.close()
    // Submitted to one node process: it gossips the VAA on <network>/control and the other three apply it.
    const post = (p: (typeof procs)[number]) => fetch(`http://127.0.0.1:${p.node.opsPort}/governance`, { method: 'POST', body: JSON.stringify({ vaa: bytesToHex(upgrade) }) })
    expect((await post(procs[0]!)).status).toBe(200)
    const indices = () => Promise.all(procs.map(async (p) => (await p.status()).guardianIndex))
    await until('every node applied the gossiped upgrade', async () => JSON.stringify(await indices()) === JSON.stringify([3, 2, 1, 0]))
    expect(await indices()).toEqual([3, 2, 1, 0])
    expect((await post(procs[1]!)).status).toBe(400) // already applied through gossip
    const seq = await sol.lock(1_000_000n, A, account)
    const consumed = () => pub().readContract({ address: dep.contracts.engine, abi: marginEngineAbi, functionName: 'isConsumed', args: [SOLANA, PROGRAM_EMITTER, seq] }) as Promise<boolean>
    await until('EVM credit after the upgrade', consumed)
    const [credited] = parseEventLogs({ abi: marginEngineAbi, eventName: 'CollateralCredited', logs: await pub().getLogs({ address: dep.contracts.engine, fromBlock: 0n }) }).slice(-1)
    const tx = await pub().getTransaction({ hash: credited!.transactionHash })
    const vaa = decodeFunctionData({ abi: marginEngineAbi, data: tx.input }).args![0] as Hex
    expect(parseVaa(hexToBytes(vaa)).guardianSetIndex).toBe(1)
  }, 90_000)
})
