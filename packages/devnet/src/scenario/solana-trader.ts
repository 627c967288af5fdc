import { addressBytes, decodeConfig, instructions as ix, pdas } from '@bulwark/programs-solana'
import { getCreateAccountInstruction } from '@solana-program/system'
import { getInitializeAccount3Instruction, getMintToInstruction, TOKEN_PROGRAM_ADDRESS } from '@solana-program/token'
import { address, createSolanaRpc, generateKeyPairSigner, type Address, type KeyPairSigner } from '@solana/kit'
import { toHex, type Hex } from 'viem'
import type { DeployedSolana } from '../chains/solana.js'

/** A trader's Solana side: a wallet and a token account of the demo SPL token. */
export class SolanaWallet {
  private constructor(readonly s: DeployedSolana, readonly owner: KeyPairSigner, readonly token: Address) {}

  /** A funded wallet holding `amount` of the demo token (minted by the admin). */
  static async create(s: DeployedSolana, amount: bigint): Promise<SolanaWallet> {
    const [owner, token] = await Promise.all([generateKeyPairSigner(), generateKeyPairSigner()])
    await s.fund(owner.address, 10n)
    const rent = await createSolanaRpc(s.rpcUrl).getMinimumBalanceForRentExemption(165n).send()
    await s.send([
      getCreateAccountInstruction({ payer: s.admin, newAccount: token, lamports: rent, space: 165n, programAddress: TOKEN_PROGRAM_ADDRESS }),
      getInitializeAccount3Instruction({ account: token.address, mint: address(s.mint), owner: owner.address }),
      getMintToInstruction({ mint: address(s.mint), token: token.address, mintAuthority: s.admin, amount }),
    ])
    return new SolanaWallet(s, owner, token.address)
  }

  /** The wallet as the bytes32 recipient of a withdrawal back to Solana (the release pays its token account of the mint). */
  get recipient(): Hex {
    return toHex(addressBytes(this.owner.address))
  }

  /** lock_collateral: `amount` for `account` (bytes32) on `destinationChain`; returns the message sequence. */
  async lock(amount: bigint, destinationChain: number, account: Hex): Promise<bigint> {
    const P = address(this.s.programId)
    const config = await pdas.config(P)
    const seq = decodeConfig(await accountData(this.s.rpcUrl, config)).messageSequence
    const mintBytes = addressBytes(address(this.s.mint))
    await this.s.send(
      [ix.lockCollateral(P, { depositor: this.owner, config, asset: await pdas.asset(P, mintBytes), source: this.token, vault: await pdas.vault(P, mintBytes), message: await pdas.message(P, seq) }, {
        amount, destinationChain, account: Uint8Array.from(Buffer.from(account.slice(2), 'hex')), nonce: 0,
      })],
      this.owner,
    )
    return seq
  }

  balance(): Promise<bigint> {
    return tokenBalance(this.s.rpcUrl, this.token)
  }
}

/** The program's vault of the demo token (a token account owned by the program's authority). */
export async function solanaVaultBalance(s: DeployedSolana): Promise<bigint> {
  return tokenBalance(s.rpcUrl, await pdas.vault(address(s.programId), addressBytes(address(s.mint))))
}

async function accountData(rpcUrl: string, a: Address): Promise<Uint8Array> {
  const { value } = await createSolanaRpc(rpcUrl).getAccountInfo(a, { encoding: 'base64', commitment: 'confirmed' }).send()
  if (!value) throw new Error(`solana account ${a} does not exist`)
  return new Uint8Array(Buffer.from(value.data[0], 'base64'))
}

/** SPL token account amount (u64 little-endian at offset 64). */
async function tokenBalance(rpcUrl: string, a: Address): Promise<bigint> {
  const d = await accountData(rpcUrl, a)
  return new DataView(d.buffer, d.byteOffset).getBigUint64(64, true)
}
