import { WAD } from '@bulwark/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Governor } from '../src/services/governor/governor.js'
import { silent, tempStore } from './support/env.js'

const limits = [{ chain: 2, limit: 100n * WAD, largeTransfer: 60n * WAD, delay: 600, window: 86_400 }]

describe('Governor (persisted RateLimiter)', () => {
  let env: Awaited<ReturnType<typeof tempStore>>
  beforeEach(async () => { env = await tempStore() })
  afterEach(() => env.cleanup())

  it('queues excess and large transfers per origin chain and releases them later', async () => {
    const g = new Governor(limits, env.store, silent)
    expect(await g.admit('a', 2, 50n * WAD, 1000)).toBe('credited')
    expect(await g.admit('b', 2, 40n * WAD, 1001)).toBe('credited')
    expect(await g.admit('c', 2, 20n * WAD, 1002)).toBe('queued')
    expect(await g.admit('d', 2, 70n * WAD, 1003)).toBe('queued')
    expect(await g.admit('x', 9, 10n ** 30n, 1003)).toBe('credited')
    expect(await g.release(1100)).toEqual([])
    expect(await g.release(1602)).toEqual(['c'])
    expect(await g.release(1603)).toEqual(['d'])
  })

  it('rebuilds the same window and queue after a restart', async () => {
    const g = new Governor(limits, env.store, silent)
    await g.admit('a', 2, 55n * WAD, 1000)
    await g.admit('b', 2, 50n * WAD, 1001)
    await g.admit('c', 2, 5n * WAD, 1002)
    await env.reopen()
    const h = new Governor(limits, env.store, silent)
    await h.load()
    expect(h.queued().map((q) => q.id)).toEqual(['b', 'c'])
    expect(await h.admit('d', 2, 5n * WAD, 1003)).toBe('queued')
    await expect(h.admit('a', 2, 1n, 1004)).rejects.toMatchObject({ name: 'InvalidParameter', field: 'id' })
    expect(await h.release(1000 + 86_401)).toEqual(['b', 'c', 'd'])
  })
})
