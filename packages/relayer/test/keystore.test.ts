import { keccak256 } from '@bulwark/core'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadOrCreateNodeKey, peerIdOfKey } from '../src/services/network/node-key.js'
import { GuardianKey } from '../src/services/signer/guardian-key.js'
import { decryptKey, encryptKey, readKeystore, writeKeystore } from '../src/services/signer/keystore.js'

const fast = { N: 1 << 10, r: 8, p: 1 }
const secret = keccak256(Uint8Array.of(42))

describe('keystore and node key', () => {
  let dir: string
  beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'bulwark-keys-')) })
  afterEach(() => rm(dir, { recursive: true, force: true }))

  it('round-trips a guardian key and never stores the secret in clear', async () => {
    const path = join(dir, 'k.json')
    const address = await writeKeystore(path, secret, 'pw', fast)
    const text = await readFile(path, 'utf8')
    expect(text).not.toContain(Buffer.from(secret).toString('hex'))
    const key = await readKeystore(path, 'pw')
    expect(key.address).toBe(address)
    expect(key.address).toBe(GuardianKey.fromBytes(secret).address)
    await expect(writeKeystore(path, secret, 'pw', fast)).rejects.toThrow()
  })

  it('refuses a wrong password or an altered file with KeystoreDecryptFailed', () => {
    const file = encryptKey(secret, 'pw', fast)
    expect(() => decryptKey(file, 'wrong')).toThrow(expect.objectContaining({ name: 'KeystoreDecryptFailed', field: 'password' }))
    const flipped = { ...file, ciphertext: file.ciphertext.slice(0, -2) + (file.ciphertext.endsWith('00') ? '01' : '00') }
    expect(() => decryptKey(flipped, 'pw')).toThrow(expect.objectContaining({ name: 'KeystoreDecryptFailed' }))
    expect(() => decryptKey({ ...file, address: '0x' + '00'.repeat(20) }, 'pw')).toThrow(expect.objectContaining({ name: 'KeystoreDecryptFailed', field: 'address' }))
    expect(() => decryptKey({ ...file, kdf: 'pbkdf2' }, 'pw')).toThrow(expect.objectContaining({ name: 'InvalidConfig', field: 'keystore.kdf' }))
  })

  it('rejects invalid guardian keys', () => {
    expect(() => GuardianKey.fromHex('0x1234')).toThrow(expect.objectContaining({ name: 'InvalidConfig', field: 'guardianKey' }))
    expect(() => GuardianKey.fromHex('nothex')).toThrow(expect.objectContaining({ name: 'InvalidConfig' }))
    expect(() => GuardianKey.fromBytes(new Uint8Array(32))).toThrow(expect.objectContaining({ name: 'InvalidConfig' }))
  })

  it('keeps the same PeerId across restarts and refuses a corrupt node key', async () => {
    const path = join(dir, 'node.key')
    const a = await loadOrCreateNodeKey(path)
    const b = await loadOrCreateNodeKey(path)
    expect(a.created).toBe(true)
    expect(b.created).toBe(false)
    expect(peerIdOfKey(b.key)).toBe(peerIdOfKey(a.key))
    await writeFile(path, 'garbage')
    await expect(loadOrCreateNodeKey(path)).rejects.toMatchObject({ name: 'InvalidConfig', field: 'nodeKeyFile' })
  })
})
