/**
 * litesvm's transaction errors as the JSON TransactionError objects a Solana RPC returns
 * (`"BlockhashNotFound"`, `{ "InstructionError": [0, { "Custom": 22 }] }`, ...).
 */
import type { FailedTransactionMetadata } from 'litesvm'

/** Solana's TransactionError variants without fields, in litesvm's enum order. */
const TX_FIELDLESS = [
  'AccountInUse', 'AccountLoadedTwice', 'AccountNotFound', 'ProgramAccountNotFound', 'InsufficientFundsForFee',
  'InvalidAccountForFee', 'AlreadyProcessed', 'BlockhashNotFound', 'CallChainTooDeep', 'MissingSignatureForFee',
  'InvalidAccountIndex', 'SignatureFailure', 'InvalidProgramForExecution', 'SanitizeFailure', 'ClusterMaintenance',
  'AccountBorrowOutstanding', 'WouldExceedMaxBlockCostLimit', 'UnsupportedVersion', 'InvalidWritableAccount',
  'WouldExceedMaxAccountCostLimit', 'WouldExceedAccountDataBlockLimit', 'TooManyAccountLocks',
  'AddressLookupTableNotFound', 'InvalidAddressLookupTableOwner', 'InvalidAddressLookupTableData',
  'InvalidAddressLookupTableIndex', 'InvalidRentPayingAccount', 'WouldExceedMaxVoteCostLimit',
  'WouldExceedAccountDataTotalLimit', 'MaxLoadedAccountsDataSizeExceeded', 'ResanitizationNeeded',
  'InvalidLoadedAccountsDataSizeLimit', 'UnbalancedTransaction', 'ProgramCacheHitMaxLimit', 'CommitCancelled',
] as const

/** Solana's InstructionError variants without fields, in litesvm's enum order. */
const IX_FIELDLESS = [
  'GenericError', 'InvalidArgument', 'InvalidInstructionData', 'InvalidAccountData', 'AccountDataTooSmall',
  'InsufficientFunds', 'IncorrectProgramId', 'MissingRequiredSignature', 'AccountAlreadyInitialized',
  'UninitializedAccount', 'UnbalancedInstruction', 'ModifiedProgramId', 'ExternalAccountLamportSpend',
  'ExternalAccountDataModified', 'ReadonlyLamportChange', 'ReadonlyDataModified', 'DuplicateAccountIndex',
  'ExecutableModified', 'RentEpochModified', 'NotEnoughAccountKeys', 'AccountDataSizeChanged', 'AccountNotExecutable',
  'AccountBorrowFailed', 'AccountBorrowOutstanding', 'DuplicateAccountOutOfSync', 'InvalidError', 'ExecutableDataModified',
  'ExecutableLamportChange', 'ExecutableAccountNotRentExempt', 'UnsupportedProgramId', 'CallDepth', 'MissingAccount',
  'ReentrancyNotAllowed', 'MaxSeedLengthExceeded', 'InvalidSeeds', 'InvalidRealloc', 'ComputationalBudgetExceeded',
  'PrivilegeEscalation', 'ProgramEnvironmentSetupFailure', 'ProgramFailedToComplete', 'ProgramFailedToCompile',
  'Immutable', 'IncorrectAuthority', 'AccountNotRentExempt', 'InvalidAccountOwner', 'ArithmeticOverflow',
  'UnsupportedSysvar', 'IllegalOwner', 'MaxAccountsDataAllocationsExceeded', 'MaxAccountsExceeded',
  'MaxInstructionTraceLengthExceeded', 'BuiltinProgramsMustConsumeComputeUnits', 'BorshIoError',
] as const

/** A TransactionError in the RPC's JSON shape. */
export type JsonTransactionError = string | Record<string, unknown>

type Obj = Record<string, unknown>

function instructionError(e: unknown): unknown {
  if (typeof e === 'number') return IX_FIELDLESS[e] ?? 'GenericError'
  const o = e as Obj
  if (typeof o.code === 'number') return { Custom: o.code }
  if (typeof o.msg === 'string') return { BorshIoError: o.msg }
  return 'GenericError'
}

/** Converts litesvm's `err()` value (a const-enum number or a small class) to the RPC's JSON. */
export function toJsonError(err: ReturnType<FailedTransactionMetadata['err']>): JsonTransactionError {
  if (typeof err === 'number') return TX_FIELDLESS[err] ?? 'SanitizeFailure'
  const o = err as unknown as Obj & { err?: () => unknown }
  const ctor = (err as object).constructor?.name ?? ''
  if (typeof o.err === 'function' && typeof o.index === 'number') return { InstructionError: [o.index, instructionError(o.err())] }
  if (ctor.includes('DuplicateInstruction')) return { DuplicateInstruction: o.index }
  if (ctor.includes('InsufficientFundsForRent')) return { InsufficientFundsForRent: { account_index: o.accountIndex } }
  if (ctor.includes('ProgramExecutionTemporarilyRestricted')) return { ProgramExecutionTemporarilyRestricted: { account_index: o.accountIndex } }
  return String(err)
}

/** The human-readable text the RPC puts in a preflight failure's message. */
export function describeError(err: JsonTransactionError): string {
  if (typeof err === 'string') return err
  const ie = (err as Obj).InstructionError as [number, unknown] | undefined
  if (ie) {
    const [index, inner] = ie
    const text = typeof inner === 'object' && inner && 'Custom' in inner
      ? `custom program error: 0x${(inner as { Custom: number }).Custom.toString(16)}`
      : String(typeof inner === 'string' ? inner : JSON.stringify(inner))
    return `Error processing Instruction ${index}: ${text}`
  }
  return JSON.stringify(err)
}
