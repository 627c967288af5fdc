import { createPublicClient, http } from 'viem'
import { afterAll, describe, expect, it } from 'vitest'
import { startAnvil, type AnvilHandle } from '../../ts/anvil.js'

describe('startAnvil', () => {
  const started: AnvilHandle[] = []
  afterAll(async () => {
    for (const a of started) await a.stop()
  })

  it('does not pass another process\'s RPC on its port off as its own anvil', async () => {
    const first = await startAnvil({ chainId: 1111 })
    started.push(first)
    // Before, the second call returned a handle whose URL answered with the first anvil's chain
    // (chain id 1111, not 2222): a test would have run on another test's chain.
    await expect(startAnvil({ port: first.port, chainId: 2222 })).rejects.toThrow(/another process answers on that port/)
    expect(await createPublicClient({ transport: http(first.url) }).getChainId()).toBe(1111)
  })

  it('answers on the chain it was asked for', async () => {
    const a = await startAnvil({ chainId: 3333 })
    started.push(a)
    expect(await createPublicClient({ transport: http(a.url) }).getChainId()).toBe(3333)
  })
})
