// Bulwark devnet status page: polls /api/state once a second and renders it with plain DOM calls.
'use strict'

const $ = (id) => document.getElementById(id)
const usd = (v) => (v === null || v === undefined ? '–' : '$' + Number(v).toLocaleString('en-US', { maximumFractionDigits: Math.abs(v) < 10 ? 4 : 2 }))
const num = (v, d = 3) => (v === null || v === undefined ? '–' : Number(v).toFixed(d))
const short = (s) => (s && s.length > 16 ? s.slice(0, 8) + '…' + s.slice(-4) : s || '')

function cell(text, cls) {
  const td = document.createElement('td')
  td.textContent = text
  if (cls) td.className = cls
  return td
}

function rows(tableId, items, render) {
  const body = $(tableId).querySelector('tbody')
  body.replaceChildren(
    ...items.map((it) => {
      const tr = document.createElement('tr')
      const r = render(it)
      if (r.cls) tr.className = r.cls
      tr.append(...r.cells)
      return tr
    }),
  )
}

function healthText(h) {
  if (h === null || h === undefined) return 'no positions'
  return h.toFixed(3)
}

function renderChart(chart) {
  const svg = $('chart')
  const W = 800, H = 240, L = 60, R = 50, T = 12, B = 24
  const pts = chart.points
  $('chart-title').textContent = (chart.market || 'Market') + ': price and volatility multiplier'
  const ns = 'http://www.w3.org/2000/svg'
  const el = (name, attrs, text) => {
    const e = document.createElementNS(ns, name)
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v))
    if (text !== undefined) e.textContent = text
    return e
  }
  const kids = [el('rect', { x: L, y: T, width: W - L - R, height: H - T - B, fill: '#fafbfc', stroke: '#e3e6eb' })]
  if (pts.length >= 1) {
    const t0 = pts[0].t, t1 = Math.max(pts[pts.length - 1].t, t0 + 1)
    const ps = pts.map((p) => p.price), ms = pts.map((p) => p.volMultiplier)
    let pmin = Math.min(...ps), pmax = Math.max(...ps)
    if (pmax - pmin < pmax * 0.02) { pmin *= 0.99; pmax *= 1.01 }
    const mmin = 1, mmax = Math.max(1.5, ...ms) * 1.05
    const x = (t) => L + ((t - t0) / (t1 - t0)) * (W - L - R)
    const yp = (p) => T + (1 - (p - pmin) / (pmax - pmin)) * (H - T - B)
    const ym = (m) => T + (1 - (m - mmin) / (mmax - mmin)) * (H - T - B)
    const line = (f) => pts.map((p, i) => (i ? 'L' : 'M') + x(p.t).toFixed(1) + ',' + f(p).toFixed(1)).join(' ')
    kids.push(el('path', { d: line((p) => yp(p.price)), fill: 'none', stroke: '#1f6fd1', 'stroke-width': 2, class: 'price-line' }))
    kids.push(el('path', { d: line((p) => ym(p.volMultiplier)), fill: 'none', stroke: '#d1741f', 'stroke-width': 2, 'stroke-dasharray': '5 3', class: 'mult-line' }))
    for (let i = 0; i <= 4; i++) {
      const p = pmin + ((pmax - pmin) * i) / 4, m = mmin + ((mmax - mmin) * i) / 4
      kids.push(el('text', { x: L - 6, y: yp(p) + 4, 'text-anchor': 'end' }, '$' + p.toFixed(0)))
      kids.push(el('text', { x: W - R + 6, y: ym(m) + 4 }, m.toFixed(2) + '×'))
    }
    kids.push(el('text', { x: L, y: H - 6 }, new Date(t0 * 1000).toLocaleTimeString()))
    kids.push(el('text', { x: W - R, y: H - 6, 'text-anchor': 'end' }, new Date(t1 * 1000).toLocaleTimeString()))
  } else {
    kids.push(el('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle' }, 'waiting for prices…'))
  }
  svg.replaceChildren(...kids)
}

function render(s) {
  $('phase').textContent = s.ready ? 'ready · ' + s.phase : s.phase
  $('phase').className = 'badge' + (s.ready ? ' ready' : '')
  $('profile').textContent = 'profile: ' + s.profile
  $('updated').textContent = 'updated ' + new Date().toLocaleTimeString()
  const q = s.quorum
  $('quorum').textContent = q.online + ' of ' + q.guardians + ' guardians online · ' + q.needed + ' needed'
  $('quorum').className = 'big ' + (q.ok ? 'ok' : 'bad')
  $('in-flight').textContent = s.messages.inFlight
  $('delivered').textContent = s.messages.delivered
  rows('messages', s.messages.recent, (m) => ({ cells: [cell(m.kind), cell(m.from + ' → ' + m.to), cell(m.amount), cell(m.status, m.status === 'failed' ? 'bad' : m.status === 'delivered' ? 'ok' : '')] }))
  $('insurance').textContent = s.insuranceFund ? usd(s.insuranceFund.value) + ' on ' + s.insuranceFund.chain : '–'
  rows('nodes', s.nodes, (n) => ({
    cells: [cell(n.name + (n.peerId ? ' (' + short(n.peerId) + ')' : '')), cell(n.healthy ? 'healthy' : 'down', n.healthy ? 'ok' : 'bad'), cell(n.peers.length + (n.peers.length ? ': ' + n.peers.map(short).join(', ') : '')), cell(n.detail)],
  }))
  rows('prices', s.prices, (p) => ({ cells: [cell(p.name), cell(usd(p.price)), cell('± ' + usd(p.conf)), cell(usd(p.ema)), cell(num(p.volMultiplier) + '×'), cell(p.chain)] }))
  renderChart(s.chart)
  rows('accounts', s.accounts, (a) => ({
    cls: a.atRisk ? 'risk' : '',
    cells: [cell(a.name + ' ' + short(a.account)), cell(a.chain), cell(usd(a.collateral)), cell(usd(a.equity)), cell(a.positions || 'none'), cell(healthText(a.health) + (a.atRisk ? ' at risk' : ''), a.atRisk ? 'bad' : 'ok')],
  }))
  const sc = s.scenario
  $('scenario-name').textContent = sc ? sc.name : ''
  $('scenario-step').textContent = sc ? sc.step + (sc.result ? ' · ' + sc.result.toUpperCase() : '') : 'no scenario running'
  rows('scenario', sc ? sc.rows : [], (r) => ({ cells: [cell(r.step), cell(r.label), cell(usd(r.price)), cell(num(r.volMultiplier) + '×'), cell(r.health), cell(r.liquidations), cell(usd(r.insuranceFund)), cell(usd(r.badDebt)), cell(usd(r.socialized)), cell(r.messages)] }))
  rows('chains', s.chains, (c) => ({ cells: [cell(c.name + ' (' + c.kind + ')'), cell(c.chainId), cell(c.rpcUrl), cell(c.height === null ? '–' : c.height), cell(c.note || '')] }))
  $('not-available').replaceChildren(...s.notAvailable.map((t) => Object.assign(document.createElement('li'), { textContent: 'not available yet: ' + t })))
}

async function poll() {
  try {
    const res = await fetch('/api/state', { cache: 'no-store' })
    render(await res.json())
  } catch (e) {
    $('phase').textContent = 'devnet not reachable'
    $('phase').className = 'badge'
  } finally {
    setTimeout(poll, 1000)
  }
}
poll()
