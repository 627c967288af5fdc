import '../src/polyfill.js'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import pino from 'pino'
import { randomBytes } from 'node:crypto'
import { createAdapters } from '../src/chains.js'
import { parseConfig, type RelayerConfig } from '../src/config.js'
import { InvalidConfigError, isRelayerError } from '../src/errors.js'
import { startRelayer } from '../src/relayer.js'
import { listDeadLetters, retryDeadLetter } from '../src/services/delivery/worker.js'
import { loadOrCreateNodeKey, peerIdOfKey } from '../src/services/network/node-key.js'
import { GuardianKey, type GuardianSigner } from '../src/services/signer/guardian-key.js'
import { readKeystore, writeKeystore } from '../src/services/signer/keystore.js'
import { K, Store } from '../src/services/store/store.js'
import { isValidPrivateKey } from '../src/crypto/secp256k1.js'

/** The only place that reads environment variables and process arguments. */
const USAGE = `bulwark-relayer <command>
  keys init --out <keystore.json> [--node-key <file>]   new guardian key (password: $BULWARK_KEYSTORE_PASSWORD)
  start --config <file>                                 run a node (SIGTERM/SIGINT stop it gracefully)
  status --config <file>                                node status (live, or from its store when stopped)
  dlq list --config <file>                              dead-lettered VAAs
  dlq retry <digest> --config <file>                    move a dead-lettered VAA back to delivery
  governance <0xvaa> --config <file>                    apply a GuardianSetUpgrade VAA on the running node`

const out = (v: unknown): void => console.log(JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x), 2))

async function loadConfig(path: string | undefined): Promise<RelayerConfig> {
  if (!path) throw new InvalidConfigError('--config <file> is required', { field: '--config' })
  let raw: string
  try {
    raw = await readFile(path, 'utf8')
  } catch (cause) {
    throw new InvalidConfigError(`cannot read config ${path}`, { field: '--config', cause })
  }
  try {
    return parseConfig(JSON.parse(raw))
  } catch (e) {
    if (e instanceof SyntaxError) throw new InvalidConfigError(`config ${path} is not JSON: ${e.message}`, { field: '(root)' })
    throw e
  }
}

async function guardianKeyOf(c: RelayerConfig): Promise<GuardianSigner> {
  const src = c.guardianKey
  if ('env' in src) {
    const v = process.env[src.env]
    if (!v) throw new InvalidConfigError(`environment variable ${src.env} is not set`, { field: 'guardianKey.env' })
    return GuardianKey.fromHex(v)
  }
  const password = process.env[src.passwordEnv]
  if (password === undefined) throw new InvalidConfigError(`environment variable ${src.passwordEnv} is not set`, { field: 'guardianKey.passwordEnv' })
  return readKeystore(src.keystore, password)
}

/** GET/POST the running node's ops endpoint; undefined when it is not running. */
async function live(c: RelayerConfig, path: string, method = 'GET'): Promise<unknown> {
  try {
    const res = await fetch(`http://${c.ops.host}:${c.ops.port}${path}`, { method, signal: AbortSignal.timeout(2000) })
    const body = await res.json()
    if (!res.ok) throw Object.assign(new Error((body as { message?: string }).message ?? res.statusText), { name: (body as { error?: string }).error ?? 'Error' })
    return body
  } catch (e) {
    // fetch rejects with TypeError('fetch failed') when nothing listens: the node is not running
    if (e instanceof TypeError && e.message === 'fetch failed') return undefined
    throw e
  }
}

async function withStore<T>(c: RelayerConfig, f: (s: Store) => Promise<T>): Promise<T> {
  const s = new Store({ path: join(c.dataDir, 'db') })
  await s.open()
  try {
    return await f(s)
  } finally {
    await s.close()
  }
}

/** Each chain's delivery secret from the environment variable its config names. */
function chainSecrets(c: RelayerConfig): Map<number, string | undefined> {
  return new Map(c.chains.map((ch) => {
    const name = ch.kind === 'evm' ? ch.senderKeyEnv : ch.payerKeyEnv
    return [ch.chainId, name ? process.env[name] : undefined]
  }))
}

