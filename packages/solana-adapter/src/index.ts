/** @bulwark/solana-adapter: a local Solana RPC over litesvm and the Solana ChainAdapter. */
export { startSolanaRpc, type SolanaRpcHandle, type SolanaRpcOptions } from './rpc/server.js'
export { LocalChain, type ChainOptions, type Commitment } from './rpc/chain.js'
export { SolanaAdapter, type SolanaAdapterOptions } from './adapter/solana-adapter.js'
export { typedError, nameOfCode, programError } from './adapter/errors.js'
export { emittedMessages, type EmittedMessage } from './adapter/logs.js'
export { AccountChangeIndex, marginOwner, writableAccounts, MARGIN_ACCOUNT_LEN } from './adapter/account-changes.js'
