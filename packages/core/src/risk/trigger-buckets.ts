/** Entries per chunk (2^CHUNK_BITS); a bucket is a list of chunks, every one full but its last. */
const CHUNK_BITS = 5
const CHUNK = 1 << CHUNK_BITS
/** Chunks per slab (2^SLAB_BITS): the pool grows one slab at a time and never copies. */
const SLAB_BITS = 11
const SLAB = 1 << SLAB_BITS
/** Resolution of a key inside its bucket: keys are stored as a 16-bit fraction, rounded down. */
const FRACTION = 65536

type Bucket = { chunks: number[]; n: number }
/** Receives a popped entry: account id, version, key (rounded down) and the 8-bit `extra` it was pushed with. */
export type Take = (id: number, ver: number, key: number, extra: number) => void

/**
 * Trigger levels of every feed in buckets of fixed width. An entry is (key, account id, version,
 * extra) in 8 bytes (two words side by side): the key as a 16-bit fraction of its bucket rounded
 * down (so an entry can only fire early, never late: early is a wasted re-check, late would be a
 * missed liquidation), the id as a uint32, a byte the caller gives back on pop (extra) and the
 * account's version mod 256 (a stale entry whose version wrapped around is a wasted
 * re-check too). Entries live in fixed-size chunks taken from slabs shared by all feeds; a freed
 * chunk is reused, so memory follows the peak entry count without copies or allocator churn.
 *
 * Push is an append; popping a level takes whole buckets below it and the entries of its own
 * bucket at or below it. A feed's level may go down as well as up (the index keys triggers by
 * price level): the caller only ever pushes keys at or above the feed's current level, so the
 * buckets below the current one are empty and a level that falls pops nothing. Entries whose
 * version is no longer the account's are dropped by `compactSome`, a bounded number of entries per
 * call (round-robin over feeds and buckets).
 */
export class TriggerBuckets {
  readonly #feeds: Map<number, Bucket>[]
  readonly #cur: Float64Array
  /** Entry slabs: two words an entry, the account id and (fraction << 8 | version), so a push touches one cache line. */
  readonly #ent: Uint32Array[] = []
  readonly #free: number[] = []
  #fresh = 0
  /** Entries held (live and stale). */
  size = 0
  #cursorFeed = 0
  #cursor: Iterator<[number, Bucket]> | undefined

  constructor(feeds: number, readonly width: number) {
    this.#feeds = Array.from({ length: feeds }, () => new Map<number, Bucket>())
    this.#cur = new Float64Array(feeds)
  }

  #alloc(): number {
    const c = this.#free.pop()
    if (c !== undefined) return c
    if (this.#fresh === this.#ent.length * SLAB) this.#ent.push(new Uint32Array(2 * SLAB * CHUNK))
    return this.#fresh++
  }

  /** Sets `feed`'s current level without popping (for a queue that is empty, or whose entries are all stale). */
  start(feed: number, level: number): void {
    this.#cur[feed] = Math.floor(level / this.width)
  }

