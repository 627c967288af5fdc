import { readFileSync } from 'node:fs'

/** Whether a pid is a live process (a zombie counts as gone). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return false
  }
}

/** Every descendant pid of `root` (from /proc), so a test can check nothing outlives a stop. */
export function descendants(root: number): number[] {
  const parent = new Map<number, number>()
  for (const d of readdirSafe('/proc')) {
    const pid = Number(d)
    if (!Number.isInteger(pid)) continue
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      parent.set(pid, Number(rest[1]))
    } catch {
      /* gone meanwhile */
    }
  }
  const out: number[] = []
  const walk = (p: number) => {
    for (const [c, pp] of parent) if (pp === p) (out.push(c), walk(c))
  }
  walk(root)
  return out
}

import { readdirSync } from 'node:fs'
function readdirSafe(d: string): string[] {
  try {
    return readdirSync(d)
  } catch {
    return []
  }
}
