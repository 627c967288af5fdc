/**
 * Stands in for @bulwark/contracts-evm's ts/anvil.ts in the bundled CLI (scripts/build.ts): it
 * locates the Foundry binaries at load time, and a relayer never starts anvil.
 */
const absent = (): never => {
  throw new Error('starting anvil is not part of the bundled relayer CLI')
}
export const startAnvil = async (): Promise<never> => absent()
export const freePort = async (): Promise<never> => absent()
