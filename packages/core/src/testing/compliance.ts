import { describe, expect, it, beforeAll, afterAll } from 'vitest'
import type { ChainAdapter } from '../chain/adapter.js'
import { isBulwarkError } from '../errors/base.js'
import type { Hex } from '../format/bytes.js'
import { decodePayload } from '../format/payloads.js'

/** What a chain's test setup hands the compliance suite. */
export interface ComplianceHarness {
  adapter: ChainAdapter
  /** Locks `amount` of collateral on this chain so that the vault emits one CollateralLocked message. */
  lock(amount: bigint): Promise<{ txHash?: Hex }>
  /** Produces `blocks` new blocks/slots (so that earlier ones become final where finality is by depth). */
  advance(blocks: number): Promise<void>
  /**
   * A fresh quorum-signed CollateralLocked VAA from a registered foreign emitter, addressed to this
   * chain, crediting `account` with `amount` (so submitVaa must credit it).
   */
  creditVaa(account: Hex, amount: bigint): Promise<Uint8Array>
  /** An account id on this chain the suite may credit. */
  account: Hex
  /** Stops everything the harness started. */
  teardown(): Promise<void>
}

const errorName = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p
    return 'no error'
  } catch (e) {
    return isBulwarkError(e) ? e.name : `untyped: ${(e as Error)?.message ?? String(e)}`
  }
}

/**
 * The reusable compliance suite every ChainAdapter must pass. Call it at the top level of a
 * vitest file with a factory that starts the real chain (anvil, litesvm RPC, ...).
 */
export function defineAdapterCompliance(name: string, setup: () => Promise<ComplianceHarness>, opts: { timeout?: number } = {}): void {
  describe(`ChainAdapter compliance: ${name}`, () => {
    let h: ComplianceHarness
    beforeAll(async () => {
      h = await setup()
    }, opts.timeout ?? 120_000)
    afterAll(async () => {
      await h?.adapter.close()
      await h?.teardown()
    })

    it('reports heights that never go backwards and order instant >= safe >= finalized', async () => {
      const a = await h.adapter.getHeight('instant')
      await h.advance(3)
      const b = await h.adapter.getHeight('instant')
      expect(b).toBeGreaterThan(a)
      const safe = await h.adapter.getHeight('safe')
      const fin = await h.adapter.getHeight('finalized')
      expect(b >= safe && safe >= fin).toBe(true)
      expect(await h.adapter.getHeight({ confirmations: 2 })).toBe(b - 2n)
    })

    it('returns each lock as one message with strictly increasing sequences', async () => {
      const from = (await h.adapter.getHeight('instant')) + 1n
      await h.lock(1_000n)
      await h.lock(2_000n)
      await h.advance(1)
      const to = await h.adapter.getHeight('instant')
      const msgs = await h.adapter.getMessages(from, to)
      expect(msgs).toHaveLength(2)
      expect(msgs[1]!.sequence).toBeGreaterThan(msgs[0]!.sequence)
      for (const [i, m] of msgs.entries()) {
        expect(m.emitterChain).toBe(h.adapter.chainId)
        const p = decodePayload(m.payload)
        expect(p.type).toBe('CollateralLocked')
        if (p.type === 'CollateralLocked') expect(p.amount).toBe(i === 0 ? 1_000n : 2_000n)
        expect(m.height >= from && m.height <= to).toBe(true)
        expect(await h.adapter.getBlockHash(m.height)).toBe(m.blockHash)
      }
      expect(await h.adapter.getMessages(to + 1n, to + 1n)).toEqual([])
    })

    it('refuses an inverted height range with a typed error', async () => {
      expect(await errorName(h.adapter.getMessages(10n, 5n))).toBe('InvalidParameter')
    })

    it('credits a VAA once: consumed afterwards, a replay is VaaAlreadyConsumed', async () => {
      const before = await h.adapter.readAccount(h.account)
      const vaa = await h.creditVaa(h.account, 5_000n)
      expect(await h.adapter.isVaaConsumed(vaa)).toBe(false)
      await h.adapter.submitVaa(vaa)
      expect(await h.adapter.isVaaConsumed(vaa)).toBe(true)
      const after = await h.adapter.readAccount(h.account)
      const sum = (s: typeof before) => s.collateral.reduce((n, c) => n + c.amount, 0n)
      expect(sum(after) - sum(before)).toBe(5_000n)
      expect(await errorName(h.adapter.submitVaa(vaa))).toBe('VaaAlreadyConsumed')
      expect(sum(await h.adapter.readAccount(h.account))).toBe(sum(after))
    })

    it('rejects a VAA with a corrupted signature with a typed error and changes nothing', async () => {
      const vaa = await h.creditVaa(h.account, 7_000n)
      const bad = vaa.slice()
      bad[6 + 10] = bad[6 + 10]! ^ 0xff
      const before = await h.adapter.readAccount(h.account)
      const name = await errorName(h.adapter.submitVaa(bad))
      expect(['InvalidSignature', 'QuorumNotMet']).toContain(name)
      expect(await h.adapter.isVaaConsumed(bad)).toBe(false)
      expect(await h.adapter.readAccount(h.account)).toEqual(before)
    })

    it('rejects malformed bytes with a typed error', async () => {
      expect(await errorName(h.adapter.submitVaa(Uint8Array.of(1, 0, 0)))).toMatch(/^(TruncatedVaa|InvalidVaaVersion)$/)
    })

    it('lists a credited account once among the account changes of the credit\'s range (when the adapter indexes accounts)', async (ctx) => {
      const changes = h.adapter.getAccountChanges?.bind(h.adapter)
      if (!changes) return ctx.skip()
      const from = (await h.adapter.getHeight('instant')) + 1n
      await h.adapter.submitVaa(await h.creditVaa(h.account, 3_000n))
      const to = await h.adapter.getHeight('instant')
      const listed = await changes(from, to)
      expect(listed.filter((a) => a.toLowerCase() === h.account.toLowerCase())).toHaveLength(1)
      expect(new Set(listed).size).toBe(listed.length)
      expect(await errorName(changes(to, from - 1n))).toBe('InvalidParameter')
    })

    it('reads an unknown market as null and refuses to liquidate a healthy account', async () => {
      expect(await h.adapter.readPrice(987_654)).toBeNull()
      expect(await errorName(h.adapter.liquidate(h.account))).toBe('AccountHealthy')
    })
  })
}
