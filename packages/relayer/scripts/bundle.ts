import { createRequire } from 'node:module'
import { join } from 'node:path'

/**
 * Bundles an entry (bench/node.ts, bin/cli.ts) into one ESM file under dist/ with esbuild (the one
 * tsx ships), so a node runs as plain JavaScript: no tsx loader thread, no per-module TypeScript
 * transform or source-map cache. Native and chain packages stay external (loaded from node_modules).
 */
export async function bundle(entry: string, outName: string, o: { external?: string[]; alias?: Record<string, string>; replace?: { importer: RegExp; path: RegExp; with: string }[] } = {}): Promise<string> {
  const external = o.external ?? ['classic-level', 'level', 'secp256k1', 'keccak', 'litesvm', '@bulwark/solana-adapter', '@bulwark/contracts-evm']
  const fromTsx = createRequire(createRequire(import.meta.url).resolve('tsx/package.json'))
  const esbuild = fromTsx('esbuild') as { build(o: Record<string, unknown>): Promise<unknown> }
  const outfile = join(import.meta.dirname, '..', 'dist', outName)
  await esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    external,
    alias: o.alias ?? {},
    plugins: (o.replace ?? []).map((r, i) => ({
      name: `replace-${i}`,
      setup(b: { onResolve(f: { filter: RegExp }, cb: (a: { importer: string }) => { path: string } | undefined): void }) {
        b.onResolve({ filter: r.path }, (a) => (r.importer.test(a.importer) ? { path: r.with } : undefined))
      },
    })),
    banner: { js: "import { createRequire as __bulwarkRequire } from 'node:module'; const require = __bulwarkRequire(import.meta.url);" },
  })
  return outfile
}
