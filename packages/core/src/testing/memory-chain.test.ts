import { describe, expect, it } from 'vitest'
import { bytesToHex, toBytes32 } from '../format/bytes.js'
import { encodePayload } from '../format/payloads.js'
import { addressOfPrivateKey, buildSignedVaa } from '../format/vaa.js'
import { testGuardianKeys } from '../vectors/vaa.js'
import { defineAdapterCompliance } from './compliance.js'
import { MemoryChain } from './memory-chain.js'

const keys = testGuardianKeys(7)
const foreign = toBytes32('0x00000000000000000000000000000000000000f0')
let seq = 0n

defineAdapterCompliance('MemoryChain (reference double)', async () => {
  const chain = new MemoryChain({ chainId: 10003, emitter: toBytes32('0xbeef'), guardians: keys.map((k) => addressOfPrivateKey(k.privateKey)), registeredEmitters: [`10002:${foreign}`] })
  const account = toBytes32('0x1234')
  return {
    adapter: chain,
    account,
    lock: async (amount) => ({ txHash: chain.lock(10002, account, toBytes32('0xaa'), amount).txHash }),
    advance: async (n) => void Array.from({ length: n }, () => chain.mine()),
    creditVaa: async (acct, amount) =>
      buildSignedVaa(
        { timestamp: 1_700_000_000, nonce: 0, emitterChain: 10002, emitterAddress: foreign, sequence: seq++, consistencyLevel: 1, payload: encodePayload({ type: 'CollateralLocked', destinationChain: 10003, account: acct, asset: toBytes32('0xaa'), amount, depositor: acct }) },
        0,
        keys.slice(0, 5),
      ),
    teardown: async () => {},
  }
})

describe('MemoryChain reorgs', () => {
  it('a reorg replaces block hashes and removes the messages in them', async () => {
    const chain = new MemoryChain({ chainId: 10002, emitter: toBytes32('0x01'), guardians: [bytesToHex(new Uint8Array(20).fill(1))] })
    const m = chain.lock(10003, toBytes32('0x02'), toBytes32('0x03'), 5n)
    chain.reorg(1)
    expect(await chain.getBlockHash(m.height)).not.toBe(m.blockHash)
    expect(await chain.getMessages(m.height, m.height)).toEqual([])
    expect(chain.lock(10003, toBytes32('0x02'), toBytes32('0x03'), 6n).sequence).toBe(m.sequence)
  })
})
