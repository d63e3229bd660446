// The marketplace bench page (bench/market.ts bundles it with Vite and drives it over
// window.marketBench): Paillier figures measured in this tab with the crypto pool
// (workers/market/crypto-workers.ts) next to paillier-bigint's single-threaded encryption, and a
// whole purchase between two tabs over the real service and WebRTC. For the purchase the page
// is its own small client: it signs in with the app's Connection, connects a job with the app's
// JobMesh and runs the market job worker's marketSeller / marketBuyer (workers/jobs/market-api.ts), as the
// app will; it needs no UI and no debug handle.

import '../web/src/polyfills.js';
import * as paillier from 'paillier-bigint';
import {
  ciphertextBytes,
  ciphertextsFromBytes,
  decrypt,
  generateKeys,
  privateKeyToBytes,
  proveModulus,
  publicKeyToJson,
  verifyModulus,
} from '../workers/market/paillier/index.js';
import { expectedWeightedSum, join, publish, purchase, seller, serve, sessionStatus } from './market-purchase.js';
import { cryptoPool, median, now, secs, state } from './market-tab.js';

/** Uniform signed integers in [-2^(bits-1), 2^(bits-1)). */
function randomSigned(count: number, bits: number): BigInt64Array {
  const raw = new Uint32Array(count);
  for (let i = 0; i < count; i += 16_384) crypto.getRandomValues(raw.subarray(i, i + 16_384)); // 64 KiB per call at most
  const half = 2 ** (bits - 1);
  return BigInt64Array.from(raw, (r) => BigInt((r % (2 * half)) - half));
}

// ---- Paillier figures ------------------------------------------------------------------------

async function keygen(runs: number) {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = now();
    state.sk = await generateKeys(2048);
    times.push(secs(t));
  }
  state.skBytes = privateKeyToBytes(state.sk!);
  state.pkJson = publicKeyToJson(state.sk!.publicKey);
  return { bits: 2048, runs, seconds: times, medianSeconds: median(times) };
}

/** The listing key's modulus proof under the last key: the seller proves, every buyer verifies (this tab's main thread). */
function modulusProof(runs: number) {
  const { p, q, publicKey } = state.sk!;
  const prove: number[] = [];
  const verify: number[] = [];
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    let t = now();
    const proof = proveModulus(p, q, `bench-seller-${i}`);
    prove.push(secs(t));
    t = now();
    verifyModulus(publicKey.n, proof, `bench-seller-${i}`);
    verify.push(secs(t));
    bytes = proof.length;
  }
  return {
    bits: publicKey.bits,
    proofBytes: bytes,
    runs,
    proveMedianSeconds: median(prove),
    verifyMedianSeconds: median(verify),
  };
}

/** paillier-bigint's own encryption (g^m r^n mod n^2, fresh r) under the same modulus, one thread. */
function baseline(seconds: number) {
  const { n } = state.sk!.publicKey;
  const pub = new paillier.PublicKey(n, n + 1n);
  for (let i = 0; i < 3; i++) pub.encrypt(BigInt(i)); // warm-up
  let count = 0;
  const t = now();
  while (now() - t < seconds * 1000) pub.encrypt(BigInt(count++));
  const took = (now() - t) / 1000;
  return {
    library: 'paillier-bigint 3.4.3',
    call: 'publicKey.encrypt(m)',
    threads: 1,
    encryptions: count,
    seconds: +took.toFixed(3),
    perSecond: Math.round(count / took),
  };
}

