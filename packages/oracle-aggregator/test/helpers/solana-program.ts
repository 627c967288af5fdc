import { createRequire } from 'node:module'
import { hexToBytes, type Hex } from '@bulwark/core'
import { instructions as ix, pdas } from '@bulwark/programs-solana'
import { startSolanaRpc, SolanaAdapter, type SolanaRpcHandle } from '@bulwark/solana-adapter'
import {
  address, airdropFactory, appendTransactionMessageInstructions, createSolanaRpc, createSolanaRpcSubscriptions, createTransactionMessage, generateKeyPairSigner,
  lamports, pipe, sendAndConfirmTransactionFactory, setTransactionMessageFeePayerSigner, setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners, type Instruction, type KeyPairSigner,
} from '@solana/kit'

export const PROGRAM = address('Bu1wark111111111111111111111111111111111111')
/** The committed build of the Bulwark program (packages/programs-solana/dist). */
export const PROGRAM_SO = createRequire(import.meta.url).resolve('@bulwark/programs-solana/program.so')
const WAD = 10n ** 18n

/**
 * The real Bulwark Solana program behind @bulwark/solana-adapter's local RPC (litesvm), set up
 * through transactions: initialize with the given oracle signer set and emitter, then markets.
 */
export class SolanaProgram {
  private constructor(readonly server: SolanaRpcHandle, readonly admin: KeyPairSigner, private readonly c: ReturnType<typeof kit>) {}

  static async start(o: { chainId: number; oracleSigners: Hex[]; oracleEmitter: { chain: number; address: Hex }; markets: number[] }): Promise<SolanaProgram> {
    const server = await startSolanaRpc({ programs: [{ id: PROGRAM, path: PROGRAM_SO }] })
    try {
      const p = new SolanaProgram(server, await generateKeyPairSigner(), kit(server))
      await p.fund(p.admin.address)
      const config = await pdas.config(PROGRAM)
      await p.send([ix.initialize(PROGRAM, { admin: p.admin, config, guardianSet: await pdas.guardianSet(PROGRAM, 0), oracleSet: await pdas.oracleSet(PROGRAM, 0) }, {
        chainId: o.chainId, overlap: 86_400, governanceChain: 1, governanceEmitter: hexToBytes(`0x${'04'.repeat(32)}`), oracleChain: o.oracleEmitter.chain,
        oracleEmitter: hexToBytes(o.oracleEmitter.address), priceMaxAge: 60, priceMaxFuture: 5, guardians: o.oracleSigners.map((k) => hexToBytes(k)), oracles: o.oracleSigners.map((k) => hexToBytes(k)),
      })])
      for (const id of o.markets) {
        await p.send([ix.configureMarket(PROGRAM, { admin: p.admin, config, market: await pdas.market(PROGRAM, id) }, {
          id, imf: WAD / 10n, mmf: WAD / 20n, maxMoveBps: 1_500n, window: 300n, haltDuration: 600n, cooldown: 300n, maxOracleGap: 3_600n, liquidationGrace: 120n,
        })])
      }
      return p
    } catch (e) {
      await server.stop()
      throw e
    }
  }

  async fund(to: KeyPairSigner['address']): Promise<void> {
    await airdropFactory(this.c)({ recipientAddress: to, lamports: lamports(100_000_000_000n), commitment: 'confirmed' })
  }

  send(ixs: Instruction[]): Promise<void> {
    return this.sendAs(this.admin, ixs)
  }

  /** Sends `ixs` paid and signed by `signer`, waiting for `confirmed`. */
  async sendAs(signer: KeyPairSigner, ixs: Instruction[]): Promise<void> {
    const { value: latest } = await this.c.rpc.getLatestBlockhash({ commitment: 'confirmed' }).send()
    const msg = pipe(createTransactionMessage({ version: 0 }), (m) => setTransactionMessageFeePayerSigner(signer, m), (m) => setTransactionMessageLifetimeUsingBlockhash(latest, m), (m) => appendTransactionMessageInstructions(ixs, m))
    await this.c.sendAndConfirm((await signTransactionMessageWithSigners(msg)) as never, { commitment: 'confirmed', abortSignal: AbortSignal.timeout(20_000) })
  }

  /** A SolanaAdapter paying with a fresh funded key. */
  async adapter(chainId: number): Promise<SolanaAdapter> {
    const payer = await generateKeyPairSigner()
    await this.fund(payer.address)
    return new SolanaAdapter({ chainId, rpcUrl: this.server.url, wsUrl: this.server.wsUrl, programId: PROGRAM, payer, confirmTimeoutMs: 20_000 })
  }

  stop(): Promise<void> {
    return this.server.stop()
  }
}

function kit(server: SolanaRpcHandle) {
  const rpc = createSolanaRpc(server.url)
  const rpcSubscriptions = createSolanaRpcSubscriptions(server.wsUrl)
  return { rpc, rpcSubscriptions, sendAndConfirm: sendAndConfirmTransactionFactory({ rpc, rpcSubscriptions }) }
}
