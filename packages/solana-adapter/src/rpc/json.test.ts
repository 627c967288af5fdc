import { describe, expect, it } from 'vitest'
import { stringify } from './json.js'

describe('stringify', () => {
  it('writes bigints as bare integers, beyond 2^53 too, and leaves look-alike strings alone', () => {
    expect(stringify({ a: 18446744073709551615n, b: [1n, 'bigint-x-0'], c: 'x' })).toBe('{"a":18446744073709551615,"b":[1,"bigint-x-0"],"c":"x"}')
  })
})
