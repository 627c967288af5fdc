/**
 * The program instruction that consumes a VAA: credit (CollateralLocked, compact encoding),
 * release (WithdrawalApproved), update_price (PriceReport) or upgrade_guardian_set.
 */
import { decodePayload, hexToBytes, InvalidParameterError, parseVaa, WrongDestinationChainError, type Vaa } from '@bulwark/core'
import { decodeConfig, instructions as ix, pdas } from '@bulwark/programs-solana'
import { getBase58Decoder, type Address, type Instruction, type Rpc, type SolanaRpcApi, type TransactionSigner } from '@solana/kit'

const TOKEN_PROGRAM = 'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA' as Address
const SYSTEM_PROGRAM = '11111111111111111111111111111111' as Address
const b58d = getBase58Decoder()


export type VaaContext = { rpc: Rpc<SolanaRpcApi>; program: Address; payer: TransactionSigner; chainId: number }

const bytesOf = (hex: string) => hexToBytes(hex)
export const addressOfBytes = (b: Uint8Array): Address => b58d.decode(b) as Address

async function exists(ctx: VaaContext, a: Address): Promise<boolean> {
  const { value } = await ctx.rpc.getAccountInfo(a, { encoding: 'base64', commitment: 'confirmed', dataSlice: { offset: 0, length: 0 } }).send()
  return value !== null && value.owner === ctx.program
}

async function configOf(ctx: VaaContext) {
  const a = await pdas.config(ctx.program)
  const { value } = await ctx.rpc.getAccountInfo(a, { encoding: 'base64', commitment: 'confirmed' }).send()
  if (!value) throw new InvalidParameterError(`no Bulwark config account at ${a}: is the program initialized?`, { field: 'program' })
  return { address: a, data: decodeConfig(new Uint8Array(Buffer.from(value.data[0], 'base64'))) }
}

/** A token account owned by `owner` for `mint` (the first one the RPC lists). */
async function tokenAccountOf(ctx: VaaContext, owner: Uint8Array, mint: Uint8Array): Promise<Address> {
  const list = await ctx.rpc.getProgramAccounts(TOKEN_PROGRAM, {
    encoding: 'base64', commitment: 'confirmed', dataSlice: { offset: 0, length: 0 },
    filters: [{ dataSize: 165n }, { memcmp: { offset: 0n, bytes: b58d.decode(mint) as never, encoding: 'base58' } }, { memcmp: { offset: 32n, bytes: b58d.decode(owner) as never, encoding: 'base58' } }],
  }).send()
  if (list.length === 0) throw new InvalidParameterError(`recipient ${b58d.decode(owner)} has no token account for mint ${b58d.decode(mint)}`, { field: 'payload.recipient' })
  return list[0]!.pubkey
}

/** Parses `bytes` (typed errors for malformed input) and builds the instruction that consumes it. */
export async function instructionForVaa(ctx: VaaContext, bytes: Uint8Array): Promise<{ vaa: Vaa; instruction: Instruction; computeUnits: number; stable?: Address[] }> {
  const vaa = parseVaa(bytes)
  const payload = decodePayload(vaa.payload)
  const p = ctx.program
  const consumed = await pdas.consumed(p, bytesOf(vaa.hash))
  const emitterBytes = bytesOf(vaa.emitterAddress)
  const cu = Math.min(1_400_000, 60_000 + 30_000 * vaa.signatures.length)
  switch (payload.type) {
    case 'CollateralLocked': {
      if (payload.destinationChain !== ctx.chainId) {
        throw new WrongDestinationChainError(`VAA is addressed to chain ${payload.destinationChain}, this is chain ${ctx.chainId}`, { field: 'payload.destinationChain' })
      }
      const owner = bytesOf(payload.account)
      const account = await pdas.account(p, owner)
      const data = ix.encodeCompactCredit({
        owner: (await exists(ctx, account)) ? undefined : owner, guardianSetIndex: vaa.guardianSetIndex, body: vaa.body, amount: payload.amount,
        depositor: bytesOf(payload.depositor), sigs: vaa.signatures.map((s) => ({ index: s.guardianIndex, v: s.v, rs: new Uint8Array([...s.r, ...s.s]) })),
      })
      const accounts = {
        config: await pdas.config(p), guardianSet: await pdas.guardianSet(p, vaa.guardianSetIndex),
        emitter: await pdas.emitter(p, vaa.emitterChain, emitterBytes), asset: await pdas.asset(p, bytesOf(payload.asset)),
      }
      const instruction = ix.creditCollateral(p, { payer: ctx.payer, ...accounts, consumed, account }, data)
      // Everything but the per-VAA consumed PDA is reused by later credits: worth a lookup table slot.
      return { vaa, instruction, computeUnits: cu, stable: [...Object.values(accounts), account, SYSTEM_PROGRAM] }
    }
    case 'WithdrawalApproved': {
      const cfg = await configOf(ctx)
      const asset = bytesOf(payload.asset)
      const instruction = ix.releaseCollateral(p, {
        payer: ctx.payer, config: cfg.address, guardianSet: await pdas.guardianSet(p, vaa.guardianSetIndex), emitter: await pdas.emitter(p, vaa.emitterChain, emitterBytes),
        asset: await pdas.asset(p, asset), consumed, vault: await pdas.vault(p, asset), recipient: await tokenAccountOf(ctx, bytesOf(payload.recipient), asset),
        authority: await pdas.authority(p), message: await pdas.message(p, cfg.data.messageSequence),
      }, bytes)
      return { vaa, instruction, computeUnits: cu + 40_000 }
    }
    case 'PriceReport': {
      const markets = await Promise.all(payload.prices.map((e) => pdas.market(p, e.marketId)))
      const instruction = ix.updatePrice(p, { payer: ctx.payer, config: await pdas.config(p), oracleSet: await pdas.oracleSet(p, vaa.guardianSetIndex), markets }, bytes)
      return { vaa, instruction, computeUnits: cu + 20_000 * payload.prices.length }
    }
    case 'GuardianSetUpgrade': {
      const cfg = await configOf(ctx)
      const instruction = ix.upgradeGuardianSet(p, {
        payer: ctx.payer, config: cfg.address, current: await pdas.guardianSet(p, cfg.data.guardianSetIndex), next: await pdas.guardianSet(p, payload.newIndex), consumed,
      }, bytes)
      return { vaa, instruction, computeUnits: cu }
    }
    default:
      throw new InvalidParameterError(`a ${payload.type} VAA is not consumed on Solana`, { field: 'payload.type' })
  }
}


