/** Wire format between oracle nodes (JSON over HTTP on the operators' private network). */
export const SIGN_PATH = '/v1/sign'

/** Leader -> follower: please co-sign these report bodies (hex). */
export type SignRequest = { bodies: string[] }
/** Follower -> leader on success: one signature (hex r||s||v) per body, same order. */
export type SignResponse = { guardianIndex: number; signatures: string[] }
/** Follower -> leader on refusal (HTTP 409 or 400): the typed error's name and field. */
export type SignRefusal = { error: string; field?: string; message: string }
