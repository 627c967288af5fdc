import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { generateVectors, serializeVectorFile } from './index.js'

const DIR = join(import.meta.dirname, '..', '..', '..', '..', 'vectors')

describe('shared test vectors', () => {
  const generated = generateVectors()

  it('regenerating from core reproduces every committed file byte for byte', () => {
    for (const [file, content] of Object.entries(generated)) {
      const committed = readFileSync(join(DIR, file), 'utf8')
      expect(serializeVectorFile(content), `${file} is stale: run pnpm vectors`).toBe(committed)
    }
  })

  it('has no committed vector file that core does not generate', () => {
    const onDisk = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort()
    expect(onDisk).toEqual(Object.keys(generated).sort())
  })

  it('covers failures as well as successes in every topic that has error paths', () => {
    for (const topic of ['fixed_point.json', 'payloads.json', 'vaa.json', 'margin.json', 'liquidation.json', 'oracle.json']) {
      const cases = generated[topic]!.cases
      expect(cases.some((c) => c.expectError), topic).toBe(true)
      expect(cases.some((c) => c.output !== undefined), topic).toBe(true)
    }
  })
})
