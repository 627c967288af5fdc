import type { Devnet } from '../devnet.js'
export type CrashResult = { ok: boolean; table: string; failures: string[] }
export async function runCrash(_d: Devnet, _o: { progress?: (l: string) => void }): Promise<CrashResult> {
  return { ok: false, table: '', failures: ['not written yet'] }
}
