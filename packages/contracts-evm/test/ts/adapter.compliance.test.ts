import { defineAdapterCompliance } from '@bulwark/core/testing'
import { complianceHarness } from './harness.js'

defineAdapterCompliance('EVM (viem) against anvil', complianceHarness, { timeout: 120_000 })
