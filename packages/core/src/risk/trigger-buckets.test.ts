import { describe, expect, it } from 'vitest'
import { rng } from '../vectors/harness.js'
import { TriggerBuckets } from './trigger-buckets.js'

describe('trigger buckets', () => {
  it('a level takes every entry keyed at or below it, and none more than 1/65536 of a bucket above', () => {
    const width = 0.0005
    const q = new TriggerBuckets(2, width)
    const next = rng(5n)
    const keys = new Map<number, number>()
    let level = 0
    let id = 0
    for (let round = 0; round < 200; round++) {
      for (let k = 0; k < 50; k++) {
        const key = level + (Number(next() % 1_000_000n) / 1_000_000) * 40 * width
        keys.set(id, key)
        q.push(1, key, id++, 0)
      }
      level += (Number(next() % 1000n) / 1000) * 3 * width
      const taken: number[] = []
      q.popTo(1, level, (i) => taken.push(i))
      for (const i of taken) {
        expect(keys.get(i)!).toBeLessThanOrEqual(level + width / 65536)
        keys.delete(i)
      }
      for (const key of keys.values()) expect(key).toBeGreaterThan(level)
    }
    expect(q.size).toBe(keys.size)
  })

  it('a level that goes down and back up takes each entry once, when the level first reaches its key', () => {
    // the index keys triggers by price level: keys are pushed at or above the current level,
    // which then wanders both ways
    const width = 0.0005
    const q = new TriggerBuckets(1, width)
    const next = rng(8n)
    const keys = new Map<number, number>()
    let level = 8
    q.start(0, level)
    let id = 0
    let taken = 0
    for (let round = 0; round < 400; round++) {
      for (let k = 0; k < 20; k++) {
        const key = level + (Number(next() % 1_000_000n) / 1_000_000) * 12 * width * (k % 4 === 0 ? 0 : 1)
        keys.set(id, key)
        q.push(0, key, id++, 0)
      }
      level += ((Number(next() % 2001n) - 1000) / 1000) * 6 * width
      q.popTo(0, level, (i) => {
        expect(keys.get(i)!).toBeLessThanOrEqual(level + width / 65536)
        keys.delete(i)
        taken++
      })
      for (const key of keys.values()) expect(key).toBeGreaterThan(level)
    }
    expect(taken).toBeGreaterThan(2000)
    expect(q.size).toBe(keys.size)
  })

  it('compaction drops stale versions only and reuses the freed chunks', () => {
    const q = new TriggerBuckets(1, 0.0005)
    const live = new Uint8Array(10_000)
    for (let i = 0; i < 10_000; i++) q.push(0, (i % 100) * 0.0001, i, 0)
    for (let i = 0; i < 10_000; i += 2) live[i] = 1
    const slabs = q.footprint().slabBytes
    expect(q.compactSome(live, Infinity)).toBe(5_000)
    for (let i = 0; i < 10_000; i += 2) q.push(0, (i % 100) * 0.0001, i, 1)
    expect(q.footprint().slabBytes).toBe(slabs)
    const taken: number[] = []
    q.popTo(0, 1, (i, ver) => taken.push(i * 2 + ver))
    // odd ids kept their version-0 entry, even ids were dropped and pushed again at version 1
    expect(taken.sort((a, b) => a - b)).toEqual(Array.from({ length: 10_000 }, (_, i) => 2 * i + (i % 2 === 0 ? 1 : 0)))
  })
})
