import { join } from 'node:path'
import { bundle } from './bundle.js'

/**
 * `pnpm build`: dist/bulwark-relayer.mjs, the CLI as one plain-JavaScript file (run with
 * `node dist/bulwark-relayer.mjs start --config <file>`): no tsx loader thread and no TypeScript
 * transform at start, ~half the RSS of bin/bulwark-relayer (see the README's benchmark table).
 * Native bindings stay external; the chain packages are bundled (litesvm, which only the Solana
 * package's local RPC server uses, is replaced by scripts/litesvm-stub.ts, and contracts-evm's anvil launcher by scripts/anvil-stub.ts).
 */
const out = await bundle(join(import.meta.dirname, '..', 'bin', 'cli.ts'), 'bulwark-relayer.mjs', {
  external: ['classic-level', 'level', 'secp256k1', 'keccak'],
  alias: { litesvm: join(import.meta.dirname, 'litesvm-stub.ts') },
  replace: [{ importer: /contracts-evm[\\/]ts[\\/]index\.ts$/, path: /^\.\/anvil\.js$/, with: join(import.meta.dirname, 'anvil-stub.ts') }],
})
console.log(out)
