/**
 * Envelopes seen in the last `windowMs` (by signing digest), so a replay inside the window is
 * recognised after gossipsub's own seen-cache has forgotten it; older envelopes are refused by
 * their timestamp anyway. Bounded: at most `max` entries (oldest dropped first).
 */
export class ReplayCache {
  readonly #seen = new Map<string, number>()

  constructor(readonly windowMs: number, readonly max = 200_000) {}

  /** True when `digest` was seen inside the window; records it otherwise. */
  seen(digest: Uint8Array, now: number): boolean {
    const key = Buffer.from(digest.buffer, digest.byteOffset, digest.byteLength).toString('latin1')
    const at = this.#seen.get(key)
    if (at !== undefined && now - at <= this.windowMs) return true
    this.#seen.delete(key)
    this.#seen.set(key, now)
    for (const [k, t] of this.#seen) {
      if (this.#seen.size <= this.max && now - t <= this.windowMs) break
      this.#seen.delete(k)
    }
    return false
  }
}
