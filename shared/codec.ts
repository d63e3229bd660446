// The message layer's value codec: safe, tagged, zero-copy for typed arrays. The byte layout is
// documented in codec/format.ts; encoding and decoding live beside it.

export { MAX_DEPTH } from './codec/format.js';
export { CodecRegistry, defaultRegistry, register, type Class, type ClassCodec } from './codec/registry.js';
export { concatSegments, encode, encodedLength } from './codec/encode.js';
export { decode } from './codec/decode.js';
