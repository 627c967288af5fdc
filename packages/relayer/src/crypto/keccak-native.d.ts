declare module 'keccak/bindings.js' {
  type Hasher = { update(data: Buffer): Hasher; digest(): Buffer }
  const createKeccak: (algorithm: 'keccak256') => Hasher
  export default createKeccak
}
