import { WAD } from '@bulwark/core'
import { describe, expect, it } from 'vitest'
import { decimalToWad, scaledToWad } from './decimal.js'

describe('decimalToWad', () => {
  it('is exact for up to 18 decimals and truncates beyond', () => {
    expect(decimalToWad('30300.10000')).toBe(30300n * WAD + WAD / 10n)
    expect(decimalToWad('0.000000000000000001')).toBe(1n)
    expect(decimalToWad('1.0000000000000000019')).toBe(WAD + 1n)
    expect(decimalToWad('42')).toBe(42n * WAD)
  })
  it('rejects anything that is not a plain decimal', () => {
    for (const s of ['', '-1', '1e5', ' 1', '1.', '.5', 'NaN', '0x10', '1,5']) expect(decimalToWad(s)).toBeNull()
    for (const s of [1, null, undefined, {}]) expect(decimalToWad(s)).toBeNull()
  })
})

describe('scaledToWad', () => {
  it('scales Pyth/Chainlink integers', () => {
    expect(scaledToWad(6140993501000n, -8)).toBe(61409935010000000000000n)
    expect(scaledToWad(3n, 2)).toBe(300n * WAD)
    expect(scaledToWad(123456789n, -20)).toBe(1234567n)
  })
})
