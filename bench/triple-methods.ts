// `npx tsx bench/triple-methods.ts`: measures the dealer-free triple methods (OT extension, packed Paillier, BFV) on this machine, as JSON, so the choice among them rests on figures.

import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { chromium } from '@playwright/test';
import { generateRandomKeys } from 'paillier-bigint';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/chromium.js';
import { poolDuo } from '../test/helpers/pools.js';
import { OtGenerator, otTriples } from '../workers/ot/ot-triples.js';
import type { Pool } from '../workers/pool/pool.js';
import { BFV_SRC } from './triple-methods-bfv.js';

const M64 = (1n << 64n) - 1n;
const r1 = (x: number) => Math.round(x * 10) / 10;
const r2 = (x: number) => Math.round(x * 100) / 100;
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Wall and process-CPU milliseconds of f (CPU counts every thread of this process). */
async function timed<T>(f: () => Promise<T> | T): Promise<{ value: T; wallMs: number; cpuMs: number }> {
  const [w, c] = [performance.now(), cpuMs()];
  const value = await f();
  return { value, wallMs: performance.now() - w, cpuMs: cpuMs() - c };
}

function randBig(bits: number): bigint {
  const bytes = crypto.getRandomValues(new Uint8Array(Math.ceil(bits / 8)));
  return BigInt(`0x${Buffer.from(bytes).toString('hex')}`) & ((1n << BigInt(bits)) - 1n);
}

const rand64 = (n: number) => crypto.getRandomValues(new BigUint64Array(n));

// ---------- (a) OT extension: the existing IKNP + Gilboa ----------

async function ot(n: number) {
  const g = poolDuo();
  const [p0, p1] = g.pools as [Pool, Pool];
  try {
    await Promise.all([otTriples(p0, 0, 4096, 'warm'), otTriples(p1, 1, 4096, 'warm')]); // JIT warm-up, not counted
    const before = p0.stats.bytesSent + p1.stats.bytesSent;
    const t = await timed(() => Promise.all([otTriples(p0, 0, n, 'tm'), otTriples(p1, 1, n, 'tm')]));
    const [x, y] = t.value;
    for (let i = 0; i < n; i += 997) {
      if (((x.a[i]! + y.a[i]!) * (x.b[i]! + y.b[i]!) - x.c[i]! - y.c[i]!) & M64)
        throw new Error('OT triple check failed');
    }
    const bytes = p0.stats.bytesSent + p1.stats.bytesSent - before;
    const sessions = await Promise.all([OtGenerator.open(p0, 0, 'tm2'), OtGenerator.open(p1, 1, 'tm2')]);
    const after = await timed(() => Promise.all(sessions.map((s) => s.triples(n))));
    return {
      triples: n,
      wallMs: r1(t.wallMs),
      cpuMs: r1(t.cpuMs),
      triplesPerSec: Math.round((n / t.wallMs) * 1000),
      bytesPerTriple: r1(bytes / n),
      triplesPerSecAfterSetup: Math.round((n / after.wallMs) * 1000),
      ring: 'Z_2^64',
      note: 'otTriples() includes fresh base OTs (~0.5 s)',
    };
  } finally {
    g.close();
  }
}

// ---------- (b) Paillier, 2048-bit n, g = n + 1 ----------

function modInv(a: bigint, m: bigint): bigint {
  let [r0, r1_, s0, s1] = [((a % m) + m) % m, m, 1n, 0n];
  while (r1_ !== 0n) {
    const q = r0 / r1_;
    [r0, r1_] = [r1_, r0 - q * r1_];
    [s0, s1] = [s1, s0 - q * s1];
  }
  if (r0 !== 1n) throw new Error('not invertible');
  return ((s0 % m) + m) % m;
}

/** b^e mod m, fixed 4-bit windows. */
function modPow(b: bigint, e: bigint, m: bigint): bigint {
  const tbl = [1n, b % m];
  for (let i = 2; i < 16; i++) tbl.push((tbl[i - 1]! * tbl[1]!) % m);
  let acc = 1n;
  for (const ch of e.toString(16)) {
    if (acc !== 1n) for (let k = 0; k < 4; k++) acc = (acc * acc) % m;
    const d = parseInt(ch, 16);
    if (d) acc = (acc * tbl[d]!) % m;
  }
  return acc;
}

/** Fixed-base exponentiation base^e (e given as bytes, little-endian) with a table of 8-bit windows. */
function fixedBase(base: bigint, mod: bigint, expBytes: number): (e: Uint8Array) => bigint {
  const table: bigint[][] = [];
  let g = base;
  for (let i = 0; i < expBytes; i++) {
    const row = [1n, g];
    for (let j = 2; j < 256; j++) row.push((row[j - 1]! * g) % mod);
    table.push(row);
    g = (row[255]! * g) % mod;
  }
  return (e) => {
    let acc = 1n;
    for (let i = 0; i < expBytes; i++) if (e[i]) acc = acc === 1n ? table[i]![e[i]!]! : (acc * table[i]![e[i]!]!) % mod;
    return acc;
  };
}

