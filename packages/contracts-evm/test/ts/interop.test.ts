import * as core from '@bulwark/core'
import { UniversalAddress, createVAA, serialize } from '@wormhole-foundation/sdk-definitions'
import { mocks } from '@wormhole-foundation/sdk-definitions/testing'
import { createPublicClient, createWalletClient, http, toHex, type Abi, type Address, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifierAbi } from '../../ts/generated/abi.js'
import { verifierBytecode } from '../../ts/generated/bytecode.js'
import { ANVIL_KEY_0, toBytes32 } from '../../ts/deploy.js'
import { revertErrorName } from '../../ts/errors.js'
import { startAnvil, type AnvilHandle } from '../../ts/anvil.js'
import { deployWormholeCore, type WormholeDeployment } from './wormhole.js'
import { guardianKeys } from './harness.js'

const CHAIN = 10002
const keys = guardianKeys(19, 7)
const addresses = keys.map((k) => core.addressOfPrivateKey(k.privateKey)) as Address[]
const emitter: Hex = toBytes32('0xabababababababababababababababababababab')
const payload = core.encodePayload({ type: 'CollateralLocked', destinationChain: CHAIN, account: toBytes32('0xa11ce'), asset: toBytes32('0xa0b8'), amount: 1_000_000n, depositor: toBytes32('0xd0') })

describe('same bytes both ways: Wormhole core contract and Bulwark Verifier', () => {
  let anvil: AnvilHandle
  let wormhole: WormholeDeployment
  let verifier: Address
  let pub: ReturnType<typeof createPublicClient>

  beforeAll(async () => {
    anvil = await startAnvil()
    pub = createPublicClient({ transport: http(anvil.url) })
    wormhole = await deployWormholeCore(anvil.url, addresses, CHAIN)
    const account = privateKeyToAccount(ANVIL_KEY_0)
    const chain = { id: await pub.getChainId(), name: 'anvil', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [anvil.url] } } } as const
    const wallet = createWalletClient({ account, chain, transport: http(anvil.url) })
    const hash = await wallet.deployContract({ abi: verifierAbi, bytecode: verifierBytecode, args: [{ chainId: CHAIN, governanceChain: 1, governanceEmitter: toBytes32('0x04'), guardianSetOverlap: 86_400, guardians: addresses }] })
    verifier = (await pub.waitForTransactionReceipt({ hash })).contractAddress!
  })

  afterAll(async () => {
    await anvil?.stop()
  })

  const wormholeVerify = async (vaa: Uint8Array) => {
    const [, valid, reason] = (await pub.readContract({ address: wormhole.address, abi: wormhole.abi, functionName: 'parseAndVerifyVM', args: [toHex(vaa)] })) as [unknown, boolean, string]
    return { valid, reason }
  }
  const oursVerify = (vaa: Uint8Array) => pub.readContract({ address: verifier, abi: verifierAbi, functionName: 'parseAndVerify', args: [toHex(vaa)] })

  it("Wormhole's core contract accepts a 13-of-19 VAA signed by core's buildSignedVaa, and so does ours", async () => {
    const body = { timestamp: 1_700_000_000, nonce: 7, emitterChain: 10003, emitterAddress: emitter, sequence: 5n, consistencyLevel: 1, payload }
    const vaa = core.buildSignedVaa(body, 0, keys.slice(0, 13))
    expect(await wormholeVerify(vaa)).toEqual({ valid: true, reason: '' })
    const b = await oursVerify(vaa)
    expect(b.sequence).toBe(5n)
    expect(b.emitterChain).toBe(10003)
    expect(b.payload).toBe(toHex(payload))
    expect(b.bodyHash).toBe(toHex(core.keccak256(core.encodeVaaBody(body))))
  })

  it("our Verifier accepts VAAs signed by the Wormhole SDK's MockGuardians (and Wormhole agrees)", async () => {
    const guardians = new mocks.MockGuardians(0, keys.map((k) => toHex(k.privateKey).slice(2)))
    const unsigned = createVAA('Uint8Array', { guardianSet: 0, timestamp: 1_700_000_001, nonce: 9, emitterChain: 'ArbitrumSepolia', emitterAddress: new UniversalAddress(core.hexToBytes(emitter)), sequence: 77n, consistencyLevel: 1, payload, signatures: [] })
    const signed = serialize(guardians.addSignatures(unsigned, Array.from({ length: 13 }, (_, i) => i)) as typeof unsigned)
    const b = await oursVerify(signed)
    expect(b.sequence).toBe(77n)
    expect(b.nonce).toBe(9)
    expect(b.payload).toBe(toHex(payload))
    expect(await wormholeVerify(signed)).toEqual({ valid: true, reason: '' })
    // all 19 signing works too
    const all = serialize(guardians.addSignatures(createVAA('Uint8Array', { ...unsigned, signatures: [] }) as typeof unsigned) as typeof unsigned)
    expect((await oursVerify(all)).sequence).toBe(77n)
  })

  it('both reject the same tampered bytes', async () => {
    const vaa = core.buildSignedVaa({ timestamp: 1, nonce: 1, emitterChain: 10003, emitterAddress: emitter, sequence: 6n, consistencyLevel: 1, payload }, 0, keys.slice(0, 13))
    const bad = vaa.slice()
    bad[bad.length - 1] = bad[bad.length - 1]! ^ 0x01
    expect((await wormholeVerify(bad)).valid).toBe(false)
    const err = await oursVerify(bad).then(() => undefined, (e) => e)
    expect(revertErrorName(err)).toBe('InvalidSignature')
    const short = core.buildSignedVaa({ timestamp: 1, nonce: 1, emitterChain: 10003, emitterAddress: emitter, sequence: 6n, consistencyLevel: 1, payload }, 0, keys.slice(0, 12))
    expect((await wormholeVerify(short)).valid).toBe(false)
    expect(revertErrorName(await oursVerify(short).then(() => undefined, (e) => e))).toBe('QuorumNotMet')
  })
})
