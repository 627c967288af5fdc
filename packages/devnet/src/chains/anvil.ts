import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { ServiceSpec } from '../supervisor/supervisor.js'
import { jsonRpc } from '../util/wait.js'

const PLATFORMS: Record<string, string> = { 'linux-x64': 'linux-amd64', 'linux-arm64': 'linux-arm64', 'darwin-x64': 'darwin-amd64', 'darwin-arm64': 'darwin-arm64' }

/**
 * The anvil binary from the npm platform package (@foundry-rs/anvil-<platform>), run directly: the
 * npm wrapper would add a node process between the supervisor and anvil.
 */
export function anvilBinary(): string {
  const plat = PLATFORMS[`${process.platform}-${process.arch}`]
  if (!plat) throw new Error(`anvil: unsupported platform ${process.platform}-${process.arch}`)
  const req = createRequire(import.meta.url)
  const wrapper = req.resolve('@foundry-rs/anvil/package.json')
  const pkg = createRequire(wrapper).resolve(`@foundry-rs/anvil-${plat}/package.json`)
  return join(dirname(pkg), 'bin', 'anvil')
}

export type AnvilOptions = { name: string; port: number; evmChainId: number; blockTime: number; logFile?: string }

/**
 * A supervised anvil on 127.0.0.1; healthy when eth_chainId answers with its chain id. The EIP-170 code
 * size limit stays on: MarginEngine's runtime (24,294 bytes at contracts-evm 5522d65) must deploy on a real chain.
 */
export function anvilService(o: AnvilOptions, healthTimeoutMs: number): ServiceSpec {
  const args = ['--host', '127.0.0.1', '--port', String(o.port), '--chain-id', String(o.evmChainId), '--accounts', '10', '--balance', '1000000', '--no-request-size-limit']
  if (o.blockTime > 0) args.push('--block-time', String(o.blockTime))
  return {
    name: o.name,
    command: anvilBinary(),
    args,
    logFile: o.logFile,
    stopTimeoutMs: 3000,
    healthTimeoutMs,
    health: async () => Number(await jsonRpc<string>(`http://127.0.0.1:${o.port}`, 'eth_chainId', [], 500)) === o.evmChainId,
  }
}
