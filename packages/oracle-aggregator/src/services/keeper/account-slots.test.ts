import type { Hex } from '@bulwark/core'
import { describe, expect, it } from 'vitest'
import { AccountSlots } from './account-slots.js'

const id = (i: number): Hex => `0x${i.toString(16).padStart(64, '0')}`

describe('AccountSlots', () => {
  it('assigns dense slots once per (chain, account), across growth, and maps back', () => {
    const s = new AccountSlots()
    for (let i = 0; i < 5000; i++) expect(s.slot(10002, id(i))).toEqual({ slot: i, fresh: true })
    for (let i = 0; i < 5000; i++) expect(s.slot(10003, id(i)).slot).toBe(5000 + i) // same id, other chain: another account
    for (let i = 0; i < 10_000; i += 997) {
      expect(s.slot(i < 5000 ? 10002 : 10003, id(i % 5000))).toEqual({ slot: i, fresh: false })
      expect(s.accountOf(i)).toBe(id(i % 5000))
      expect(s.chainOf(i)).toBe(i < 5000 ? 10002 : 10003)
    }
    expect(s.get(1, id(1))).toBeUndefined()
    expect(s.size).toBe(10_000)
  })
})
