import { bytesToHex, concatBytes, hexToBytes, uintToBytes, type Hex } from '../format/bytes.js'
import { decodePayload, encodePayload, type Payload } from '../format/payloads.js'
import { WAD } from '../math/constants.js'
import { vcase, type VectorCase, type VectorFile } from './harness.js'

const b32 = (n: number): Hex => bytesToHex(uintToBytes(BigInt(n) * 0x0101010101n + 0xaan, 32))
const addr = (n: number): Hex => bytesToHex(uintToBytes(BigInt(n) * 0x1111111111111111n + 1n, 20))

export const SAMPLE_PAYLOADS: Record<string, Payload> = {
  collateralLocked: { type: 'CollateralLocked', destinationChain: 10003, account: b32(1), asset: b32(2), amount: 1_000_000_000n, depositor: b32(3) },
  collateralLockedMax: { type: 'CollateralLocked', destinationChain: 65535, account: b32(4), asset: b32(5), amount: (1n << 128n) - 1n, depositor: b32(6) },
  withdrawalApproved: { type: 'WithdrawalApproved', originChain: 10002, account: b32(1), asset: b32(2), amount: 250_000_000n, recipient: b32(7), withdrawalId: 42n },
  collateralReleased: { type: 'CollateralReleased', positionChain: 10003, withdrawalId: 42n, asset: b32(2), amount: 250_000_000n, recipient: b32(7) },
  priceReportOne: { type: 'PriceReport', publishTime: 1_700_000_000n, prices: [{ marketId: 1, price: 3000n * WAD, conf: 2n * WAD, emaPrice: 2990n * WAD, volMultiplier: WAD }] },
  priceReportThree: {
    type: 'PriceReport',
    publishTime: 1_700_000_060n,
    prices: [
      { marketId: 1, price: 3000n * WAD, conf: WAD, emaPrice: 3001n * WAD, volMultiplier: (3n * WAD) / 2n },
      { marketId: 2, price: 65000n * WAD, conf: 20n * WAD, emaPrice: 64000n * WAD, volMultiplier: 2n * WAD },
      { marketId: 7, price: 1n, conf: 0n, emaPrice: 1n, volMultiplier: 3n * WAD },
    ],
  },
  guardianSetUpgrade: { type: 'GuardianSetUpgrade', targetChain: 0, newIndex: 1, keys: [addr(1), addr(2), addr(3)] },
}

function mutate(p: Payload, f: (b: Uint8Array) => Uint8Array): Hex {
  return bytesToHex(f(encodePayload(p)))
}
const setByte = (i: number, v: number) => (b: Uint8Array) => {
  const c = b.slice()
  c[i] = v
  return c
}

export function payloadVectors(): VectorFile {
  const cases: VectorCase[] = []
  const decode = (name: string, hex: Hex) => cases.push(vcase(name, 'decode', { hex }, () => decodePayload(hex)))
  for (const [name, p] of Object.entries(SAMPLE_PAYLOADS)) {
    const hex = bytesToHex(encodePayload(p))
    decode(`valid ${name}`, hex)
    decode(`${name} truncated by one byte`, hex.slice(0, -2) as Hex)
    decode(`${name} with a trailing byte`, `${hex}00`)
    decode(`${name} with version 2`, mutate(p, setByte(1, 2)))
  }
  const locked = SAMPLE_PAYLOADS['collateralLocked']!
  decode('empty payload', '0x')
  decode('type byte only', '0x01')
  decode('unknown type 0', '0x0001')
  decode('unknown type 6', '0x0601')
  decode('unknown type 255 even when short', '0xff')
  decode('oversize payload', bytesToHex(concatBytes(encodePayload(locked), new Uint8Array(1024))))
  decode('collateral locked with zero amount', mutate(locked, (b) => concatBytes(b.subarray(0, 68), new Uint8Array(16), b.subarray(84))))
  decode('collateral locked to chain 0', mutate(locked, (b) => concatBytes(b.subarray(0, 2), new Uint8Array(2), b.subarray(4))))
  const report = SAMPLE_PAYLOADS['priceReportThree']!
  decode('price report with count 0', bytesToHex(concatBytes(encodePayload(report).subarray(0, 10), Uint8Array.of(0))))
  decode('price report with count 16 (truncated items too)', mutate(report, setByte(10, 16)))
  decode('price report count 2 with 3 entries', mutate(report, setByte(10, 2)))
  decode('price report markets not ascending', mutate(report, setByte(11 + 68 + 3, 1)))
  decode('price report zero price', mutate(report, (b) => concatBytes(b.subarray(0, 15), new Uint8Array(16), b.subarray(31))))
  decode('price report multiplier below 1e18', mutate(report, (b) => concatBytes(b.subarray(0, 63), uintToBytes(WAD - 1n, 16), b.subarray(79))))
  const upgrade = SAMPLE_PAYLOADS['guardianSetUpgrade']!
  decode('guardian upgrade with duplicate key', mutate(upgrade, (b) => concatBytes(b.subarray(0, 29), b.subarray(9, 29), b.subarray(49))))
  decode('guardian upgrade with zero key', mutate(upgrade, (b) => concatBytes(b.subarray(0, 9), new Uint8Array(20), b.subarray(29))))
  decode('guardian upgrade with 20 keys', bytesToHex(concatBytes(hexToBytes('0x0501000000000002'), Uint8Array.of(20), new Uint8Array(400))))
  for (const [name, p] of Object.entries(SAMPLE_PAYLOADS)) {
    cases.push(vcase(`encode ${name}`, 'encode', p, () => ({ hex: bytesToHex(encodePayload(p)) })))
  }
  cases.push(vcase('encode zero amount', 'encode', { ...locked, amount: 0n }, () => encodePayload({ ...locked, amount: 0n } as Payload)))
  cases.push(vcase('encode amount beyond u128', 'encode', { ...locked, amount: 1n << 128n }, () => encodePayload({ ...locked, amount: 1n << 128n } as Payload)))
  return {
    topic: 'payloads',
    version: 1,
    description: 'Bulwark payload encodings and malformed inputs (docs/protocol.md section 4); check order: size, type, version, fixed length, count range, trailing, value rules, canonical order',
    cases,
  }
}
