import { BaseError as ViemBaseError } from 'viem'

/**
 * Local nonce tracking for one sender key, so that several transactions can be in flight at once:
 * the first `take()` reads the chain's pending transaction count, later ones count up locally
 * (serialized, so two concurrent submissions never get the same nonce). `release()` hands back a
 * nonce whose transaction never reached the node (the next submission reuses it, so no gap
 * blocks later ones); `resync()` forgets the local count (after nonce-too-low, a replacement
 * refusal, or a transaction sent with this key by someone else), so the next `take()` reads the
 * chain again.
 */
export class NonceTracker {
  #next: number | undefined
  /** Nonces handed back, reused lowest first. */
  readonly #released: number[] = []
  #lock: Promise<unknown> = Promise.resolve()

  constructor(private readonly pendingCount: () => Promise<number>) {}

  /** The nonce for the next transaction. */
  take(): Promise<number> {
    const run = this.#lock.then(async () => {
      if (this.#next === undefined) {
        this.#next = await this.pendingCount()
        this.#released.length = 0
      }
      if (this.#released.length) return this.#released.shift()!
      return this.#next++
    })
    this.#lock = run.catch(() => undefined)
    return run
  }

  /** `nonce` was taken but its transaction was never accepted by the node: reuse it. */
  release(nonce: number): void {
    if (this.#next === undefined || nonce >= this.#next) return
    if (nonce === this.#next - 1) this.#next--
    else if (!this.#released.includes(nonce)) this.#released.push(nonce)
    this.#released.sort((a, b) => a - b)
  }

  /** Forget the local count: the next take() reads the chain's pending count. */
  resync(): void {
    this.#next = undefined
    this.#released.length = 0
  }
}

const NONCE_MESSAGES = /nonce too low|nonce too high|nonce has already been used|replacement transaction underpriced|transaction underpriced|already known|known transaction/i

/** Whether a send failed because of its nonce (stale local count, or a slot taken by another tx). */
export function isNonceError(e: unknown): boolean {
  if (e instanceof ViemBaseError) {
    let hit = false
    e.walk((x) => {
      const err = x as { name?: string; message?: string; details?: string }
      if (err.name === 'NonceTooLowError' || err.name === 'NonceTooHighError' || NONCE_MESSAGES.test(`${err.message ?? ''} ${err.details ?? ''}`)) hit = true
      return hit
    })
    return hit
  }
  return e instanceof Error && NONCE_MESSAGES.test(e.message)
}
