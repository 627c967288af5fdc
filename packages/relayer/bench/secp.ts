import { secp256k1 } from '@noble/curves/secp256k1.js'
import { keccak256 } from '@bulwark/core'
import { recoverPublicKey, sign } from '../src/crypto/secp256k1.js'

/** Ops/s of sign and recover for the native binding and @noble/curves (median of `samples` runs of `ms`). */
export function measureSecp(ms = 300, samples = 5): Record<string, { sign: number; recover: number }> {
  const key = keccak256(Uint8Array.of(1))
  const digests = Array.from({ length: 256 }, (_, i) => keccak256(Uint8Array.of(i, 7)))
  const rate = (f: (i: number) => void): number => {
    const runs: number[] = []
    for (let s = 0; s < samples; s++) {
      let n = 0
      const end = performance.now() + ms
      while (performance.now() < end) for (let k = 0; k < 32; k++) f(n++)
      runs.push((n * 1000) / ms)
    }
    return Math.round(runs.sort((a, b) => a - b)[Math.floor(samples / 2)]!)
  }
  const nativeSigs = digests.map((d) => sign(d, key))
  const nobleSigs = digests.map((d) => secp256k1.sign(d, key, { prehash: false, format: 'recovered' }))
  return {
    native: {
      sign: rate((i) => sign(digests[i & 255]!, key)),
      recover: rate((i) => recoverPublicKey(digests[i & 255]!, nativeSigs[i & 255]!)),
    },
    noble: {
      sign: rate((i) => secp256k1.sign(digests[i & 255]!, key, { prehash: false, format: 'recovered' })),
      recover: rate((i) => secp256k1.recoverPublicKey(nobleSigs[i & 255]!, digests[i & 255]!, { prehash: false })),
    },
  }
}
