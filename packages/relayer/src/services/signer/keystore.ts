import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import { bytesToHex, hexToBytes, type Hex } from '@bulwark/core'
import { z } from 'zod'
import { InvalidConfigError, KeystoreDecryptFailedError } from '../../errors.js'
import { addressOfPublicKey, isValidPrivateKey, publicKeyOf } from '../../crypto/secp256k1.js'
import { GuardianKey } from './guardian-key.js'

/**
 * Encrypted guardian keystore (version 1): scrypt-derived key, AES-256-GCM over the 32-byte
 * secret. The address is stored in clear so an operator can see whose key it is without the
 * password. A wrong password or any altered byte fails the GCM tag: KeystoreDecryptFailed.
 */
const KeystoreSchema = z.object({
  version: z.literal(1),
  address: z.string().regex(/^0x[0-9a-f]{40}$/),
  kdf: z.literal('scrypt'),
  kdfparams: z.object({ N: z.number().int().positive(), r: z.number().int().positive(), p: z.number().int().positive(), salt: z.string() }),
  cipher: z.literal('aes-256-gcm'),
  iv: z.string(),
  tag: z.string(),
  ciphertext: z.string(),
})
export type KeystoreFile = z.infer<typeof KeystoreSchema>

export type ScryptParams = { N: number; r: number; p: number }
/** @default N = 2^15, r = 8, p = 1 (about 32 MiB, ~100 ms) */
export const DEFAULT_SCRYPT: ScryptParams = { N: 1 << 15, r: 8, p: 1 }

const derive = (password: string, salt: Uint8Array, k: ScryptParams): Buffer =>
  scryptSync(password, salt, 32, { N: k.N, r: k.r, p: k.p, maxmem: 256 * k.N * k.r + 1024 * 1024 })

export function encryptKey(secret: Uint8Array, password: string, params: ScryptParams = DEFAULT_SCRYPT): KeystoreFile {
  if (!isValidPrivateKey(secret)) throw new InvalidConfigError('not a valid secp256k1 private key', { field: 'guardianKey' })
  const salt = randomBytes(32)
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', derive(password, salt, params), iv)
  const ciphertext = Buffer.concat([cipher.update(secret), cipher.final()])
  return {
    version: 1,
    address: addressOfPublicKey(publicKeyOf(secret)),
    kdf: 'scrypt',
    kdfparams: { ...params, salt: bytesToHex(salt) },
    cipher: 'aes-256-gcm',
    iv: bytesToHex(iv),
    tag: bytesToHex(cipher.getAuthTag()),
    ciphertext: bytesToHex(ciphertext),
  }
}

export function decryptKey(file: unknown, password: string): GuardianKey {
  const parsed = KeystoreSchema.safeParse(file)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new InvalidConfigError(`keystore is malformed: ${issue.message}`, { field: `keystore.${issue.path.join('.')}` })
  }
  const ks = parsed.data
  let secret: Buffer
  try {
    const decipher = createDecipheriv('aes-256-gcm', derive(password, hexToBytes(ks.kdfparams.salt), ks.kdfparams), hexToBytes(ks.iv))
    decipher.setAuthTag(hexToBytes(ks.tag))
    secret = Buffer.concat([decipher.update(hexToBytes(ks.ciphertext)), decipher.final()])
  } catch (cause) {
    throw new KeystoreDecryptFailedError('keystore password is wrong or the file was altered', { field: 'password', cause })
  }
  const key = GuardianKey.fromBytes(new Uint8Array(secret))
  secret.fill(0)
  if (key.address !== ks.address) throw new KeystoreDecryptFailedError('decrypted key does not match the keystore address', { field: 'address' })
  return key
}

export async function writeKeystore(path: string, secret: Uint8Array, password: string, params?: ScryptParams): Promise<Hex> {
  const file = encryptKey(secret, password, params)
  await writeFile(path, JSON.stringify(file, null, 2) + '\n', { mode: 0o600, flag: 'wx' })
  return file.address as Hex
}

export async function readKeystore(path: string, password: string): Promise<GuardianKey> {
  let raw: string
  try {
    raw = await readFile(path, 'utf8')
  } catch (cause) {
    throw new InvalidConfigError(`cannot read keystore ${path}`, { field: 'guardianKey.keystore', cause })
  }
  let json: unknown
  try {
    json = JSON.parse(raw)
  } catch (cause) {
    throw new InvalidConfigError(`keystore ${path} is not JSON`, { field: 'guardianKey.keystore', cause })
  }
  return decryptKey(json, password)
}
