/**
 * WebSocket subscriptions (logs, signature, slot, root, account). Events are delivered when the
 * block holding them reaches the subscription's commitment, in slot order.
 */
import type { WebSocket } from 'ws'
import { encodeAccount, isAddress, type AccountConfig } from './accounts.js'
import type { Commitment, LocalChain, TxRecord } from './chain.js'
import { invalidParams, stringify } from './json.js'
import { commitmentOf } from './methods.js'

type Sub = {
  id: number
  socket: WebSocket
  kind: 'logs' | 'signature' | 'slot' | 'root' | 'account'
  commitment: Commitment
  mentions?: string | undefined
  signature?: string
  address?: string
  config?: AccountConfig
}

const COMMITMENTS: Commitment[] = ['processed', 'confirmed', 'finalized']
const KIND_OF: Record<string, Sub['kind']> = { logsSubscribe: 'logs', signatureSubscribe: 'signature', slotSubscribe: 'slot', rootSubscribe: 'root', accountSubscribe: 'account' }

export class Subscriptions {
  readonly #subs = new Map<number, Sub>()
  readonly #delivered: Record<Commitment, bigint>
  #next = 1

  constructor(readonly chain: LocalChain) {
    this.#delivered = { processed: chain.head, confirmed: chain.slotAt('confirmed'), finalized: chain.slotAt('finalized') }
    chain.on('slot', this.#onSlot)
  }

  /** Handles `*Subscribe` / `*Unsubscribe`; returns undefined for other methods. */
  handle(socket: WebSocket, method: string, params: unknown[]): { result: unknown; after?: () => void } | undefined {
    if (method.endsWith('Unsubscribe') && KIND_OF[method.replace('Unsubscribe', 'Subscribe')]) {
      const id = Number(params[0])
      const s = this.#subs.get(id)
      if (!s || s.socket !== socket) throw invalidParams('Invalid subscription id.')
      this.#subs.delete(id)
      return { result: true }
    }
    const kind = KIND_OF[method]
    if (!kind) return undefined
    const sub: Sub = { id: this.#next++, socket, kind, commitment: 'finalized' }
    let after: (() => void) | undefined
    if (kind === 'logs') {
      const f = params[0]
      if (f === 'all' || f === 'allWithVotes') sub.mentions = undefined
      else if (typeof f === 'object' && f && Array.isArray((f as { mentions?: unknown }).mentions) && (f as { mentions: unknown[] }).mentions.length === 1 && isAddress((f as { mentions: unknown[] }).mentions[0])) sub.mentions = (f as { mentions: string[] }).mentions[0]
      else throw invalidParams('logs filter: "all", "allWithVotes" or { mentions: [one address] }')
      sub.commitment = commitmentOf((params[1] ?? {}) as never)
    } else if (kind === 'signature') {
      if (typeof params[0] !== 'string' || params[0].length < 64 || params[0].length > 88) throw invalidParams('invalid signature')
      sub.signature = params[0]
      sub.commitment = commitmentOf((params[1] ?? {}) as never)
      const t = this.chain.transaction(sub.signature)
      if (t && t.slot <= this.chain.slotAt(sub.commitment)) after = () => this.#signature(sub, t)
    } else if (kind === 'account') {
      if (!isAddress(params[0])) throw invalidParams('invalid address')
      sub.address = params[0]
      sub.config = (params[1] ?? {}) as AccountConfig
      sub.commitment = commitmentOf((params[1] ?? {}) as never)
    }
    this.#subs.set(sub.id, sub)
    return { result: sub.id, after }
  }

  /** Drops every subscription of a closed socket. */
  drop(socket: WebSocket): void {
    for (const [id, s] of this.#subs) if (s.socket === socket) this.#subs.delete(id)
  }

  close(): void {
    this.chain.off('slot', this.#onSlot)
    this.#subs.clear()
  }

  #send(s: Sub, method: string, result: unknown): void {
    if (s.socket.readyState === s.socket.OPEN) s.socket.send(stringify({ jsonrpc: '2.0', method, params: { result, subscription: s.id } }))
  }

  #signature(s: Sub, t: TxRecord): void {
    this.#send(s, 'signatureNotification', { context: { slot: t.slot }, value: { err: t.err } })
    this.#subs.delete(s.id)
  }

  readonly #onSlot = (slot: bigint): void => {
    const head = this.chain.head
    for (const s of this.#subs.values()) {
      if (s.kind === 'slot') this.#send(s, 'slotNotification', { parent: slot === 0n ? 0n : slot - 1n, root: this.chain.slotAt('finalized'), slot })
    }
    for (const c of COMMITMENTS) {
      const top = this.chain.slotAt(c)
      for (let h = this.#delivered[c] + 1n; h <= top && h <= head; h++) this.#deliver(c, h)
      if (c === 'finalized' && top > this.#delivered.finalized) {
        for (const s of this.#subs.values()) if (s.kind === 'root') this.#send(s, 'rootNotification', top)
      }
      if (top > this.#delivered[c]) this.#delivered[c] = top
    }
  }

  #deliver(c: Commitment, slot: bigint): void {
    const block = this.chain.block(slot)
    if (!block) return
    for (const sig of block.signatures) {
      const t = this.chain.transaction(sig)
      if (!t) continue
      const keys = new Set<string>([...t.message.staticAccounts, ...t.loaded.writable, ...t.loaded.readonly])
      for (const s of [...this.#subs.values()]) {
        if (s.commitment !== c) continue
        if (s.kind === 'logs' && (s.mentions === undefined || keys.has(s.mentions))) {
          this.#send(s, 'logsNotification', { context: { slot }, value: { signature: t.signature, err: t.err, logs: t.logs } })
        } else if (s.kind === 'signature' && s.signature === t.signature) {
          this.#signature(s, t)
        } else if (s.kind === 'account' && keys.has(s.address!)) {
          const acc = this.chain.svm.getAccount(s.address as never)
          this.#send(s, 'accountNotification', { context: { slot }, value: acc.exists ? encodeAccount(acc, { encoding: 'base64', ...s.config }) : null })
        }
      }
    }
  }
}