/** Slot width: a0·b1 + b0·a1 < 2^129 plus a mask r < 2^169 (statistical distance 2^-40) fits 170 bits. */
const SLOT = 170;
const SLOTS = Math.floor(2047 / SLOT); // 12 results per 2048-bit plaintext

async function paillier(groups: number) {
  const key = await timed(() => generateRandomKeys(2048, true));
  const { publicKey: pub, privateKey: priv } = key.value;
  const n = pub.n,
    n2 = n * n;
  const p = (priv as unknown as { _p: bigint })._p,
    q = (priv as unknown as { _q: bigint })._q;
  const ctBytes = Math.ceil(n2.toString(16).length / 2); // 512

  // CRT decryption (P0 knows p, q).
  const [p2, q2] = [p * p, q * q];
  const hp = modInv((modPow(n + 1n, p - 1n, p2) - 1n) / p, p),
    hq = modInv((modPow(n + 1n, q - 1n, q2) - 1n) / q, q);
  const qInvP = modInv(q, p);
  const decrypt = (c: bigint) => {
    const mp = (((modPow(c % p2, p - 1n, p2) - 1n) / p) * hp) % p;
    const mq = (((modPow(c % q2, q - 1n, q2) - 1n) / q) * hq) % q;
    return mq + q * (((((mp - mq) % p) + p) * qInvP) % p);
  };
  // DJN randomness: rho = hs^alpha, hs = (-x^2)^n mod n^2 public, alpha of 1024 bits; fixed-base tables for both parties.
  const hs = modPow(n - modPow(randBig(2040), 2n, n), n, n2);
  const tables = await timed(() => fixedBase(hs, n2, 128));
  const rho = tables.value;
  const djnRand = () => rho(crypto.getRandomValues(new Uint8Array(128)));
  const encWith = (m: bigint, r: bigint) => ((1n + m * n) * r) % n2;

  // Micro-costs (mean microseconds).
  const per = async (reps: number, f: () => unknown) =>
    r1(
      ((
        await timed(() => {
          for (let i = 0; i < reps; i++) f();
        })
      ).wallMs *
        1000) /
        reps,
    );
  const c0 = pub.encrypt(5n),
    x64 = randBig(64),
    pre = djnRand();
  const micro = {
    mulModN2Us: await per(2000, () => (c0 * c0) % n2),
    encryptLibraryUs: await per(10, () => pub.encrypt(randBig(64))),
    freshRnModN2Us: await per(10, () => modPow(randBig(2040), n, n2)),
    encryptDjnFixedBaseUs: await per(100, () => encWith(randBig(64), djnRand())),
    encryptPrecomputedRandUs: await per(2000, () => encWith(x64, pre)),
    scalarMul64LibraryUs: await per(100, () => pub.multiply(c0, randBig(64))),
    decryptLibraryUs: await per(10, () => priv.decrypt(c0)),
    decryptCrtUs: await per(20, () => decrypt(c0)),
  };
  if (decrypt(c0) !== 5n || priv.decrypt(encWith(7n, djnRand())) !== 7n) throw new Error('Paillier self-check failed');

  // The protocol, for groups × SLOTS triples. P0 owns the key.
  const T = groups * SLOTS;
  const [a0, b0, a1, b1] = [rand64(T), rand64(T), rand64(T), rand64(T)];
  // P0: Enc(a0_j), Enc(b0_j), 2 ciphertexts per triple.
  const enc = await timed(() =>
    Array.from({ length: T }, (_, j) => [encWith(a0[j]!, djnRand()), encWith(b0[j]!, djnRand())] as const),
  );
  // P1: per group, one packed ciphertext Enc(Σ_j 2^(j·SLOT)·(a0_j·b1_j + b0_j·a1_j + r_j)) by Horner over bits:
  // SLOT - 64 shift squarings per slot, then 64 square-and-multiply steps sharing A_j, B_j, A_j·B_j (Shamir's trick).
  const masks: bigint[] = [];
  const evalP1 = await timed(() => {
    const out: bigint[] = [];
    for (let g = 0; g < groups; g++) {
      let acc = 1n,
        R = 0n;
      for (let s = SLOTS - 1; s >= 0; s--) {
        const j = g * SLOTS + s;
        const [A, B] = enc.value[j]!;
        const AB = (A * B) % n2;
        if (acc !== 1n) for (let k = 0; k < SLOT - 64; k++) acc = (acc * acc) % n2;
        const x = b1[j]!,
          y = a1[j]!;
        for (let bit = 63n; bit >= 0n; bit--) {
          if (acc !== 1n) acc = (acc * acc) % n2;
          const u = (x >> bit) & 1n,
            v = (y >> bit) & 1n;
          if (u && v) acc = (acc * AB) % n2;
          else if (u) acc = (acc * A) % n2;
          else if (v) acc = (acc * B) % n2;
        }
        const r = randBig(169);
        masks[j] = r;
        R = (R << BigInt(SLOT)) + r;
      }
      out.push((acc * encWith(R, djnRand())) % n2); // adding Enc(R) also rerandomizes
    }
    return out;
  });
  // P0: one decryption per group, then slot j mod 2^64.
  const dec = await timed(() => evalP1.value.map(decrypt));
  const mask = (1n << BigInt(SLOT)) - 1n;
  for (let j = 0; j < T; j++) {
    const slot = (dec.value[Math.floor(j / SLOTS)]! >> BigInt((j % SLOTS) * SLOT)) & mask;
    const c0s = (a0[j]! * b0[j]! + slot) & M64,
      c1s = (a1[j]! * b1[j]! - masks[j]!) & M64;
    if ((((a0[j]! + a1[j]!) * (b0[j]! + b1[j]!)) & M64) !== ((c0s + c1s) & M64))
      throw new Error(`Paillier triple ${j} wrong`);
  }
  const wall = enc.wallMs + evalP1.wallMs + dec.wallMs;
  const bytes = T * 2 * ctBytes + groups * ctBytes;
  return {
    n: 2048,
    ciphertextBytes: ctBytes,
    keygenMs: r1(key.wallMs),
    fixedBaseTableMs: r1(tables.wallMs),
    micro,
    protocol: {
      triples: T,
      slotsPerReturnCiphertext: SLOTS,
      slotBits: SLOT,
      p0EncryptMs: r1(enc.wallMs),
      p1EvalMs: r1(evalP1.wallMs),
      p0DecryptMs: r1(dec.wallMs),
      cpuMs: r1(enc.cpuMs + evalP1.cpuMs + dec.cpuMs),
      msPerTriple: { p0Encrypt: r2(enc.wallMs / T), p1Eval: r2(evalP1.wallMs / T), p0Decrypt: r2(dec.wallMs / T) },
      triplesPerSec: r1((T / wall) * 1000),
      bytesPerTriple: r1(bytes / T),
      ring: 'Z_2^64 (integer products, statistically masked)',
      variant:
        'Enc(a0),Enc(b0) unpacked (2 x 512 B); return packed 12 per ciphertext via Horner; DJN fixed-base randomness',
    },
  };
}

