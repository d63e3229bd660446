// The WebAssembly half of shared/ring128.ts: Z_2^128 add, sub, mul and the matrix product on
// 2-word elements (low word first), in the MVP instruction set (scalar i64). Chosen over plain
// BigInt, lowered BigInt words and 32-bit limbs by `npm run bench:ring` (figures in ring128.ts).
// The module is written out as bytes, as workers/ot/silent/wasm-simd.ts does for ChaCha (no
// toolchain is a dependency). Wasm has no 64×64→128 multiply (the wide-arithmetic proposal's
// i64.mul_wide_u is not in Node 20; wideArithmeticSupported lets the bench ask Chromium), so the
// high word of aL·bL is built from 32-bit halves loaded with i64.load32_u.
//
// The kernels work on byte offsets into the module's own memory: the wrappers here copy inputs
// in and the result out, element-wise in chunks of CHUNK elements so the copies stay in cache.
// They check nothing; shared/ring128.ts checks every input before calling them.

const CHUNK = 4096;

// ---- a minimal emitter ---------------------------------------------------------------------

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function sleb(v: bigint): number[] {
  const out: number[] = [];
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    if ((v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0)) return [...out, b];
    out.push(b | 0x80);
  }
}

const [GET, SET, TEE] = [0x20, 0x21, 0x22];
const [I32C, I64C] = [0x41, 0x42];
const [I32_ADD, I32_SUB, I32_EQZ] = [0x6a, 0x6b, 0x45];
const [ADD, SUB, MUL, AND, OR, SHL, SHRS, SHRU] = [0x7c, 0x7d, 0x7e, 0x83, 0x84, 0x86, 0x87, 0x88];
const [NE, LTU, GTU, EXTU] = [0x52, 0x54, 0x56, 0xad];
const [BLOCK, LOOP, BR, BR_IF, END, VOID] = [0x02, 0x03, 0x0c, 0x0d, 0x0b, 0x40];

const get = (l: number) => [GET, ...leb(l)];
const set = (l: number) => [SET, ...leb(l)];
const tee = (l: number) => [TEE, ...leb(l)];
const i32 = (n: number) => [I32C, ...sleb(BigInt(n))];
const i64 = (n: bigint) => [I64C, ...sleb(BigInt.asIntN(64, n))];
const load = (ptr: number, off: number) => [...get(ptr), 0x29, 3, ...leb(off)];
const load32u = (ptr: number, off: number) => [...get(ptr), 0x35, 2, ...leb(off)];
/** Stores the i64 that `value` leaves on the stack at ptr + off. */
const store = (ptr: number, off: number, value: number[]) => [...get(ptr), ...value, 0x37, 3, ...leb(off)];
const M32 = i64(0xffffffffn);
const shr32 = (v: number[]) => [...v, ...i64(32n), SHRU];
const lo32 = (v: number[]) => [...v, ...M32, AND];

/** while (count != 0) { body; ptr_i += step_i; count -= 1 } */
function loop(count: number, steps: [number, number][], body: number[]): number[] {
  return [
    ...[BLOCK, VOID, LOOP, VOID, ...get(count), I32_EQZ, BR_IF, 1],
    ...body,
    ...steps.flatMap(([p, s]) => [...get(p), ...i32(s), I32_ADD, ...set(p)]),
    ...[...get(count), ...i32(1), I32_SUB, ...set(count), BR, 0, END, END],
  ];
}

interface Func {
  name: string;
  params: number;
  i32Locals: number;
  i64Locals: number;
  code: number[];
}

function moduleBytes(funcs: Func[]): Uint8Array<ArrayBuffer> {
  const vec = (items: number[][]) => [...leb(items.length), ...items.flat()];
  const section = (id: number, body: number[]) => [id, ...leb(body.length), ...body];
  const name = (s: string) => [...leb(s.length), ...[...s].map((c) => c.charCodeAt(0))];
  const bodies = funcs.map((f) => {
    const body = [
      ...vec([
        [...leb(f.i32Locals), 0x7f],
        [...leb(f.i64Locals), 0x7e],
      ]),
      ...f.code,
      END,
    ];
    return [...leb(body.length), ...body];
  });
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec(funcs.map((f) => [0x60, ...vec(Array.from({ length: f.params }, () => [0x7f])), 0]))),
    ...section(3, vec(funcs.map((_, i) => leb(i)))),
    ...section(5, vec([[0x00, 1]])),
    ...section(7, vec([[...name('mem'), 2, 0], ...funcs.map((f, i) => [...name(f.name), 0, ...leb(i)])])),
    ...section(10, vec(bodies)),
  ]);
}

