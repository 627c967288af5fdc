declare module 'secp256k1/bindings.js' {
  const native: {
    privateKeyVerify(key: Uint8Array): boolean
    publicKeyCreate(key: Uint8Array, compressed?: boolean): Uint8Array
    ecdsaSign(msg32: Uint8Array, key: Uint8Array): { signature: Uint8Array; recid: number }
    ecdsaRecover(sig: Uint8Array, recid: number, msg32: Uint8Array, compressed?: boolean): Uint8Array
    ecdsaVerify(sig: Uint8Array, msg32: Uint8Array, pub: Uint8Array): boolean
  }
  export default native
}
