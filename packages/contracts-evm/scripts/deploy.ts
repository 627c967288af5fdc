/**
 * CLI: deploy and wire Bulwark to a JSON-RPC endpoint and write the deployment JSON.
 *   RPC_URL (default http://127.0.0.1:8545), PRIVATE_KEY (default anvil key 0),
 *   CHAIN_ID (Wormhole id, default 10002), GUARDIANS (comma-separated addresses, required),
 *   OUT (default deployments/<CHAIN_ID>.json)
 */
import type { Address, Hex } from 'viem'
import { deployBulwark } from '../ts/deploy.js'

const guardians = (process.env.GUARDIANS ?? '').split(',').map((s) => s.trim()).filter(Boolean) as Address[]
if (guardians.length === 0) {
  console.error('GUARDIANS must list at least one guardian address (comma-separated)')
  process.exit(2)
}
const chainId = Number(process.env.CHAIN_ID ?? 10002)
const d = await deployBulwark({
  rpcUrl: process.env.RPC_URL ?? 'http://127.0.0.1:8545',
  ...(process.env.PRIVATE_KEY ? { privateKey: process.env.PRIVATE_KEY as Hex } : {}),
  chainId,
  guardians,
  out: process.env.OUT ?? `deployments/${chainId}.json`,
})
console.log(JSON.stringify(d, null, 2))
