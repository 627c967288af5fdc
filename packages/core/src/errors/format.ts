import { defineError } from './base.js'

/** The bytes end before the payload's fixed layout does. */
export class TruncatedPayloadError extends defineError('TruncatedPayload') {}
/** Bytes remain after the payload's fixed layout. */
export class TrailingBytesError extends defineError('TrailingBytes') {}
/** The type byte names no known payload. */
export class UnknownPayloadTypeError extends defineError('UnknownPayloadType') {}
/** The version byte is not one this implementation reads. */
export class UnsupportedVersionError extends defineError('UnsupportedVersion') {}
/** A field holds a value with more than one encoding or outside its range (e.g. a count of 0). */
export class NonCanonicalEncodingError extends defineError('NonCanonicalEncoding') {}
/** The payload exceeds the maximum size. */
export class PayloadTooLargeError extends defineError('PayloadTooLarge') {}