// ---- the kernels ---------------------------------------------------------------------------

// Element-wise: params o, a, b, n; i64 locals from 4.
const [O, A, B, N] = [0, 1, 2, 3];

const addCode = (op: number, carry: number) => {
  const x = 4;
  return loop(
    N,
    [
      [O, 16],
      [A, 16],
      [B, 16],
    ],
    [
      ...store(O, 0, [...load(A, 0), ...load(B, 0), op, ...tee(x)]),
      // carry of the low words: sum < a (add), borrow: a < b (sub)
      ...store(O, 8, [
        ...load(A, 8),
        ...load(B, 8),
        op,
        ...(carry === LTU ? [...get(x), ...load(A, 0), LTU] : [...load(B, 0), ...load(A, 0), GTU]),
        EXTU,
        op,
      ]),
    ],
  );
};

/**
 * Low 128 bits of (aH·2^64 + aL)(bH·2^64 + bL) = aL·bL + 2^64·(aL·bH + aH·bL) mod 2^128, where the
 * high word of aL·bL is a1·b1 + ⌊(a0·b0 >> 32 + lo(a0·b1) + lo(a1·b0)) / 2^32⌋ + hi(a0·b1) + hi(a1·b0).
 */
const mulCode = () => {
  const [a0, a1, b0, b1, p01, p10, mid] = [4, 5, 6, 7, 8, 9, 10];
  return loop(
    N,
    [
      [O, 16],
      [A, 16],
      [B, 16],
    ],
    [
      ...load32u(A, 0),
      ...set(a0),
      ...load32u(A, 4),
      ...set(a1),
      ...load32u(B, 0),
      ...set(b0),
      ...load32u(B, 4),
      ...set(b1),
      ...get(a0),
      ...get(b1),
      MUL,
      ...set(p01),
      ...get(a1),
      ...get(b0),
      MUL,
      ...set(p10),
      ...shr32([...get(a0), ...get(b0), MUL]),
      ...lo32(get(p01)),
      ADD,
      ...lo32(get(p10)),
      ADD,
      ...set(mid),
      ...store(O, 0, [...load(A, 0), ...load(B, 0), MUL]),
      ...store(O, 8, [
        ...get(a1),
        ...get(b1),
        MUL,
        ...shr32(get(p01)),
        ADD,
        ...shr32(get(p10)),
        ADD,
        ...shr32(get(mid)),
        ADD,
        ...load(A, 0),
        ...load(B, 8),
        MUL,
        ADD,
        ...load(A, 8),
        ...load(B, 0),
        MUL,
        ADD,
      ]),
    ],
  );
};

/**
 * out (m×n) = a (m×k) · bt (n×k, b transposed), every element 16 bytes. Per output, c0 and c1 sum
 * the parts of weight 1 and 2^32 exactly (each term adds < 3·2^32, so k < 2^29), and h the parts of
 * weight 2^64 mod 2^64; the result is c0 + 2^32·c1 + 2^64·h.
 */
