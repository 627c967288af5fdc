/** What the status page shows; the JSON at /api/state. Amounts are decimal strings or numbers in USD. */
export type NodeView = { name: string; kind: 'relayer' | 'oracle'; pid?: number; url: string; healthy: boolean; peerId?: string; peers: string[]; detail: string }

export type MessageView = { id: string; kind: string; from: string; to: string; amount: string; status: 'observed' | 'in flight' | 'delivered' | 'failed'; at: number }

export type PriceView = { marketId: number; name: string; price: number; conf: number; ema: number; volMultiplier: number; publishTime: number; chain: string }

export type AccountView = { name: string; chain: string; account: string; health: number | null; equity: number; collateral: number; positions: string; atRisk: boolean }

export type ChainView = { name: string; chainId: number; kind: 'evm' | 'solana'; rpcUrl: string; height: number | null; note?: string }

export type ScenarioRow = { step: number; label: string; price: number; volMultiplier: number; health: string; liquidations: number; insuranceFund: number; badDebt: number; socialized: number; messages: number }

export type DevnetState = {
  phase: string
  ready: boolean
  startedAt: number
  profile: string
  chains: ChainView[]
  nodes: NodeView[]
  quorum: { guardians: number; needed: number; online: number; ok: boolean }
  messages: { inFlight: number; delivered: number; recent: MessageView[] }
  prices: PriceView[]
  chart: { market: string; points: { t: number; price: number; volMultiplier: number }[] }
  accounts: AccountView[]
  insuranceFund: { chain: string; value: number } | null
  scenario: { name: string; step: string; rows: ScenarioRow[]; result?: 'passed' | 'failed'; failures?: string[] } | null
  notAvailable: string[]
}

export function emptyState(profile: string): DevnetState {
  return {
    phase: 'starting',
    ready: false,
    startedAt: Date.now(),
    profile,
    chains: [],
    nodes: [],
    quorum: { guardians: 0, needed: 0, online: 0, ok: false },
    messages: { inFlight: 0, delivered: 0, recent: [] },
    prices: [],
    chart: { market: '', points: [] },
    accounts: [],
    insuranceFund: null,
    scenario: null,
    notAvailable: [],
  }
}
