/** @bulwark/solana-adapter: a local Solana RPC over litesvm and the Solana ChainAdapter. */
export { startSolanaRpc, type SolanaRpcHandle, type SolanaRpcOptions } from './rpc/server.js'
export { LocalChain, type ChainOptions, type Commitment } from './rpc/chain.js'
