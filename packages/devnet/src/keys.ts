import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Address, Hex } from 'viem'
import { generatePrivateKey, privateKeyToAddress } from 'viem/accounts'

export type KeyPair = { key: Hex; address: Address }

/** A fresh secp256k1 key (guardian, oracle signer, EVM account). */
export function newKey(): KeyPair {
  const key = generatePrivateKey()
  return { key, address: privateKeyToAddress(key) }
}

/** Writes a key file readable only by this user (0600). */
export async function writeKeyFile(dir: string, name: string, key: Hex): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const path = join(dir, name)
  await writeFile(path, `${key}\n`, { mode: 0o600 })
  return path
}
