import { describe, expect, it } from 'vitest'
import { makeSource } from '@bulwark/oracle-aggregator'
import { VenueServer } from '../src/prices/venues.js'
import { oracleSources } from '../src/nodes/oracle-config.js'

describe('VenueServer', () => {
  it('answers every configured oracle source in its exchange format, and follows set()', async () => {
    const v = new VenueServer({ ETH: 3000, USDC: 1 })
    const url = await v.start()
    try {
      const read = async (base: string) => {
        const out: bigint[] = []
        for (const s of oracleSources(url, base)) out.push((await makeSource(1, s as never, new Map()).fetch(Math.floor(Date.now() / 1000))).price)
        return out.map((p) => Number(p) / 1e18)
      }
      const eth = await read('ETH')
      expect(eth).toHaveLength(4)
      for (const p of eth) expect(Math.abs(p - 3000) / 3000).toBeLessThan(0.0002)
      v.set('ETH', 1800)
      for (const p of await read('ETH')) expect(Math.abs(p - 1800) / 1800).toBeLessThan(0.0002)
      expect(new Set(await read('ETH')).size).toBeGreaterThan(1)
      for (const p of await read('USDC')) expect(p).toBeCloseTo(1, 3)
    } finally {
      await v.stop()
    }
  })
})
