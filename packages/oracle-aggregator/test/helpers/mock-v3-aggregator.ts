import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { Abi, Hex } from 'viem'

let cached: { abi: Abi; bytecode: Hex } | undefined

/**
 * Compiles Chainlink's own MockV3Aggregator (node_modules/@chainlink/contracts/src/v0.8/tests) with
 * solc-js; the npm package ships its ABI but not its bytecode.
 */
export function mockV3Aggregator(): { abi: Abi; bytecode: Hex } {
  if (cached) return cached
  const req = createRequire(import.meta.url)
  const root = dirname(req.resolve('@chainlink/contracts/package.json'))
  const solc = req('solc') as { compile(input: string, opts: { import(p: string): { contents?: string; error?: string } }): string }
  const entry = 'src/v0.8/tests/MockV3Aggregator.sol'
  const input = {
    language: 'Solidity',
    sources: { [entry]: { content: readFileSync(join(root, entry), 'utf8') } },
    settings: { optimizer: { enabled: true, runs: 200 }, outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } } },
  }
  const out = JSON.parse(
    solc.compile(JSON.stringify(input), {
      import: (p) => {
        try {
          return { contents: readFileSync(join(root, p), 'utf8') }
        } catch {
          return { error: `not found: ${p}` }
        }
      },
    }),
  ) as { errors?: { severity: string; formattedMessage: string }[]; contracts: Record<string, Record<string, { abi: Abi; evm: { bytecode: { object: string } } }>> }
  const errs = (out.errors ?? []).filter((e) => e.severity === 'error')
  if (errs.length) throw new Error(errs.map((e) => e.formattedMessage).join('\n'))
  const c = out.contracts[entry]!['MockV3Aggregator']!
  cached = { abi: c.abi, bytecode: `0x${c.evm.bytecode.object}` }
  return cached
}
