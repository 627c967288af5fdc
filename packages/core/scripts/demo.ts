/**
 * Core demo (the README's first command until the devnet exists): a cross-chain collateral story
 * computed by the reference implementation alone. Collateral locked on two chains is attested by a
 * 13-of-19 guardian quorum, credited to one cross-margin account, and a falling price walks the
 * account through margin calls, liquidation and the insurance fund.
 */
import { WAD } from '../src/math/constants.js'
import { toBytes32 } from '../src/format/bytes.js'
import { GuardianSetRegistry, quorum } from '../src/format/guardian-set.js'
import { decodePayload, encodePayload } from '../src/format/payloads.js'
import { addressOfPrivateKey, buildSignedVaa, parseVaa } from '../src/format/vaa.js'
import { evaluateAccount } from '../src/risk/margin.js'
import { credit, trade } from '../src/risk/operations.js'
import { liquidate } from '../src/risk/liquidation.js'
import { EwmaVolatility } from '../src/risk/volatility.js'
import { BreakerStatus, DEFAULT_BREAKER, breakerOnPrice, initialBreakerState } from '../src/breaker/circuit-breaker.js'
import { testGuardianKeys } from '../src/vectors/vaa.js'
import type { Account, RiskContext } from '../src/risk/types.js'

const usd = (x: bigint) => `${x < 0n ? '-' : ''}$${(Number(x < 0n ? -x : x) / 1e18).toLocaleString('en-US', { maximumFractionDigits: 2, minimumFractionDigits: 2 })}`
const ratio = (x: bigint) => (x > 10n ** 30n ? '  max' : (Number(x) / 1e18).toFixed(3))
const line = (...cols: string[]) => console.log(cols.map((c, i) => (i === 0 ? c.padEnd(6) : i === cols.length - 1 ? `  ${c}` : c.padStart(13))).join(''))

console.log('Bulwark core demo: lock on two chains, attest by quorum, margin on a third\n')
const keys = testGuardianKeys(19)
const guardians = new GuardianSetRegistry(keys.map((k) => addressOfPrivateKey(k.privateKey)))
const trader = toBytes32('0x7a11e2')
const ctx: RiskContext = {
  assets: {
    'USDC@10002': { decimals: 6, price: WAD, weight: WAD, pendingWeight: WAD / 2n },
    'SOL@1': { decimals: 9, price: 150n * WAD, weight: (WAD * 7n) / 10n },
  },
  markets: { 'ETH-PERP': { markPrice: 3000n * WAD, imf: WAD / 10n, mmf: WAD / 20n, volMultiplier: WAD } },
}
let account: Account = { collateral: [], positions: [], settlement: 0n }
const locks = [
  { chain: 10002, asset: 'USDC@10002', token: '0xa0b8', amount: 2_500n * 10n ** 6n, label: '2,500 USDC on EVM chain A' },
  { chain: 1, asset: 'SOL@1', token: '0x50', amount: 10n * 10n ** 9n, label: '10 SOL on Solana' },
]
for (const [seq, l] of locks.entries()) {
  const payload = encodePayload({ type: 'CollateralLocked', destinationChain: 10003, account: trader, asset: toBytes32(l.token), amount: l.amount, depositor: trader })
  const vaa = buildSignedVaa({ timestamp: 1_700_000_000, nonce: 0, emitterChain: l.chain, emitterAddress: toBytes32('0x0fa017'), sequence: BigInt(seq), consistencyLevel: 1, payload }, 0, keys.slice(0, quorum(19)))
  const parsed = parseVaa(vaa)
  guardians.verify(parsed, 1_700_000_000)
  const p = decodePayload(parsed.payload)
  if (p.type !== 'CollateralLocked') throw new Error('unexpected payload')
  account = credit(account, l.asset, p.amount, ctx)
  console.log(`locked ${l.label}: VAA ${vaa.length} bytes, ${parsed.signatures.length}/19 signatures verified, hash ${parsed.hash.slice(0, 18)}... credited`)
}
account = trade(account, 'ETH-PERP', 4n * WAD, ctx, WAD / 2000n).account
console.log('opened 4 ETH-PERP long at $3,000 (fee 5 bps)\n')

const vol = new EwmaVolatility({ halfLife: 5, sigmaRef: 5n * 10n ** 15n, minMultiplier: WAD, maxMultiplier: 3n * WAD })
let breaker = breakerOnPrice(initialBreakerState(), 1_700_000_000, 3000n * WAD, { ...DEFAULT_BREAKER, window: 60 })
vol.update(3000n * WAD)
let fund = 500n * WAD
line('step', 'ETH', 'vol x', 'equity', 'maint. req', 'health', 'insurance', 'event')
const path = [3000, 2950, 2900, 2850, 2800, 2700, 2600, 2450, 2300, 2200]
for (const [i, p] of path.entries()) {
  const price = BigInt(p) * WAD
  if (i > 0) {
    vol.update(price)
    breaker = breakerOnPrice(breaker, 1_700_000_000 + i * 120, price, { ...DEFAULT_BREAKER, window: 60 })
  }
  const c: RiskContext = { ...ctx, markets: { 'ETH-PERP': { ...ctx.markets['ETH-PERP']!, markPrice: price, volMultiplier: vol.multiplier } } }
  const h = evaluateAccount(account, c)
  let event = ''
  if (breaker.status !== BreakerStatus.Normal) event = 'market halted'
  else if (h.mmReq > 0n && h.health < WAD) {
    const r = liquidate(account, c, fund)
    account = r.account
    fund = r.insuranceFundAfter
    event = `liquidated ${(Number(r.fraction) / 1e16).toFixed(0)}%, reward ${usd(r.liquidatorReward)}${r.badDebt > 0n ? `, bad debt ${usd(r.badDebt)}` : ''}`
  }
  line(`${i}`, usd(price), (Number(vol.multiplier) / 1e18).toFixed(2), usd(h.equity), usd(h.mmReq), ratio(h.health), usd(fund), event)
}
const final = evaluateAccount(account, { ...ctx, markets: { 'ETH-PERP': { ...ctx.markets['ETH-PERP']!, markPrice: 2200n * WAD } } })
console.log(`\nfinal: positions ${account.positions.length}, equity ${usd(final.equity)}, insurance fund ${usd(fund)}`)
