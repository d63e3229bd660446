// What `npm run bench:join-prf` runs in each place (Node, and a worker of the Chromium page
// bench/join-prf-page.ts): the private join's per-key costs before any cuckoo hashing or OKVS,
// for N keys — key normalisation, hashing to curve25519 (RFC 9380 RO, the join's choice, and NU
// for comparison), raw WebCrypto X25519 throughput sequential and in concurrent chunks, and the
// OPRF steps (B's own evaluation; A's blind, B's evaluation of A's points, A's unblind). Times
// are wall-clock ms of one call after a small warm-up; a correctness check runs on the full set.
// The pipelined figures chunk the keys so that hashing (JS on this thread) overlaps the X25519
// operations (WebCrypto, off this thread): what a join that streams its OPRF in chunks would see
// (the blinded chain runs both parties' steps in this one place, so it is an upper bound).

import { encodeToCurve, hashToCurve } from '../../workers/join/hash-to-curve.js';
import { normaliseKeys } from '../../workers/join/keys.js';
import { OprfBlinding, OprfKey } from '../../workers/join/oprf.js';

const KEYS = 100_000;
const CHUNKS = [1, 64, 512, 4096];
const RAW_OPS = 20_000;
/** Keys per chunk in the pipelined figures. */
const PIPELINE_CHUNK = 5000;

export interface JoinPrfFigures {
  keys: number;
  ms: Record<string, number>;
  /** X25519 operations per second, by Promise.all chunk size (1 = sequential). */
  x25519PerSecond: Record<string, number>;
  /** unblind(evaluate(blind(H))) equals evaluate(H) on every key. */
  oprfConsistent: boolean;
}

const round = (x: number) => Math.round(x * 10) / 10;

async function timed<T>(figures: Record<string, number>, name: string, run: () => T | Promise<T>): Promise<T> {
  const t = performance.now();
  const out = await run();
  figures[name] = round(performance.now() - t);
  return out;
}

/** ops X25519 operations (import the peer point, derive 32 bytes), `chunk` at a time. */
async function rawX25519(points: Uint8Array, ops: number, chunk: number): Promise<number> {
  const subtle = globalThis.crypto.subtle;
  const { privateKey } = (await subtle.generateKey({ name: 'X25519' }, false, ['deriveBits'])) as CryptoKeyPair;
  const one = async (i: number) => {
    const peer = await subtle.importKey('raw', points.slice(32 * i, 32 * i + 32), { name: 'X25519' }, false, []);
    return subtle.deriveBits({ name: 'X25519', public: peer }, privateKey, 256);
  };
  const t = performance.now();
  for (let start = 0; start < ops; start += chunk) {
    await Promise.all(Array.from({ length: Math.min(chunk, ops - start) }, (_, j) => one(start + j)));
  }
  return Math.round(ops / ((performance.now() - t) / 1000));
}

export async function measureJoinPrf(log: (msg: string) => void, n = KEYS): Promise<JoinPrfFigures> {
  const ms: Record<string, number> = {};
  const raw = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? i : ` Customer-${i}@Example.com`));
  const dst = new TextEncoder().encode('parley-bench-join-prf');
  hashToCurve(normaliseKeys(raw.slice(0, 500), { trim: true, caseFold: true }), dst); // warm-up
  encodeToCurve(normaliseKeys(raw.slice(0, 500), { trim: true, caseFold: true }), dst);
  const keys = await timed(ms, 'normaliseKeys', () => normaliseKeys(raw, { trim: true, caseFold: true }));
  log(`normaliseKeys ${ms.normaliseKeys} ms`);
  const hashed = await timed(ms, 'hashToCurveRO', () => hashToCurve(keys, dst));
  log(`hashToCurve (RO) ${ms.hashToCurveRO} ms`);
  await timed(ms, 'encodeToCurveNU', () => encodeToCurve(keys, dst));
  log(`encodeToCurve (NU) ${ms.encodeToCurveNU} ms`);

  const x25519PerSecond: Record<string, number> = {};
  for (const chunk of CHUNKS) {
    x25519PerSecond[String(chunk)] = await rawX25519(hashed, Math.min(RAW_OPS, n), chunk);
    log(`X25519 in chunks of ${chunk}: ${x25519PerSecond[String(chunk)]} ops/s`);
  }

  const key = await OprfKey.create();
  const blinding = await OprfBlinding.create();
  const own = await timed(ms, 'oprfEvaluateOwn', () => key.evaluate(hashed));
  const blinded = await timed(ms, 'oprfBlind', () => blinding.blind(hashed));
  const answered = await timed(ms, 'oprfEvaluateBlinded', () => key.evaluate(blinded));
  const unblinded = await timed(ms, 'oprfUnblind', () => blinding.unblind(answered));
  log(
    `OPRF: own ${ms.oprfEvaluateOwn}, blind ${ms.oprfBlind}, evaluate ${ms.oprfEvaluateBlinded}, unblind ${ms.oprfUnblind} ms`,
  );
  const oprfConsistent = own.length === unblinded.length && own.every((b, i) => b === unblinded[i]);

  // The same work in chunks, each chunk's X25519 running while the next chunk hashes.
  const chunked = async (steps: (h: Uint8Array) => Promise<Uint8Array>) => {
    const pending: Promise<Uint8Array>[] = [];
    for (let start = 0; start < n; start += PIPELINE_CHUNK) {
      pending.push(steps(hashToCurve(keys.slice(start, start + PIPELINE_CHUNK), dst)));
      await new Promise((ok) => setTimeout(ok, 0)); // let finished X25519 operations resume
    }
    return Promise.all(pending);
  };
  await timed(ms, 'pipelinedHashEvaluateOwn', () => chunked((h) => key.evaluate(h)));
  await timed(ms, 'pipelinedHashBlindEvaluateUnblind', () =>
    chunked(async (h) => blinding.unblind(await key.evaluate(await blinding.blind(h)))),
  );
  log(
    `pipelined: hash+own ${ms.pipelinedHashEvaluateOwn}, hash+blind+evaluate+unblind ${ms.pipelinedHashBlindEvaluateUnblind} ms`,
  );
  return { keys: n, ms, x25519PerSecond, oprfConsistent };
}
