/**
 * Stands in for `litesvm` in the bundled CLI (scripts/build.ts): @bulwark/solana-adapter's index
 * also exports its local RPC server, which a relayer never starts; only the adapter is used.
 */
const absent = (): never => {
  throw new Error('litesvm is not part of the bundled relayer CLI (it only talks to a Solana RPC)')
}
export class LiteSVM {
  constructor() {
    absent()
  }
}
export class FailedTransactionMetadata {
  constructor() {
    absent()
  }
}
