import type { Devnet } from './devnet.js'

/** The "where is everything" block printed once the devnet is ready. */
export function summary(d: Devnet): string {
  const lines: string[] = ['', 'Bulwark devnet is ready', '']
  lines.push(`  status page     ${d.pageUrl}`)
  lines.push(`  price venues    ${d.venues.url}  (Coinbase, Kraken, Binance, OKX formats)`)
  lines.push(`  run folder      ${d.dataDir}  (keys, configs, logs/)`)
  lines.push('', '  chains')
  for (const c of d.chains) {
    lines.push(`    ${c.name.padEnd(8)} id ${c.chainId}  evm ${c.evmChainId}  ${c.rpcUrl}  (${c.role === 'position' ? 'position chain: engine + oracle' : 'collateral origin: vault'})`)
    const k = c.deployment.contracts
    lines.push(`             engine ${k.engine}  oracle ${k.oracle}  vault ${k.vault}  USDC ${c.usdc}`)
  }
  const s = d.solana
  if (s) {
    lines.push(`    solana   id ${s.chainId}  ${s.rpcUrl}  ws ${s.wsUrl}  (collateral origin: bulwark-solana-rpc over litesvm)`)
    lines.push(`             program ${s.programId}  demo SPL token ${s.mint} (${s.mintDecimals} decimals, priced as SOL)`)
  }
  for (const n of d.state.notAvailable) lines.push(`    not available yet: ${n}`)
  const q = Math.floor((2 * d.relayers.length) / 3) + 1
  lines.push('', `  relayers (quorum ${q} of ${d.relayers.length})`)
  for (const r of d.relayers) lines.push(`    ${r.name.padEnd(10)} pid ${String(r.pid).padEnd(7)} p2p 127.0.0.1:${r.p2pPort}  ops ${r.opsUrl}  guardian ${r.id.address}  ${r.id.peerId}`)
  lines.push('', '  oracle nodes')
  for (const o of d.oracles) lines.push(`    ${o.name.padEnd(10)} pid ${String(o.pid).padEnd(7)} peer http://127.0.0.1:${o.peerPort}  ops ${o.opsUrl}  signer ${o.signer.address}`)
  lines.push('', '  Ctrl-C stops everything.', '')
  return lines.join('\n')
}
