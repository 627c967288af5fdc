/** Small helpers around @solana/kit for the tests: an rpc pair and a signed-transaction sender. */
import {
  appendTransactionMessageInstructions, createSolanaRpc, createSolanaRpcSubscriptions, createTransactionMessage,
  getBase64EncodedWireTransaction, pipe, sendAndConfirmTransactionFactory, setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash, signTransactionMessageWithSigners, type Instruction, type KeyPairSigner,
} from '@solana/kit'

export function clients(url: string, wsUrl: string) {
  const rpc = createSolanaRpc(url)
  const rpcSubscriptions = createSolanaRpcSubscriptions(wsUrl)
  return { rpc, rpcSubscriptions, sendAndConfirm: sendAndConfirmTransactionFactory({ rpc, rpcSubscriptions }) }
}

export async function signed(rpc: ReturnType<typeof createSolanaRpc>, payer: KeyPairSigner, ixs: Instruction[]) {
  const { value: latest } = await rpc.getLatestBlockhash({ commitment: 'confirmed' }).send()
  const msg = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayerSigner(payer, m),
    (m) => setTransactionMessageLifetimeUsingBlockhash(latest, m),
    (m) => appendTransactionMessageInstructions(ixs, m),
  )
  const tx = await signTransactionMessageWithSigners(msg)
  return { tx, wire: getBase64EncodedWireTransaction(tx) }
}
