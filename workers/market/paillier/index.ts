// The marketplace's Paillier library (docs/market.md, "Paillier"): one import for workers,
// flows and tests. Layering: bigint -> modpow/primes -> keys/modulus-proof -> key-format;
// keys -> encoding/randomness -> cipher -> homomorphic/multiexp -> packing/blinding/convert/bytes.

export * from './bigint.js';
export * from './blinding.js';
export * from './bytes.js';
export * from './cipher.js';
export * from './convert.js';
export * from './convert-packed.js';
export * from './encoding.js';
export * from './homomorphic.js';
export * from './key-format.js';
export * from './keys.js';
export * from './modpow.js';
export * from './modulus-proof.js';
export * from './multiexp.js';
export * from './packing.js';
export * from './primes.js';
export * from './randomness.js';
