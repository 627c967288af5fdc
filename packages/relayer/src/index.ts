/**
 * @bulwark/relayer as a library: what `bulwark-relayer start` runs, for tools (the devnet) that
 * start nodes in-process or generate their config files. The polyfill loads first (libp2p on Node 20).
 */
import './polyfill.js'

export { startRelayer, type Relayer, type RelayerOptions, type RelayerEvents } from './relayer.js'
export { ConfigSchema, parseConfig, type RelayerConfig, type RelayerConfigInput, type ChainConfig, type EvmChainConfig, type SolanaChainConfig } from './config.js'
export { createAdapters, emittersOf, defaultWsUrl, type ChainSecrets } from './chains.js'
export { GuardianKey, type GuardianSigner } from './services/signer/guardian-key.js'
export { readKeystore, writeKeystore } from './services/signer/keystore.js'
export { loadOrCreateNodeKey, peerIdOfKey } from './services/network/node-key.js'
export * from './errors.js'
/** A delivery transaction not mined after every fee bump (thrown by the EVM adapter's sender; its nonce is replaced by the next send). */
export { TransactionStuckError } from '@bulwark/contracts-evm'