const matmulCode = () => {
  const [o, a, bt, m, k, n] = [0, 1, 2, 3, 4, 5];
  const [i, j, p, pa, pb, ar] = [6, 7, 8, 9, 10, 11];
  const [c0, c1, h, p00, p01, p10, t] = [12, 13, 14, 15, 16, 17, 18];
  const prod = (x: number, y: number) => [...load32u(pa, x), ...load32u(pb, y), MUL];
  const inner = loop(
    p,
    [
      [pa, 16],
      [pb, 16],
    ],
    [
      ...prod(0, 0),
      ...set(p00),
      ...prod(0, 4),
      ...set(p01),
      ...prod(4, 0),
      ...set(p10),
      ...get(c0),
      ...lo32(get(p00)),
      ADD,
      ...set(c0),
      ...get(c1),
      ...shr32(get(p00)),
      ADD,
      ...lo32(get(p01)),
      ADD,
      ...lo32(get(p10)),
      ADD,
      ...set(c1),
      ...get(h),
      ...prod(4, 4),
      ADD,
      ...shr32(get(p01)),
      ADD,
      ...shr32(get(p10)),
      ADD,
      ...load(pa, 0),
      ...load(pb, 8),
      MUL,
      ADD,
      ...load(pa, 8),
      ...load(pb, 0),
      MUL,
      ADD,
      ...set(h),
    ],
  );
  const column = [
    ...i64(0n),
    ...set(c0),
    ...i64(0n),
    ...set(c1),
    ...i64(0n),
    ...set(h),
    ...get(ar),
    ...set(pa),
    ...get(k),
    ...set(p),
    ...inner,
    ...shr32(get(c0)),
    ...get(c1),
    ADD,
    ...set(t),
    ...store(o, 0, [...lo32(get(c0)), ...get(t), ...i64(32n), SHL, OR]),
    ...store(o, 8, [...get(h), ...shr32(get(t)), ADD]),
  ];
  const row = [...get(bt), ...set(pb), ...get(n), ...set(j), ...loop(j, [[o, 16]], column)];
  return [
    ...get(a),
    ...set(ar),
    ...get(m),
    ...set(i),
    ...loop(i, [], [...row, ...get(ar), ...get(k), ...i32(4), 0x74 /* i32.shl */, I32_ADD, ...set(ar)]),
  ];
};

/** −a: lo = −aL, hi = −aH − (aL ≠ 0). Params o, a, (unused), n. */
const negCode = () =>
  loop(
    N,
    [
      [O, 16],
      [A, 16],
    ],
    [
      ...store(O, 0, [...i64(0n), ...load(A, 0), SUB]),
      ...store(O, 8, [...i64(0n), ...load(A, 8), SUB, ...load(A, 0), ...i64(0n), NE, EXTU, SUB]),
    ],
  );

/**
 * a >> s for 1 ≤ s ≤ 63 (`high` false) or a >> (64 + s) for 0 ≤ s ≤ 63 (`high` true), signed
 * (SHRS) or unsigned (SHRU). Params o, a, s, n (wasm takes shift counts mod 64, hence the ranges).
 */
const shiftCode = (shr: number, high: boolean) => {
  const s = 4;
  const fill = shr === SHRS ? [...load(A, 8), ...i64(63n), SHRS] : i64(0n);
  const body = high
    ? [...store(O, 0, [...load(A, 8), ...get(s), shr]), ...store(O, 8, fill)]
    : [
        ...store(O, 0, [...load(A, 0), ...get(s), SHRU, ...load(A, 8), ...i64(64n), ...get(s), SUB, SHL, OR]),
        ...store(O, 8, [...load(A, 8), ...get(s), shr]),
      ];
  return [
    ...get(2),
    EXTU,
    ...set(s),
    ...loop(
      N,
      [
        [O, 16],
        [A, 16],
      ],
      body,
    ),
  ];
};

const BYTES = moduleBytes([
  { name: 'neg', params: 4, i32Locals: 0, i64Locals: 0, code: negCode() },
  { name: 'sra', params: 4, i32Locals: 0, i64Locals: 1, code: shiftCode(SHRS, false) },
  { name: 'srl', params: 4, i32Locals: 0, i64Locals: 1, code: shiftCode(SHRU, false) },
  { name: 'sraHigh', params: 4, i32Locals: 0, i64Locals: 1, code: shiftCode(SHRS, true) },
  { name: 'srlHigh', params: 4, i32Locals: 0, i64Locals: 1, code: shiftCode(SHRU, true) },
  { name: 'add', params: 4, i32Locals: 0, i64Locals: 1, code: addCode(ADD, LTU) },
  { name: 'sub', params: 4, i32Locals: 0, i64Locals: 1, code: addCode(SUB, GTU) },
  { name: 'mul', params: 4, i32Locals: 0, i64Locals: 7, code: mulCode() },
  { name: 'matmul', params: 6, i32Locals: 6, i64Locals: 7, code: matmulCode() },
]);

