import { keccak256, recoverSigner, signDigest, vaaDigest as coreVaaDigest } from '@bulwark/core'
import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { Guardians } from '../src/crypto/guardians.js'
import { keccak256 as nativeKeccak, nativeSpongeLoaded, recoverAddress, sign, vaaDigest } from '../src/crypto/secp256k1.js'
import { testGuardianKey } from './support/cluster.js'

const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n

describe('native secp256k1', () => {
  it('signs byte-identically to core (noble) and recovers the same signer', () => {
    for (let i = 0; i < 20; i++) {
      const key = testGuardianKey(i)
      const digest = keccak256(Uint8Array.of(i))
      const mine = sign(digest, key.secret)
      expect(mine).toEqual(signDigest(digest, key.secret))
      expect(recoverAddress(digest, mine)).toBe(key.address)
      expect(recoverSigner(digest, { guardianIndex: 0, r: mine.subarray(0, 32), s: mine.subarray(32, 64), v: mine[64]! })).toBe(key.address)
    }
  })

  it('native keccak (the addon\'s sponge, reused) matches core (noble) on empty, short, block-sized and long inputs', () => {
    expect(nativeSpongeLoaded).toBe(true)
    for (const n of [0, 1, 135, 136, 137, 170, 1075, 100_000]) {
      const b = Uint8Array.from({ length: n }, (_, i) => (i * 31 + n) & 255)
      expect(nativeKeccak(b)).toEqual(keccak256(b))
      expect(vaaDigest(b)).toEqual(coreVaaDigest(b))
      expect(nativeKeccak(b.subarray(1))).toEqual(keccak256(b.subarray(1)))
    }
  })

  it('refuses high-s (malleable) signatures, v > 1 and wrong lengths', () => {
    const key = testGuardianKey(1)
    const digest = keccak256(Uint8Array.of(9))
    const sig = sign(digest, key.secret)
    let s = 0n
    for (let i = 32; i < 64; i++) s = (s << 8n) | BigInt(sig[i]!)
    const high = Uint8Array.from(sig)
    let hs = N - s
    for (let i = 63; i >= 32; i--) { high[i] = Number(hs & 0xffn); hs >>= 8n }
    high[64] = sig[64]! ^ 1
    expect(recoverAddress(digest, high)).toBeNull()
    expect(recoverAddress(digest, Uint8Array.from([...sig.subarray(0, 64), 27]))).toBeNull()
    expect(recoverAddress(digest, sig.subarray(0, 64))).toBeNull()
  })

  it('draws the low-s line exactly at n/2 (s = 0 and s = n/2 + 1 refused, s = n/2 accepted)', () => {
    const digest = keccak256(Uint8Array.of(7))
    const withS = (v: bigint) => {
      const out = Uint8Array.from(sign(digest, testGuardianKey(2).secret))
      for (let i = 63; i >= 32; i--) { out[i] = Number(v & 0xffn); v >>= 8n }
      return out
    }
    expect(recoverAddress(digest, withS(N / 2n))).not.toBeNull()
    expect(recoverAddress(digest, withS(N / 2n + 1n))).toBeNull()
    expect(recoverAddress(digest, withS(0n))).toBeNull()
  })

  it('Guardians.verify checks the signer against the claimed index', () => {
    const keys = [0, 1, 2, 3].map(testGuardianKey)
    const g = new Guardians(keys.map((k) => k.address))
    const digest = keccak256(Uint8Array.of(1))
    const sig = keys[2]!.sign(digest)
    expect(g.verify(digest, sig, 2)).toBe(true)
    expect(g.verify(digest, sig, 2)).toBe(true)
    expect(g.verify(digest, sig, 1)).toBe(false)
    expect(g.verify(digest, sig, 4)).toBe(false)
    expect(() => g.indexOf('0x000000000000000000000000000000000000dead')).toThrow(expect.objectContaining({ name: 'UnknownGuardian' }))
  })

  it('never exposes the secret through JSON or inspect', () => {
    const key = testGuardianKey(3)
    const secretHex = Buffer.from(key.secret).toString('hex')
    expect(JSON.stringify({ key })).not.toContain(secretHex)
    expect(inspect(key, { depth: 5, showHidden: true })).not.toContain(secretHex)
    expect(JSON.stringify({ key })).toContain(key.address)
  })
})