// ---------- (c) BFV via node-seal (SEAL 4.1) ----------

/**
 * BFV configurations: the plain primes (product > 2^170) and whether P1 floods the noise (circuit privacy).
 * 3 x 60 bits without flooding is the bare primitive; with flooding it leaves a 0-bit noise budget, so the
 * flooded configuration uses 4 x 45 bits.
 */
const BFV_CONFIGS = [
  { bits: [60, 60, 60], flooding: false },
  { bits: [45, 45, 45, 45], flooding: true },
];

async function bfv(n: number, reps: number) {
  let node: unknown;
  try {
    await (await import('node-seal')).default();
    node = 'loaded';
  } catch (e) {
    node = { error: String((e as Error)?.message ?? e).slice(0, 300), node: process.version, v8: process.versions.v8 };
  }
  // node-seal 7 needs WasmGC and exnref, which Node 20's V8 lacks: measure in Debian's Chromium (the target anyway).
  const browser = await chromium
    .launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true })
    .catch((e: Error) => e);
  if (browser instanceof Error) return { nodeSeal7InNode: node, chromium: { error: browser.message.slice(0, 300) } };
  try {
    const page = await browser.newPage();
    const dist = new URL('../node_modules/node-seal/dist/', import.meta.url);
    await page.route('http://127.0.0.1:9/**', (route) => {
      const name = new URL(route.request().url()).pathname.slice(1);
      if (name === '') return route.fulfill({ body: '<!doctype html><title>bench</title>', contentType: 'text/html' });
      return route.fulfill({
        body: readFileSync(new URL(name, dist)),
        contentType: name.endsWith('.wasm') ? 'application/wasm' : 'text/javascript',
      });
    });
    await page.goto('http://127.0.0.1:9/');
    const runs = [];
    for (const c of BFV_CONFIGS) {
      runs.push({
        ...c,
        ...((await page.evaluate(
          `(async () => (${BFV_SRC})((await import('/index_throws.js')).default, ${n}, ${JSON.stringify(c.bits)}, ${reps}, ${c.flooding}))()`,
        )) as object),
      });
    }
    return { nodeSeal7InNode: node, chromium: browser.version(), runs };
  } finally {
    await browser.close();
  }
}

const out = {
  machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, loadavgAtStart: loadavg().map(r1) },
  otExtension: await ot(50_000),
  paillier: await paillier(20),
  bfv: await bfv(8192, 4),
  loadavgAtEnd: loadavg().map(r1),
};
console.log(JSON.stringify(out, null, 2));
