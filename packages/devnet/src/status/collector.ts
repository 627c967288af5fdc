import { decodePayload } from '@bulwark/core'
import type { Hex } from '@bulwark/core'
import { pad } from 'viem'
import type { DeployedChain } from '../chains/deploy.js'
import type { DeployedSolana } from '../chains/solana.js'
import { jsonRpc } from '../util/wait.js'
import { SolanaAdapter } from '@bulwark/solana-adapter'
import { address } from '@solana/kit'
import { CRASH_MARKET, MARKETS } from '../markets.js'
import type { RunningOracle } from '../nodes/start-oracles.js'
import type { RunningRelayer } from '../nodes/start-relayers.js'
import type { AccountView, DevnetState, MessageView, NodeView } from '../page/state.js'
import type { Profile } from '../profile.js'
import { ChainReader, type ChainMessage } from './chain-reader.js'
import { promValue } from './prom.js'

export type TrackedMessage = ChainMessage & { key: string; delivered: boolean; at: number }

const getJson = async (url: string): Promise<unknown> => (await fetch(url, { signal: AbortSignal.timeout(1500) })).json()
const okStatus = async (url: string): Promise<boolean> => (await fetch(url, { signal: AbortSignal.timeout(1500) }).catch(() => null))?.ok ?? false

/** Polls nodes and chains once a second into the page's DevnetState; also the scenario's eyes. */
export class StatusCollector {
  readonly readers: ChainReader[]
  readonly position: ChainReader
  readonly messages = new Map<string, TrackedMessage>()
  readonly accounts = new Map<string, { name: string; account: Hex }>()
  #timer: NodeJS.Timeout | undefined
  #busy: Promise<void> | undefined
  #stopped = false

  /** Reads the Solana program's markets (prices the oracle nodes publish there). */
  #solana: SolanaAdapter | undefined
  #solScanned = 0n
  /** Withdrawal ids the Solana program released (its CollateralReleased messages). */
  readonly solanaReleased = new Set<bigint>()
  constructor(private readonly c: { state: DevnetState; chains: DeployedChain[]; relayers: RunningRelayer[]; oracles: RunningOracle[]; profile: Profile; solana?: DeployedSolana }) {
    this.readers = c.chains.map((ch) => new ChainReader(ch))
    this.position = this.readers.find((r) => r.chain.role === 'position')!
    c.state.chains = c.chains.map((ch) => ({ name: ch.name, chainId: ch.chainId, kind: 'evm', rpcUrl: ch.rpcUrl, height: null }))
    const sol = c.solana
    if (sol) this.#solana = new SolanaAdapter({ chainId: sol.chainId, rpcUrl: sol.rpcUrl, wsUrl: sol.wsUrl, programId: address(sol.programId), payer: sol.admin, name: 'solana' })
    if (sol) c.state.chains.push({ name: sol.name, chainId: sol.chainId, kind: 'solana', rpcUrl: sol.rpcUrl, height: null, note: `program ${sol.programId}, SPL token ${sol.mint}` })
    c.state.chart.market = CRASH_MARKET.name
  }

  reader(chainId: number): ChainReader {
    return this.readers.find((r) => r.chain.chainId === chainId)!
  }

  watchAccount(name: string, account: Hex): void {
    this.accounts.set(account.toLowerCase(), { name, account })
  }

