import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/**
 * Summarizes a V8 .cpuprofile (node --cpu-prof) into where a relayer node's busy time goes:
 * self time per category (secp256k1, LevelDB, gossipsub, noise, yamux, GC, ...) and the top
 * functions. Usage: tsx bench/profile.ts <file.cpuprofile> [vaas]  (vaas: to print µs per VAA).
 */
type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

const CATEGORIES: [string, RegExp][] = [
  ['idle', /^\(idle\)$/],
  ['gc', /^\(garbage collector\)$/],
  ['keccak (native binding)', /keccak/],
  ['secp256k1 (native binding)', /secp256k1/],
  ['LevelDB (level, abstract-level, classic-level)', /level/],
  ['noise (encryption)', /noise|chacha|poly1305|@noble\/ciphers|x25519|stablelib/],
  ['yamux', /yamux/],
  ['gossipsub', /gossipsub/],
  ['protobuf / varint / uint8arrays', /protons|protobuf|varint|uint8arraylist|uint8arrays|multiformats/],
  ['libp2p (other) / it-* streams', /libp2p|\/it-|p-queue|race-signal|abort|@multiformats|@sindresorhus|main-event|progress-events/],
  ['relayer: network (envelope, gossip, codecs)', /(relayer\/|^)src\/services\/network/],
  ['relayer: quorum (attestor)', /(^|relayer\/)src\/services\/quorum/],
  ['relayer: store', /(^|relayer\/)src\/services\/store/],
  ['relayer: crypto', /(^|relayer\/)src\/crypto/],
  ['relayer: watcher', /(^|relayer\/)src\/services\/watcher/],
  ['relayer: delivery / governor / ops', /(^|relayer\/)src\/services\/(delivery|governor|ops)/],
  ['bench synthetic chain', /(^|relayer\/)bench\//],
  ['core (codecs, hex)', /(^|\/)core\/src/],
  ['prom-client / pino', /prom-client|pino/],
  ['node internals', /^node:|^internal/],
  ['(program) / native', /^$/],
]

/** A bundled file (esbuild marks each module with a `// path` line): the module a line belongs to. */
const bundles = new Map<string, [number, string][]>()
function moduleOf(url: string, line: number): string {
  if (!url.endsWith('.mjs') || !url.startsWith('file:')) return url
  let marks = bundles.get(url)
  if (marks === undefined) {
    const path = fileURLToPath(url)
    marks = existsSync(path)
      ? readFileSync(path, 'utf8').split('\n').flatMap((l, i): [number, string][] => (/^\/\/ \S+\.(m?js|ts|cjs)$/.test(l) ? [[i, l.slice(3)]] : []))
      : []
    bundles.set(url, marks)
  }
  let lo = 0
  let hi = marks.length - 1
  let found = url
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    if (marks[mid]![0] <= line) {
      found = marks[mid]![1]
      lo = mid + 1
    } else hi = mid - 1
  }
  return found
}

export function summarize(file: string): { totalMs: number; busyMs: number; categories: Record<string, number>; top: [string, number][] } {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile
  const byId = new Map(p.nodes.map((n) => [n.id, n]))
  // Self time per node id; a native callback's frame has an empty url: attribute it to its caller's url.
  const parent = new Map<number, number>()
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const self = new Map<number, number>()
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000))
  const urlOf = (id: number): string => {
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur)!
      if (n.callFrame.url) return moduleOf(n.callFrame.url, n.callFrame.lineNumber)
      if (/^\(/.test(n.callFrame.functionName)) return ''
    }
    return ''
  }
  const categories: Record<string, number> = {}
  const fn = new Map<string, number>()
  let total = 0
  for (const [id, ms] of self) {
    const n = byId.get(id)!
    total += ms
    const name = n.callFrame.functionName
    const key = /^\(/.test(name) ? name : `${urlOf(id)} ${name}`
    const cat = CATEGORIES.find(([, re]) => re.test(/^\(/.test(name) ? name : key))?.[0] ?? 'other'
    categories[cat] = (categories[cat] ?? 0) + ms
    const short = `${name || '(anonymous)'} ${urlOf(id).replace(/^.*node_modules\//, '').replace(/^file:\/\/\/work\/main\//, '')}:${n.callFrame.lineNumber}`
    fn.set(short, (fn.get(short) ?? 0) + ms)
  }
  const busy = total - (categories['idle'] ?? 0) - (categories['(program) / native'] ?? 0) * 0
  return { totalMs: total, busyMs: busy, categories, top: [...fn].sort((a, b) => b[1] - a[1]).slice(0, 30) }
}

if (process.argv[1]?.endsWith('profile.ts')) {
  const s = summarize(process.argv[2]!)
  const vaas = Number(process.argv[3] ?? 0)
  console.log(`total ${s.totalMs.toFixed(0)} ms, busy (not idle) ${s.busyMs.toFixed(0)} ms${vaas ? `, ${((s.busyMs * 1000) / vaas).toFixed(1)} µs per VAA` : ''}`)
  for (const [k, v] of Object.entries(s.categories).sort((a, b) => b[1] - a[1])) {
    if (k === 'idle') continue
    console.log(`${((100 * v) / s.busyMs).toFixed(1).padStart(5)}%  ${v.toFixed(0).padStart(6)} ms${vaas ? `  ${((v * 1000) / vaas).toFixed(1).padStart(6)} µs/VAA` : ''}  ${k}`)
  }
  console.log('top self time:')
  for (const [k, v] of s.top) console.log(`${v.toFixed(0).padStart(6)} ms  ${k}`)
}
