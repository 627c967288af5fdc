/** Reads the program's emitted messages (`Program data:` lines) out of a transaction's logs. */

export type EmittedMessage = { tag: string; sequence: bigint; payload: Uint8Array }

const INVOKE = /^Program (\S+) invoke \[\d+\]$/
const EXIT = /^Program (\S+) (success|failed: .*)$/

/**
 * `Program data:` lines written by `programId` itself (not by programs it called), in order.
 * The program logs `tag, sequence u64 BE, payload` as three base64 fields.
 */
export function emittedMessages(logs: readonly string[], programId: string): EmittedMessage[] {
  const stack: string[] = []
  const out: EmittedMessage[] = []
  for (const line of logs) {
    const inv = INVOKE.exec(line)
    if (inv) {
      stack.push(inv[1]!)
      continue
    }
    if (EXIT.test(line)) {
      stack.pop()
      continue
    }
    if (!line.startsWith('Program data: ') || stack[stack.length - 1] !== programId) continue
    const parts = line.slice('Program data: '.length).split(' ').map((p) => new Uint8Array(Buffer.from(p, 'base64')))
    if (parts.length !== 3 || parts[1]!.length !== 8) continue
    const seq = new DataView(parts[1]!.buffer, parts[1]!.byteOffset, 8).getBigUint64(0)
    out.push({ tag: Buffer.from(parts[0]!).toString('utf8'), sequence: seq, payload: parts[2]! })
  }
  return out
}
