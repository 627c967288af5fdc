import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const req = createRequire(import.meta.url)

/** tsx's ESM loader, for `node --import <it> file.ts` (one process, no tsx CLI wrapper child). */
export const tsxLoader = (): string => join(dirname(req.resolve('tsx/package.json')), 'dist', 'loader.mjs')

/** A workspace package's folder (via this package's node_modules link). */
export const packageDir = (name: string): string => join(here, '..', '..', 'node_modules', ...name.split('/'))

/** Command line running a TypeScript entry point in one node process. */
export const tsNode = (file: string, args: string[]): { command: string; args: string[] } => ({ command: process.execPath, args: ['--import', tsxLoader(), file, ...args] })