  /** Adds an entry; a key below the feed's current bucket (never pushed by the index) is filed at the start of that bucket (it fires as soon as the level is back there). */
  push(feed: number, key: number, id: number, ver: number, extra = 0): void {
    const x = key / this.width
    let b = Math.floor(x)
    let q = Math.floor((x - b) * FRACTION)
    if (b < this.#cur[feed]!) {
      b = this.#cur[feed]!
      q = 0
    }
    const buckets = this.#feeds[feed]!
    let bk = buckets.get(b)
    if (!bk) buckets.set(b, (bk = { chunks: [], n: 0 }))
    if ((bk.n & (CHUNK - 1)) === 0) bk.chunks.push(this.#alloc())
    const c = bk.chunks[bk.n >>> CHUNK_BITS]!
    const s = c >>> SLAB_BITS
    const at = (((c & (SLAB - 1)) << CHUNK_BITS) | (bk.n & (CHUNK - 1))) << 1
    const ent = this.#ent[s]!
    ent[at] = id
    ent[at + 1] = ((extra << 24) | (q << 8) | ver) >>> 0
    bk.n++
    this.size++
  }

  /**
   * Calls `take(id, ver, key, extra)` for every entry of `feed` with key <= level, removing it (`key`
   * as stored: rounded down to 1/65536 of a bucket); `level` becomes the feed's current level.
   */
  popTo(feed: number, level: number, take: Take): void {
    const x = level / this.width
    const last = Math.floor(x)
    const buckets = this.#feeds[feed]!
    for (let b = this.#cur[feed]!; b <= last; b++) {
      const bk = buckets.get(b)
      if (!bk) continue
      // an entry of the last bucket fires when its fraction q <= (level / width - last) * FRACTION
      this.#filter(bk, b, b < last ? FRACTION : (x - last) * FRACTION, undefined, take)
      if (bk.n === 0) buckets.delete(b)
    }
    this.#cur[feed] = last
  }

  /**
   * Drops stale entries (version !== live[id] & 255) from whole buckets, round-robin, until about
   * `budget` entries have been scanned or every bucket was seen once. Returns how many were dropped.
   */
  compactSome(live: Uint8Array, budget: number): number {
    const before = this.size
    let ends = 0
    while (budget > 0 && ends <= this.#feeds.length) {
      const buckets = this.#feeds[this.#cursorFeed]!
      this.#cursor ??= buckets.entries()
      const next = this.#cursor.next()
      if (next.done) {
        this.#cursor = undefined
        this.#cursorFeed = (this.#cursorFeed + 1) % this.#feeds.length
        ends++
        continue
      }
      const [b, bk] = next.value
      budget -= bk.n
      this.#filter(bk, b, -1, live, undefined)
      if (bk.n === 0) buckets.delete(b)
    }
    return before - this.size
  }

  /**
   * Keeps, in place, the entries with fraction > `qTake` (none when qTake >= FRACTION) that are
   * current under `live` (when given); hands the others to `take` (when given). Frees the chunks
   * left empty.
   */
  #filter(bk: Bucket, b: number, qTake: number, live: Uint8Array | undefined, take: Take | undefined): void {
    let w = 0
    for (let r = 0; r < bk.n; r++) {
      const c = bk.chunks[r >>> CHUNK_BITS]!
      const ent = this.#ent[c >>> SLAB_BITS]!
      const at = (((c & (SLAB - 1)) << CHUNK_BITS) | (r & (CHUNK - 1))) << 1
      const id = ent[at]!
      const meta = ent[at + 1]!
      const ver = meta & 255
      const q = (meta >>> 8) & 0xffff
      if (q <= qTake) {
        take?.(id, ver, (b + q / FRACTION) * this.width, meta >>> 24)
        continue
      }
      if (live && live[id] !== ver) continue
      if (w !== r) {
        const cw = bk.chunks[w >>> CHUNK_BITS]!
        const ew = this.#ent[cw >>> SLAB_BITS]!
        const aw = (((cw & (SLAB - 1)) << CHUNK_BITS) | (w & (CHUNK - 1))) << 1
        ew[aw] = id
        ew[aw + 1] = meta
      }
      w++
    }
    this.size -= bk.n - w
    bk.n = w
    const keep = (w + CHUNK - 1) >>> CHUNK_BITS
    while (bk.chunks.length > keep) this.#free.push(bk.chunks.pop()!)
  }

  /** Bytes of the entry slabs (each entry 8 bytes) and how many chunks are in use. */
  footprint(): { slabBytes: number; chunksInUse: number; chunkEntries: number } {
    return { slabBytes: this.#ent.length * SLAB * CHUNK * 8, chunksInUse: this.#fresh - this.#free.length, chunkEntries: CHUNK }
  }
}
