import { bytesToHex, concatBytes, type Hex } from '../format/bytes.js'
import { quorum, verifyVaaSignatures, type GuardianSet } from '../format/guardian-set.js'
import { encodePayload } from '../format/payloads.js'
import { addressOfPrivateKey, buildSignedVaa, keccak256, parseVaa, type GuardianKey, type VaaBody } from '../format/vaa.js'
import { vcase, type VectorCase, type VectorFile } from './harness.js'
import { SAMPLE_PAYLOADS } from './payloads.js'

/** Deterministic test guardian keys: keccak256("bulwark-test-guardian-<i>"). Never use outside tests. */
export function testGuardianKeys(n: number, label = 'bulwark-test-guardian'): GuardianKey[] {
  return Array.from({ length: n }, (_, i) => ({ index: i, privateKey: keccak256(new TextEncoder().encode(`${label}-${i}`)) }))
}

const NOW = 1_700_000_100

export function vaaVectors(): VectorFile {
  const keys19 = testGuardianKeys(19)
  const addrs = keys19.map((k) => addressOfPrivateKey(k.privateKey))
  const setOf = (n: number, index = 0, expirationTime = 0): GuardianSet => ({ index, keys: addrs.slice(0, n), expirationTime })
  const body: VaaBody = {
    timestamp: 1_700_000_000,
    nonce: 7,
    emitterChain: 10002,
    emitterAddress: `0x${'00'.repeat(12)}${'ab'.repeat(20)}`,
    sequence: 5n,
    consistencyLevel: 1,
    payload: encodePayload(SAMPLE_PAYLOADS['collateralLocked']!),
  }
  const cases: VectorCase[] = []
  const verify = (name: string, vaa: Uint8Array | Hex, set: GuardianSet, now = NOW) => {
    const hex = typeof vaa === 'string' ? vaa : bytesToHex(vaa)
    cases.push(
      vcase(name, 'verify', { vaa: hex, guardianSet: set, now }, () => {
        const v = parseVaa(hex)
        verifyVaaSignatures(v, set, now)
        const { timestamp, nonce, emitterChain, emitterAddress, sequence, consistencyLevel, payload, hash, digest, guardianSetIndex } = v
        return { guardianSetIndex, signatures: v.signatures.length, timestamp, nonce, emitterChain, emitterAddress, sequence, consistencyLevel, payload, hash, digest }
      }),
    )
  }
  const signed = (n: number, signers: GuardianKey[], setIndex = 0, b = body) => buildSignedVaa(b, setIndex, signers.slice(0, quorum(n)))
  verify('1-of-1 valid', signed(1, keys19), setOf(1))
  verify('5-of-7 valid', signed(7, keys19), setOf(7))
  verify('13-of-19 valid', signed(19, keys19), setOf(19))
  verify('all 19 of 19 valid', buildSignedVaa(body, 0, keys19), setOf(19))
  verify('5-of-7 with non-contiguous signers', buildSignedVaa(body, 0, [0, 2, 3, 5, 6].map((i) => keys19[i]!)), setOf(7))
  verify('4-of-7 below quorum', buildSignedVaa(body, 0, keys19.slice(0, 4)), setOf(7))
  verify('unknown guardian set index', signed(7, keys19, 3), setOf(7))
  verify('expired guardian set', signed(7, keys19), setOf(7, 0, NOW - 1))
  verify('guardian set still inside overlap', signed(7, keys19), setOf(7, 0, NOW + 1))
  const good7 = signed(7, keys19)
  const sigAt = (i: number) => 6 + i * 66
  const dup = good7.slice()
  dup[sigAt(1)] = 0
  verify('duplicate guardian index', dup, setOf(7))
  const swapped = concatBytes(good7.subarray(0, 6), good7.subarray(sigAt(1), sigAt(2)), good7.subarray(sigAt(0), sigAt(1)), good7.subarray(sigAt(2)))
  verify('signatures out of order', swapped, setOf(7))
  verify('guardian index out of range', buildSignedVaa(body, 0, [...keys19.slice(0, 4), { index: 7, privateKey: keys19[7]!.privateKey }]), setOf(7))
  verify('wrong key signs for index 2', buildSignedVaa(body, 0, [...keys19.slice(0, 2), { index: 2, privateKey: keys19[9]!.privateKey }, ...keys19.slice(3, 5)]), setOf(7))
  const tampered = good7.slice()
  tampered[tampered.length - 1] = tampered[tampered.length - 1]! ^ 1
  verify('payload tampered after signing', tampered, setOf(7))
  const badV = good7.slice()
  badV[sigAt(0) + 65] = 2
  verify('recovery id 2', badV, setOf(7))
  const zeroR = good7.slice()
  zeroR.fill(0, sigAt(0) + 1, sigAt(0) + 33)
  verify('zero r', zeroR, setOf(7))
  const v2 = good7.slice()
  v2[0] = 2
  verify('version 2', v2, setOf(7))
  verify('empty', '0x', setOf(7))
  verify('truncated header', bytesToHex(good7.subarray(0, 5)), setOf(7))
  verify('truncated signatures', bytesToHex(good7.subarray(0, sigAt(4) + 10)), setOf(7))
  verify('truncated body', bytesToHex(good7.subarray(0, sigAt(5) + 50)), setOf(7))
  verify('empty payload', buildSignedVaa({ ...body, payload: new Uint8Array() }, 0, keys19.slice(0, 5)), setOf(7))
  return {
    topic: 'vaa',
    version: 1,
    description: 'Wormhole VAA v1 parse + quorum verification (docs/protocol.md section 3). Check order: version, header/sig/body lengths, set index, expiry (now > expirationTime, 0 = current), quorum count, then per signature: ascending, index in range, recovers to that guardian.',
    guardianPrivateKeys: keys19.map((k) => bytesToHex(k.privateKey)),
    guardianAddresses: addrs,
    cases,
  }
}

