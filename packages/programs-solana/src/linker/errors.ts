/** Every way the post-linker can refuse an input object. */
export type LinkErrorCode =
  | 'NotElf64Bpf'
  | 'TruncatedObject'
  | 'WritableData'
  | 'UnknownRelocation'
  | 'UnresolvedSymbol'
  | 'RelocationOutOfRange'
  | 'MissingEntrypoint'
  | 'UnsupportedSection';

/** Raised by the post-linker; `code` names what was wrong, `details` says where. */
export class LinkError extends Error {
  override readonly name = 'LinkError';
  constructor(
    readonly code: LinkErrorCode,
    readonly details: string,
  ) {
    super(`${code}: ${details}`);
  }
}
