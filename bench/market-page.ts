// The marketplace bench page (bench/market.ts bundles it with Vite and drives it over
// window.marketBench): Paillier figures measured in this tab with the crypto pool
// (workers/market/crypto-workers.ts) next to paillier-bigint's single-threaded encryption, and a
// whole purchase between two tabs over the real service and WebRTC. For the purchase the page
// is its own small client: it signs in with the app's Connection, connects a job with the app's
// JobMesh and runs the market job worker's marketSeller / marketBuyer (workers/jobs/market-api.ts), as the
// app will; it needs no UI and no debug handle.

import '../web/src/polyfills.js';
import * as Comlink from 'comlink';
import * as paillier from 'paillier-bigint';
import { toErrorInfo } from '../shared/errors.js';
import { importServiceKey, newNonce, signRequest, type LedgerEntry, type MarketRequest } from '../shared/ledger.js';
import type { Listing, PublishBody, Purchase } from '../shared/market.js';
import type { Job, Role } from '../shared/protocol.js';
import { toBase64Url } from '../shared/random.js';
import type { Connection } from '../web/src/connection/connection.svelte.js';
import { JobMesh } from '../web/src/mesh/job-mesh.js';
import type { DecryptRequestBody } from '../workers/market/buyer.js';
import { CryptoWorkers } from '../workers/market/crypto-workers.js';
import type { MarketJobApi } from '../workers/jobs/market-api.js';
import { outcome } from '../workers/outcome.js';
import {
  ciphertextBytes, ciphertextsFromBytes, decrypt, generateKeys, privateKeyToBytes, publicKeyToJson, type PrivateKey, type PublicKeyJson,
} from '../workers/market/paillier/index.js';
import { makeTestData, tableBlobToBytes } from '../workers/market/seller.js';
import { syntheticValues, type Column } from '../workers/market/table.js';
import { signIn, untilJobs } from './page-session.js';