  /** Markets priced on chains (every chain's PriceOracle), for the readiness check. */
  async pricesOnChain(): Promise<number> {
    let n = 0
    for (const r of this.readers) for (const m of MARKETS) if (await r.price(m.id)) n++
    if (this.#solana) for (const m of MARKETS) if (await this.#solana.readPrice(m.id).catch(() => null)) n++
    return n
  }

  start(): void {
    const tick = () => {
      if (this.#stopped) return
      this.#busy = this.refresh()
        .catch(() => {})
        .finally(() => (this.#timer = setTimeout(tick, 1000)))
    }
    tick()
  }

  stop(): void {
    void this.#solana?.close().catch(() => {})
    this.#stopped = true
    clearTimeout(this.#timer)
  }

  /** One refresh, serialized with the timer's (the scenario calls it to see the latest state). */
  async refresh(): Promise<void> {
    while (this.#busy) await this.#busy.catch(() => {}).then(() => (this.#busy = undefined))
    const run = this.#refresh()
    this.#busy = run
    try {
      await run
    } finally {
      if (this.#busy === run) this.#busy = undefined
    }
  }

  async #refresh(): Promise<void> {
    const s = this.c.state
    await Promise.all([this.#nodes(), this.#messages(), this.#prices(), this.#accounts()])
    for (const [i, r] of this.readers.entries()) s.chains[i]!.height = await r.height().catch(() => null)
    const sol = this.c.solana
    if (sol) s.chains.at(-1)!.height = await jsonRpc<number>(sol.rpcUrl, 'getSlot', [], 1000).catch(() => null)
    s.insuranceFund = { chain: this.position.chain.name, value: await this.position.insuranceFund() }
  }

  async #nodes(): Promise<void> {
    const nodes: NodeView[] = []
    for (const r of this.c.relayers) {
      const healthy = await okStatus(`${r.opsUrl}/healthz`)
      const st = (healthy ? await getJson(`${r.opsUrl}/status`).catch(() => null) : null) as { peerId?: string; peers?: string[]; pendingObservations?: number; activeDeliveries?: number } | null
      const metrics = healthy ? await (await fetch(`${r.opsUrl}/metrics`, { signal: AbortSignal.timeout(1500) })).text().catch(() => '') : ''
      const signed = promValue(metrics, 'bulwark_relayer_observations_signed_total')
      const vaas = promValue(metrics, 'bulwark_relayer_vaas_assembled_total')
      nodes.push({ name: r.name, kind: 'relayer', pid: r.pid, url: r.opsUrl, healthy, peerId: r.id.peerId, peers: st?.peers ?? [], detail: `guardian #${r.index} · signed ${signed} · VAAs ${vaas} · pending ${st?.pendingObservations ?? '–'} · deliveries ${st?.activeDeliveries ?? '–'}` })
    }
    for (const o of this.c.oracles) {
      const healthy = await okStatus(`${o.opsUrl}/healthz`)
      const st = (await getJson(`${o.opsUrl}/status`).catch(() => null)) as { keeper?: { accountsTracked: number; submitted: number } } | null
      const peers = this.c.oracles.filter((x) => x !== o).map((x) => `oracle-${x.index}`)
      nodes.push({ name: o.name, kind: 'oracle', pid: o.pid, url: o.opsUrl, healthy, peers, detail: `signer #${o.index} · keeper tracks ${st?.keeper?.accountsTracked ?? 0}, liquidated ${st?.keeper?.submitted ?? 0}` })
    }
    const s = this.c.state
    s.nodes = nodes
    const n = this.c.relayers.length
    const online = nodes.filter((x) => x.kind === 'relayer' && x.healthy).length
    s.quorum = { guardians: n, needed: Math.floor((2 * n) / 3) + 1, online, ok: online >= Math.floor((2 * n) / 3) + 1 }
  }

  /** Messages the Solana program emitted since the last scan: locks to track, releases that complete withdrawals. */
  async #solanaMessages(): Promise<void> {
    const sol = this.#solana
    if (!sol) return
    const head = await sol.getHeight('instant')
    if (head <= this.#solScanned) return
    const msgs = await sol.getMessages(this.#solScanned + 1n, head)
    this.#solScanned = head
    const chain = { name: 'solana', chainId: sol.chainId } as DeployedChain
    for (const m of msgs) {
      const payload = decodePayload(m.payload)
      if (payload.type === 'CollateralReleased') this.solanaReleased.add(payload.withdrawalId)
      if (payload.type !== 'CollateralLocked') continue
      const key = `${sol.chainId}/${m.emitterAddress}/${m.sequence}`
      if (!this.messages.has(key)) this.messages.set(key, { chain, emitter: m.emitterAddress, sequence: m.sequence, payload, block: m.height, key, delivered: false, at: Date.now() })
    }
  }

  async #messages(): Promise<void> {
    await this.#solanaMessages().catch(() => {})
    for (const r of this.readers) {
      for (const m of await r.newMessages()) {
        if (m.payload.type !== 'CollateralLocked' && m.payload.type !== 'WithdrawalApproved') continue
        const key = `${m.chain.chainId}/${m.emitter}/${m.sequence}`
        this.messages.set(key, { ...m, key, delivered: false, at: Date.now() })
      }
    }
    for (const m of this.messages.values()) {
      if (m.delivered) continue
      const p = m.payload
      if (p.type === 'CollateralLocked') m.delivered = await this.reader(p.destinationChain)?.isCredited(m.chain.chainId, pad(m.emitter, { size: 32 }), m.sequence) ?? false
      else if (p.type === 'WithdrawalApproved' && p.originChain === this.c.solana?.chainId) m.delivered = this.solanaReleased.has(p.withdrawalId)
      else if (p.type === 'WithdrawalApproved') m.delivered = (await this.reader(p.originChain)?.isReleased(p.withdrawalId)) ?? false
    }
    const all = [...this.messages.values()]
    const view = (m: TrackedMessage): MessageView => {
      const p = m.payload
      const to = p.type === 'CollateralLocked' ? p.destinationChain : p.type === 'WithdrawalApproved' ? p.originChain : 0
      const spl = m.chain.name === 'solana' || to === this.c.solana?.chainId
      const amount = p.type === 'CollateralLocked' || p.type === 'WithdrawalApproved' ? (Number(p.amount) / (spl ? 1e9 : 1e6)).toLocaleString('en-US') + (spl ? ' SPL' : ' USDC') : ''
      const toName = to === this.c.solana?.chainId ? 'solana' : (this.reader(to)?.chain.name ?? String(to))
      return { id: m.key, kind: `${p.type} #${m.sequence}`, from: m.chain.name, to: toName, amount, status: m.delivered ? 'delivered' : 'in flight', at: m.at }
    }
    this.c.state.messages = { inFlight: all.filter((m) => !m.delivered).length, delivered: all.filter((m) => m.delivered).length, recent: all.slice(-8).reverse().map(view) }
  }

  async #prices(): Promise<void> {
    const s = this.c.state
    const out = []
    for (const m of MARKETS) {
      const p = await this.position.price(m.id)
      if (p) out.push({ marketId: m.id, name: m.name, price: p.price, conf: p.conf, ema: p.ema, volMultiplier: p.volMultiplier, publishTime: p.publishTime, chain: this.position.chain.name })
    }
    if (this.#solana) {
      for (const m of MARKETS) {
        const p = await this.#solana.readPrice(m.id).catch(() => null)
        const n = (v: bigint) => Number(v) / 1e18
        if (p) out.push({ marketId: m.id, name: m.name, price: n(p.price), conf: n(p.conf), ema: n(p.emaPrice), volMultiplier: n(p.volMultiplier), publishTime: Number(p.publishTime), chain: 'solana' })
      }
    }
    s.prices = out
    const c = out.find((x) => x.marketId === CRASH_MARKET.id)
    if (c) {
      const pts = s.chart.points
      const t = Date.now() / 1000
      pts.push({ t, price: c.price, volMultiplier: c.volMultiplier })
      if (pts.length > 600) pts.shift()
    }
  }

  async #accounts(): Promise<void> {
    const out: AccountView[] = []
    for (const a of this.accounts.values()) {
      const h = await this.position.health(a.account)
      out.push({ name: a.name, chain: this.position.chain.name, account: a.account, health: h.health, equity: h.equity, collateral: h.collateralValue, positions: h.mmReq > 0 ? `MM req. $${h.mmReq.toFixed(2)}` : '', atRisk: h.health !== null && h.health < 1.2 })
    }
    this.c.state.accounts = out
  }
}

