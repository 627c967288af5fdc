export { defineAdapterCompliance, type ComplianceHarness } from './compliance.js'
export { MemoryChain, type MemoryChainOptions } from './memory-chain.js'
export { testGuardianKeys } from '../vectors/vaa.js'
export { generateVectors } from '../vectors/index.js'