const now = () => performance.now();
const secs = (since: number) => +((now() - since) / 1000).toFixed(3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

let pool: CryptoWorkers | null = null;
const cryptoPool = () => (pool ??= new CryptoWorkers());

/** State kept in the tab between steps (ciphertexts never travel to Node). */
const state: {
  sk?: PrivateKey;
  skBytes?: Uint8Array;
  pkJson?: PublicKeyJson;
  values?: BigInt64Array;
  bytes?: Uint8Array;
} = {};

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

/** paillier-bigint's own encryption (g^m r^n mod n^2, fresh r) under the same modulus, one thread. */
function baseline(seconds: number) {
  const { n } = state.sk!.publicKey;
  const pub = new paillier.PublicKey(n, n + 1n);
  for (let i = 0; i < 3; i++) pub.encrypt(BigInt(i)); // warm-up
  let count = 0;
  const t = now();
  while (now() - t < seconds * 1000) pub.encrypt(BigInt(count++));
  const took = (now() - t) / 1000;
  return { library: 'paillier-bigint 3.4.3', call: 'publicKey.encrypt(m)', threads: 1, encryptions: count, seconds: +took.toFixed(3), perSecond: Math.round(count / took) };
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
  const ok = picks.every((i) => decrypt(state.sk!, ciphertextsFromBytes(pk, state.bytes!.subarray(i * w, (i + 1) * w))[0]!) === state.values![i]);
  return {
    count,
    workers: p.size,
    keyImportSeconds,
    precomputeSeconds: +r.precomputeSeconds.toFixed(3),
    onlineSeconds: +r.onlineSeconds.toFixed(3),
    totalSeconds,
    valuesPerSecond: Math.round(count / totalSeconds),
    onlineValuesPerSecond: Math.round(count / r.onlineSeconds),
    perWorker: r.workers.map((x) => ({ items: x.items, tablesSeconds: +x.tablesSeconds.toFixed(3), drawSeconds: +x.drawSeconds.toFixed(3), encryptSeconds: +x.encryptSeconds.toFixed(3) })),
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
  const fig = (f: typeof sumWorkers) => f.map((x) => ({ items: x.items, parseSeconds: +x.parseSeconds.toFixed(3), seconds: +x.seconds.toFixed(3) }));
  return {
    count: values.length,
    workers: p.size,
    sum: { seconds: sumSeconds, perWorker: fig(sumWorkers), ok: decrypt(state.sk!, c) === want },
    weightedSum: { weightBits: 16, signed: true, seconds: weightedSeconds, perWorker: fig(wsWorkers), ok: decrypt(state.sk!, cw) === wantW },
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
  for (let i = 0; i < count; i++) if (BigInt.asUintN(64, shares[i]! + held[i]!) !== BigInt.asUintN(64, state.values![i]!)) bad++;
  return { count, ellBits, workers: p.size, maskSeconds, decryptSeconds, totalSeconds: +(maskSeconds + decryptSeconds).toFixed(3), mismatches: bad };
}

// ---- A purchase between two tabs ---------------------------------------------------------------

let session: Connection | null = null;

function sign(r: Omit<MarketRequest, 'nonce' | 'at' | 'actor'>) {
  return signRequest(session!.identity.keys.privateKey, { ...r, actor: session!.name, nonce: newNonce(), at: Date.now() } as MarketRequest);
}

async function join(name: string, roles: Role[]) {
  const t = now();
  session = await signIn(name, roles);
  return { seconds: secs(t) };
}

const COLUMNS: Column[] = [
  { name: 'age', type: 'int', decimals: 0, min: 18, max: 90 },
  { name: 'cost', type: 'decimal', decimals: 2, min: 0, max: 5000 },
];

const seller: { sk?: PrivateKey; skBytes?: Uint8Array; blob?: Uint8Array; values?: BigInt64Array[]; log: Record<string, unknown>[] } = { log: [] };

/** Seller: a fresh listing key, the table encrypted with the pool, the test data, then publish. */
async function publish(rows: number) {
  let t = now();
  seller.sk = await generateKeys(2048);
  seller.skBytes = privateKeyToBytes(seller.sk);
  const keySeconds = secs(t);
  seller.values = syntheticValues(COLUMNS, rows, 20_241);
  t = now();
  const enc = await cryptoPool().encryptColumns(seller.skBytes, seller.values);
  const encryptSeconds = secs(t);
  seller.blob = tableBlobToBytes({ keyId: enc.keyId, rows, columns: COLUMNS, data: enc.columns });
  t = now();
  const test = await makeTestData(COLUMNS, 100, 7, 1024);
  const testSeconds = secs(t);
  const body: PublishBody = {
    title: 'Bench clinic costs', description: 'Synthetic rows for the market bench', schema: COLUMNS, rows, price: 30, guarantee: 10,
    expiresAt: Date.now() + 86_400_000, purchaseWindowSeconds: 3600,
    policy: { computations: ['sum', 'mean', 'weighted-sum'], budget: 10, conversionBudget: 0 },
    publicKey: publicKeyToJson(seller.sk.publicKey),
    test: { publicKey: publicKeyToJson(test.key.publicKey), privateKey: toBase64Url(privateKeyToBytes(test.key)), rows: 100 },
  };
  const listing = (await session!.call('market:publish', await sign({ type: 'publish', body }))) as Listing;
  return {
    listing: listing.id, rows, columns: COLUMNS.length, keySeconds, encryptSeconds,
    encrypt: { precomputeSeconds: +enc.precomputeSeconds.toFixed(3), onlineSeconds: +enc.onlineSeconds.toFixed(3) },
    testDataSeconds: testSeconds, blobBytes: seller.blob.length,
  };
}

/** Seller: the exact weighted sum of `cost` (for checking the buyer's answer). */
function expectedWeightedSum(weights: number[]): number {
  const cost = seller.values![1]!;
  let acc = 0n;
  for (let i = 0; i < weights.length; i++) acc += BigInt(weights[i]!) * cost[i]!;
  return Number(acc) / 100;
}

/** Seller: accepts this seller's market jobs and serves each buyer with the job worker's marketSeller. */
function serve() {
  const me = session!.name;
  const handled = new Set<string>();
  const accepting = new Set<string>();
  session!.watchJobs((jobs) => {
    for (const job of jobs) {
      if (job.kind !== 'market' || !job.members.includes(me) || handled.has(job.id)) continue;
      if (job.state === 'proposed' && !job.accepted.includes(me) && !accepting.has(job.id)) {
        accepting.add(job.id);
        seller.log.push({ job: job.id, event: 'accepting', at: Date.now() });
        void session!.call('job:accept', { jobId: job.id });
      } else if (job.state === 'ready' || job.state === 'running') {
        handled.add(job.id);
        void serveJob(job);
      }
    }
  });
  return { serving: me };
}

async function serveJob(job: Job) {
  const log: Record<string, unknown> = { job: job.id, readyAt: Date.now() };
  seller.log.push(log);
  const mesh = new JobMesh<MarketJobApi>(session!, job);
  try {
    await mesh.ready;
    await session!.call('job:start', { jobId: job.id });
    mesh.markComputing();
    const serviceKey = await importServiceKey(await (await fetch('/.well-known/parley-service-key')).json());
    const purchase = job.purchase!;
    const recordDecryption = (seq: number) =>
      outcome(async () => (await session!.call('market:decryption', await sign({ type: 'decryption', purchase, body: { seq } })), null));
    const onServed = (op: string, count: number) => void (log[`served:${op}`] = { count, at: Date.now() });
    const r = await mesh.engine.marketSeller(
      { purchase, buyer: job.members[0]!, privateKey: seller.skBytes!, blob: seller.blob!, serviceKey },
      Comlink.proxy(recordDecryption), Comlink.proxy(onServed),
    );
    log.outcome = r.ok ? { ok: true, requests: r.value.requests } : { ok: false, error: r.error };
    await session!.call('job:finish', { jobId: job.id, ...(r.ok ? { outcome: 'done' } : { outcome: 'failed', code: r.error.code }) }).catch(() => undefined);
  } catch (e) {
    log.outcome = { ok: false, error: toErrorInfo(e) };
  } finally {
    log.endedAt = Date.now();
    setTimeout(() => mesh.stop(), 1000);
  }
}

/** Buyer: buy → propose the market job → connect → marketBuyer (weighted sum) → the decrypted answer. */
async function purchase(listingId: string, weights: number[]) {
  const listing = ((await session!.call('market:listings', {})) as Listing[]).find((l) => l.id === listingId);
  if (!listing) throw new Error(`listing ${listingId} is not visible to ${session!.name}`);
  const t0 = now();
  const marks: Record<string, number> = {};
  const mark = (k: string) => void (marks[k] ??= secs(t0));
  const p = (await session!.call('market:buy', await sign({ type: 'buy', listing: listingId, body: {} }))) as Purchase;
  mark('bought');
  const proposed = (await session!.call('job:propose', { kind: 'market', peers: [listing.seller], purchase: p.id })) as Job;
  mark('proposed');
  const job = (await untilJobs(session!, (js) => js.some((j) => j.id === proposed.id && j.state === 'ready'), 'the seller to accept')).find((j) => j.id === proposed.id)!;
  mark('accepted');
  const mesh = new JobMesh<MarketJobApi>(session!, job);
  mesh.peers[0]!.whenOpen().then(() => mark('connected'), () => undefined);
  let seq = p.nextSeq;
  const requestDecryption = (body: DecryptRequestBody) =>
    outcome(async () => {
      mark('decrypt-request');
      return (await session!.call('market:decrypt-request', await sign({ type: 'decrypt-request', purchase: p.id, body: { seq: seq++, ...body } }))) as LedgerEntry;
    });
  const onStage = (stage: string) => mark(`stage:${stage}`);
  try {
    await mesh.ready;
    await session!.call('job:start', { jobId: job.id });
    mesh.markComputing();
    mark('started');
    const spec = { kind: 'weighted-sum', column: 'cost', weights, weightDecimals: 0 };
    const r = await mesh.engine.marketBuyer(
      { publicKey: listing.publicKey, blob: null, columns: listing.schema, rows: listing.rows, offered: listing.policy.computations, specs: [spec] },
      Comlink.proxy(requestDecryption), Comlink.proxy(onStage),
    );
    const seconds = secs(t0);
    await session!.call('job:finish', { jobId: job.id, ...(r.ok ? { outcome: 'done' } : { outcome: 'failed', code: r.error.code }) }).catch(() => undefined);
    if (!r.ok) return { ok: false as const, error: r.error, seconds, marks };
    return { ok: true as const, seconds, marks, answer: r.value[0]![0]!, purchase: p.id, job: job.id };
  } finally {
    setTimeout(() => mesh.stop(), 1000);
  }
}

const api = { keygen, baseline, encrypt, sums, convert, join, publish, expectedWeightedSum, serve, purchase, sellerLog: () => seller.log, session: () => session!.status };
(globalThis as unknown as { marketBench: typeof api }).marketBench = api;
document.getElementById('status')!.textContent = 'ready';
