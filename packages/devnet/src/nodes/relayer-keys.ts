import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { Address } from 'viem'
import { DevnetError } from '../errors.js'
import { packageDir } from './bins.js'

const run = promisify(execFile)

export type RelayerIdentity = { keystore: string; nodeKeyFile: string; address: Address; peerId: string }

/** A new guardian keystore and libp2p identity, made by the relayer's own CLI (`keys init`). */
export async function relayerKeysInit(dir: string, password: string): Promise<RelayerIdentity> {
  const keystore = join(dir, 'guardian.json')
  const nodeKeyFile = join(dir, 'node.key')
  const bin = join(packageDir('@bulwark/relayer'), 'bin', 'bulwark-relayer')
  try {
    const { stdout } = await run(process.execPath, [bin, 'keys', 'init', '--out', keystore, '--node-key', nodeKeyFile], {
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/tmp', BULWARK_KEYSTORE_PASSWORD: password },
      timeout: 60_000,
    })
    const r = JSON.parse(stdout) as { address: Address; peerId: string }
    return { keystore, nodeKeyFile, address: r.address, peerId: r.peerId }
  } catch (e) {
    throw new DevnetError('bulwark-relayer keys init failed', { details: (e as { stderr?: string }).stderr ?? (e as Error).message, cause: e })
  }
}
