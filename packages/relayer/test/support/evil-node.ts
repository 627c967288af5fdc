import '../../src/polyfill.js'
import { keccak256 } from '@bulwark/core'
import { readFile } from 'node:fs/promises'
import pino from 'pino'
import { createAdapters } from '../../src/chains.js'
import { parseConfig } from '../../src/config.js'
import { startRelayer } from '../../src/relayer.js'
import { GuardianKey, type GuardianSigner } from '../../src/services/signer/guardian-key.js'

/**
 * Test fixture: a real relayer node whose observation signatures are wrong (it signs
 * keccak256(digest) instead of the digest), while its envelopes are validly signed. Honest peers
 * must reject and penalize it and still reach quorum without it. Usage: evil-node.ts <config>.
 */
const config = parseConfig(JSON.parse(await readFile(process.argv[2]!, 'utf8')))
const real = GuardianKey.fromHex(process.env['BULWARK_GUARDIAN_KEY']!)
const evil: GuardianSigner = { address: real.address, secret: real.secret, sign: (digest) => real.sign(keccak256(digest)) }
const senderKeys = new Map(config.chains.map((c) => [c.chainId, c.kind === 'evm' && c.senderKeyEnv ? process.env[c.senderKeyEnv] : undefined]))
const relayer = await startRelayer({ config, guardianKey: evil, adapters: await createAdapters(config, senderKeys), logger: pino({ level: config.log.level }) })
process.on('SIGTERM', () => void relayer.stop().then(() => process.exit(0)))
