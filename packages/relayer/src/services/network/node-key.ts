import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { readFile, writeFile } from 'node:fs/promises'
import { InvalidConfigError } from '../../errors.js'

/**
 * The node's libp2p identity (Ed25519), persisted as protobuf bytes so the PeerId is the same
 * across restarts: the other guardians allow-list it. Created on first use with mode 0600.
 */
export async function loadOrCreateNodeKey(path: string): Promise<{ key: PrivateKey; created: boolean }> {
  let bytes: Buffer | undefined
  try {
    bytes = await readFile(path)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new InvalidConfigError(`cannot read node key ${path}`, { field: 'nodeKeyFile', cause: e })
  }
  if (bytes !== undefined) {
    try {
      return { key: privateKeyFromProtobuf(new Uint8Array(bytes)), created: false }
    } catch (cause) {
      throw new InvalidConfigError(`node key ${path} is not a libp2p private key`, { field: 'nodeKeyFile', cause })
    }
  }
  const key = await generateKeyPair('Ed25519')
  await writeFile(path, privateKeyToProtobuf(key), { mode: 0o600, flag: 'wx' })
  return { key, created: true }
}

export const peerIdOfKey = (key: PrivateKey): string => peerIdFromPrivateKey(key).toString()
