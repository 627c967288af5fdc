import { WAD, type PriceEntry } from '@bulwark/core'
import { describe, expect, it } from 'vitest'
import { dueEntries, type Published } from './trigger.js'

const e = (marketId: number, price: bigint, volMultiplier = WAD): PriceEntry => ({ marketId, price, conf: 0n, emaPrice: price, volMultiplier })
const last = new Map<number, Published>([
  [1, { price: 1000n * WAD, volMultiplier: WAD, publishTime: 1000 }],
  [2, { price: 1000n * WAD, volMultiplier: WAD, publishTime: 1000 }],
  [3, { price: 1000n * WAD, volMultiplier: WAD, publishTime: 1000 }],
])

describe('publish trigger (deviation or heartbeat)', () => {
  it('skips markets inside the threshold and publishes the ones beyond it', () => {
    const due = dueEntries([e(1, 1004n * WAD), e(2, 1006n * WAD), e(3, 994n * WAD)], last, 1010)
    expect(due.map((x) => x.marketId)).toEqual([2, 3])
  })
  it('exactly at the threshold is not a deviation', () => {
    expect(dueEntries([e(1, 1005n * WAD)], last, 1010)).toEqual([])
  })
  it('publishes everything when the heartbeat expires, and never-published markets at once', () => {
    expect(dueEntries([e(1, 1000n * WAD), e(9, 5n * WAD)], last, 1010).map((x) => x.marketId)).toEqual([9])
    expect(dueEntries([e(1, 1000n * WAD)], last, 1000 + 3600).map((x) => x.marketId)).toEqual([1])
  })
  it('a volatility multiplier change alone publishes (margin follows volatility)', () => {
    expect(dueEntries([e(1, 1000n * WAD, (WAD * 106n) / 100n)], last, 1010).map((x) => x.marketId)).toEqual([1])
  })
})
