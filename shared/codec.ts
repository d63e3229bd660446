// The message layer's value codec: safe, tagged, zero-copy for typed arrays. The byte layout is
// documented in codec/format.ts; encoding and decoding live beside it.

export { decode } from './codec/decode.js';
export { concatSegments, encode, encodedLength } from './codec/encode.js';
export { MAX_DEPTH } from './codec/format.js';
export { type Class, type ClassCodec, CodecRegistry, defaultRegistry, register } from './codec/registry.js';