async function encrypt(count: number) {
  const p = cryptoPool();
  state.values = randomSigned(count, 21);
  let t = now();
  await p.usePrivateKey(state.skBytes!);
  const keyImportSeconds = secs(t);
  t = now();
  const r = await p.encryptColumns(state.skBytes!, [state.values]);
  const totalSeconds = secs(t);
  state.bytes = r.columns[0]!;
  // spot check: 16 ciphertexts decrypted in the page with the library
  const pk = state.sk!.publicKey;
  const w = ciphertextBytes(pk);
  const picks = Array.from({ length: 16 }, (_, i) => Math.floor((i * count) / 16));
  const ok = picks.every(
    (i) =>
      decrypt(state.sk!, ciphertextsFromBytes(pk, state.bytes!.subarray(i * w, (i + 1) * w))[0]!) === state.values![i],
  );
  return {
    count,
    workers: p.size,
    keyImportSeconds,
    precomputeSeconds: +r.precomputeSeconds.toFixed(3),
    onlineSeconds: +r.onlineSeconds.toFixed(3),
    totalSeconds,
    valuesPerSecond: Math.round(count / totalSeconds),
    onlineValuesPerSecond: Math.round(count / r.onlineSeconds),
    perWorker: r.workers.map((x) => ({
      items: x.items,
      tablesSeconds: +x.tablesSeconds.toFixed(3),
      drawSeconds: +x.drawSeconds.toFixed(3),
      encryptSeconds: +x.encryptSeconds.toFixed(3),
    })),
    bytes: state.bytes.length,
    check: { decrypted: picks.length, ok },
  };
}

async function sums() {
  const p = cryptoPool();
  const pk = state.sk!.publicKey;
  const values = state.values!;
  const weights = randomSigned(values.length, 16);
  const w = ciphertextBytes(pk);
  await p.sum(state.pkJson!, state.bytes!.subarray(0, w * 2 * p.size * 64)); // public key into the workers, warm code
  let t = now();
  const c = await p.sum(state.pkJson!, state.bytes!);
  const sumSeconds = secs(t);
  const sumWorkers = p.lastReduce;
  t = now();
  const cw = await p.weightedSum(state.pkJson!, state.bytes!, weights);
  const weightedSeconds = secs(t);
  const wsWorkers = p.lastReduce;
  let want = 0n;
  let wantW = 0n;
  for (let i = 0; i < values.length; i++) {
    want += values[i]!;
    wantW += values[i]! * weights[i]!;
  }
  const fig = (f: typeof sumWorkers) =>
    f.map((x) => ({ items: x.items, parseSeconds: +x.parseSeconds.toFixed(3), seconds: +x.seconds.toFixed(3) }));
  return {
    count: values.length,
    workers: p.size,
    sum: { seconds: sumSeconds, perWorker: fig(sumWorkers), ok: decrypt(state.sk!, c) === want },
    weightedSum: {
      weightBits: 16,
      signed: true,
      seconds: weightedSeconds,
      perWorker: fig(wsWorkers),
      ok: decrypt(state.sk!, cw) === wantW,
    },
  };
}

/** Buyer masks `count` ciphertexts, the holder decrypts them into shares; shares checked against the values. */
async function convert(count: number, ellBits: number) {
  const p = cryptoPool();
  const w = ciphertextBytes(state.sk!.publicKey);
  const sub = state.bytes!.subarray(0, count * w);
  let t = now();
  const { masked, shares } = await p.maskForShares(state.pkJson!, sub, ellBits);
  const maskSeconds = secs(t);
  t = now();
  const held = await p.sharesFromMasked(state.skBytes!, masked, shares.length, ellBits);
  const decryptSeconds = secs(t);
  let bad = 0;
  for (let i = 0; i < count; i++)
    if (BigInt.asUintN(64, shares[i]! + held[i]!) !== BigInt.asUintN(64, state.values![i]!)) bad++;
  return {
    count,
    ellBits,
    workers: p.size,
    maskSeconds,
    decryptSeconds,
    totalSeconds: +(maskSeconds + decryptSeconds).toFixed(3),
    mismatches: bad,
  };
}

const api = {
  keygen,
  modulusProof,
  baseline,
  encrypt,
  sums,
  convert,
  join,
  publish,
  expectedWeightedSum,
  serve,
  purchase,
  sellerLog: () => seller.log,
  session: sessionStatus,
};
(globalThis as unknown as { marketBench: typeof api }).marketBench = api;
document.getElementById('status')!.textContent = 'ready';