interface Exports {
  mem: WebAssembly.Memory;
  add(o: number, a: number, b: number, n: number): void;
  sub(o: number, a: number, b: number, n: number): void;
  mul(o: number, a: number, b: number, n: number): void;
  neg(o: number, a: number, b: number, n: number): void;
  sra(o: number, a: number, s: number, n: number): void;
  srl(o: number, a: number, s: number, n: number): void;
  sraHigh(o: number, a: number, s: number, n: number): void;
  srlHigh(o: number, a: number, s: number, n: number): void;
  matmul(o: number, a: number, bt: number, m: number, k: number, n: number): void;
}

let instance: Exports | undefined;
function wasm(): Exports {
  instance ??= new WebAssembly.Instance(new WebAssembly.Module(BYTES)).exports as unknown as Exports;
  return instance;
}

/** The memory as 64-bit words, grown to at least `words` words. */
function words(words: number): BigUint64Array {
  const w = wasm();
  const need = words * 8 - w.mem.buffer.byteLength;
  if (need > 0) w.mem.grow(Math.ceil(need / 65536));
  return new BigUint64Array(w.mem.buffer);
}

type Op = 'add' | 'sub' | 'mul' | 'neg' | 'sra' | 'srl' | 'sraHigh' | 'srlHigh';

/**
 * op(a, b) element-wise on 2-word elements. b is another vector, or two words (a scalar used for
 * every element), or a number (the shift count of the shift kernels; neg ignores it).
 */
export function elementwise(op: Op, a: BigUint64Array, b: BigUint64Array | number): BigUint64Array {
  const out = new BigUint64Array(a.length);
  const mem = words(6 * CHUNK);
  const f = wasm()[op];
  const vector = typeof b !== 'number' && (b.length !== 2 || a.length === 2);
  if (typeof b !== 'number' && !vector) for (let i = 0; i < 2 * CHUNK; i += 2) mem.set(b, 2 * CHUNK + i);
  for (let s = 0; s < a.length; s += 2 * CHUNK) {
    const e = Math.min(a.length, s + 2 * CHUNK);
    mem.set(a.subarray(s, e), 0);
    if (vector) mem.set(b.subarray(s, e), 2 * CHUNK);
    f(4 * CHUNK * 8, 0, typeof b === 'number' ? b : 2 * CHUNK * 8, (e - s) / 2);
    out.set(mem.subarray(4 * CHUNK, 4 * CHUNK + e - s), s);
  }
  return out;
}

/** (m×k)·(k×n) of 2-word elements: b is transposed into the module's memory on the way in. */
export function matmul(a: BigUint64Array, b: BigUint64Array, m: number, k: number, n: number): BigUint64Array {
  const mem = words(2 * (m * k + k * n + m * n));
  mem.set(a, 0);
  const bt = 2 * m * k;
  for (let p = 0; p < k; p++) {
    for (let j = 0; j < n; j++) {
      mem[bt + 2 * (j * k + p)] = b[2 * (p * n + j)]!;
      mem[bt + 2 * (j * k + p) + 1] = b[2 * (p * n + j) + 1]!;
    }
  }
  const o = bt + 2 * k * n;
  wasm().matmul(o * 8, 0, bt * 8, m, k, n);
  return mem.slice(o, o + 2 * m * n);
}

/** The module's size in bytes (Chromium compiles at most 4 KiB synchronously on a page's main thread). */
export const WASM_BYTES = BYTES.length;

/** Whether this engine validates a module using i64.mul_wide_u (the wide-arithmetic proposal). */
export function wideArithmeticSupported(): boolean {
  const code = [...get(0), ...get(0), 0xfc, 22, 0x1a, 0x1a];
  const body = [0, ...code, END];
  return WebAssembly.validate(
    new Uint8Array([
      ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
      ...[1, 5, 1, 0x60, 1, 0x7e, 0],
      ...[3, 2, 1, 0],
      ...[10, ...leb(body.length + 2), 1, ...leb(body.length), ...body],
    ]),
  );
}
