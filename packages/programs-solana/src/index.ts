/** @bulwark/programs-solana: program id / PDA handling, instruction builders, account decoders. */
export * from './client/accounts.js';
export * from './client/bytes.js';
export * from './client/errors.js';
export * as instructions from './client/instructions.js';
export * from './client/pdas.js';
export * from './client/vaa.js';
export { linkSbpfV0 } from './linker/link.js';
export { LinkError } from './linker/errors.js';
