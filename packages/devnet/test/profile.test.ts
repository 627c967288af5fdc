import { RISK_PROFILE } from '@bulwark/core'
import { describe, expect, it } from 'vitest'
import { PERP_MARKETS } from '../src/chains/deploy.js'
import { FULL, MINIMAL, parseProfile, targetHealthWad } from '../src/profile.js'

describe('risk defaults of the devnet', () => {
  it("liquidates to RISK_PROFILE's target health 1.5 unless the profile says otherwise; 0 keeps the close factor", () => {
    for (const p of [FULL, MINIMAL]) {
      const parsed = parseProfile(p)
      expect(parsed.liquidationTargetHealth).toBe(1.5)
      expect(targetHealthWad(parsed.liquidationTargetHealth)).toBe(RISK_PROFILE.liquidation.targetHealth)
    }
    expect(targetHealthWad(parseProfile({ ...MINIMAL, liquidationTargetHealth: 0 }).liquidationTargetHealth)).toBe(0n)
    expect(targetHealthWad(parseProfile({ ...MINIMAL, liquidationTargetHealth: 2 }).liquidationTargetHealth)).toBe(2n * 10n ** 18n)
  })

  it('refuses a bad target health, naming the field', () => {
    for (const bad of [0.5, -1, 1001]) expect(() => parseProfile({ ...MINIMAL, liquidationTargetHealth: bad })).toThrowError(/profile field liquidationTargetHealth: liquidationTargetHealth must be 0 \(off\) or in \[1, 1000\]/)
  })

  it("lists the perp markets on RISK_PROFILE's margins (imf 6%, mmf 3%)", () => {
    expect(PERP_MARKETS.map((m) => m.id)).toEqual([1, 3])
    for (const m of PERP_MARKETS) expect({ imf: m.imf, mmf: m.mmf }).toEqual(RISK_PROFILE.market)
  })
})
