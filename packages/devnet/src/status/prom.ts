/** Sums a Prometheus counter/gauge (all label sets, or those matching `labels`) from /metrics text. */
export function promValue(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue
    const m = /^([a-zA-Z_:][\w:]*)(\{([^}]*)\})?\s+(\S+)/.exec(line)
    if (!m || m[1] !== name) continue
    const ls = Object.fromEntries([...(m[3] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]))
    if (Object.entries(labels).every(([k, v]) => ls[k] === v)) sum += Number(m[4])
  }
  return sum
}