async function start(c: RelayerConfig): Promise<void> {
  const logger = pino({ level: c.log.level })
  const key = await guardianKeyOf(c)
  const relayer = await startRelayer({ config: c, guardianKey: key, adapters: await createAdapters(c, chainSecrets(c)), logger })
  let stopping = false
  const shutdown = (sig: string): void => {
    if (stopping) return
    stopping = true
    logger.info({ signal: sig }, 'shutting down')
    relayer.stop().then(
      () => process.exit(0),
      (e) => {
        logger.error({ err: e }, 'shutdown failed')
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGINT', () => shutdown('SIGINT'))
  const ready = { ready: true, peerId: relayer.peerId, opsPort: relayer.opsPort, addresses: relayer.addresses, guardianIndex: relayer.index }
  console.log(JSON.stringify(ready))
  if (process.send) process.send({ type: 'ready', ...ready })
}

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { config: { type: 'string' }, out: { type: 'string' }, 'node-key': { type: 'string' }, help: { type: 'boolean' } },
  })
  const [cmd, sub, arg] = positionals
  if (values.help || !cmd) return void console.log(USAGE)
  if (cmd === 'keys' && sub === 'init') {
    if (!values.out) throw new InvalidConfigError('--out <keystore.json> is required', { field: '--out' })
    const password = process.env['BULWARK_KEYSTORE_PASSWORD']
    if (!password) throw new InvalidConfigError('set BULWARK_KEYSTORE_PASSWORD to encrypt the key', { field: 'BULWARK_KEYSTORE_PASSWORD' })
    let secret = randomBytes(32)
    while (!isValidPrivateKey(secret)) secret = randomBytes(32)
    const address = await writeKeystore(values.out, secret, password)
    secret.fill(0)
    const result: Record<string, string> = { keystore: values.out, address }
    if (values['node-key']) result['peerId'] = peerIdOfKey((await loadOrCreateNodeKey(values['node-key'])).key)
    return out(result)
  }
  const c = await loadConfig(values.config)
  if (cmd === 'start') return start(c)
  if (cmd === 'status') {
    const s = await live(c, '/status')
    if (s !== undefined) return out({ running: true, ...(s as object) })
    return out(
      await withStore(c, async (st) => ({
        running: false,
        cursors: Object.fromEntries(await Promise.all(c.chains.map(async (ch) => [ch.chainId, (await st.get<string>(K.cursor(ch.chainId))) ?? null]))),
        activeDeliveries: await st.count(K.activePrefix),
        deadLetters: await st.count(K.deadPrefix),
        unfinishedObservations: await st.count(K.unfinishedPrefix),
      })),
    )
  }
  if (cmd === 'dlq' && sub === 'list') return out((await live(c, '/dlq')) ?? (await withStore(c, listDeadLetters)))
  if (cmd === 'dlq' && sub === 'retry') {
    if (!arg || !/^0x[0-9a-f]{64}$/.test(arg)) throw new InvalidConfigError('dlq retry needs the 0x digest of a dead-lettered VAA', { field: 'digest' })
    return out((await live(c, `/dlq/${arg}/retry`, 'POST')) ?? (await withStore(c, (s) => retryDeadLetter(s, arg as `0x${string}`))))
  }
  if (cmd === 'governance') {
    if (!sub || !/^0x([0-9a-fA-F]{2})+$/.test(sub)) throw new InvalidConfigError('governance needs the 0x hex of a GuardianSetUpgrade VAA', { field: 'vaa' })
    const res = await fetch(`http://${c.ops.host}:${c.ops.port}/governance`, { method: 'POST', body: JSON.stringify({ vaa: sub }), signal: AbortSignal.timeout(10_000) })
    const body = (await res.json()) as { error?: string; message?: string }
    if (!res.ok) throw Object.assign(new Error(body.message ?? res.statusText), { name: body.error ?? 'Error' })
    return out(body)
  }
  throw new InvalidConfigError(`unknown command: ${positionals.join(' ')}\n${USAGE}`, { field: 'command' })
}

main(process.argv.slice(2)).catch((e: unknown) => {
  const err = e as { name?: string; shortMessage?: string; message?: string; field?: string }
  console.error(JSON.stringify({ error: err.name ?? 'Error', message: err.shortMessage ?? err.message, field: err.field }))
  process.exit(isRelayerError(e) ? 2 : 1)
})
