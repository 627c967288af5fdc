/** Writes vectors/*.json at the repository root from core (the reference). */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { generateVectors, serializeVectorFile } from '../src/vectors/index.js'

export const VECTORS_DIR = join(import.meta.dirname, '..', '..', '..', 'vectors')

mkdirSync(VECTORS_DIR, { recursive: true })
for (const [file, content] of Object.entries(generateVectors())) {
  writeFileSync(join(VECTORS_DIR, file), serializeVectorFile(content))
  console.log(`${file}: ${content.cases.length} cases`)
}
