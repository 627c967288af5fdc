import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    fileParallelism: false,
    projects: [
      { test: { name: 'unit', include: ['test/*.test.ts'], exclude: ['test/*.e2e.test.ts'], testTimeout: 30_000 } },
      { test: { name: 'minimal', include: ['test/minimal.e2e.test.ts'], testTimeout: 240_000, hookTimeout: 120_000 } },
      { test: { name: 'full', include: ['test/full.e2e.test.ts'], testTimeout: 300_000, hookTimeout: 240_000 } },
    ],
  },
})
