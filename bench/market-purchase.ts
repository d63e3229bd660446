// The purchase half of the marketplace bench page (bench/market-page.ts): a seller and a buyer tab
// sign in with the app's Connection, publish, buy and run the market job worker over WebRTC.

import '../web/src/polyfills.js';
import * as Comlink from 'comlink';
import { toErrorInfo } from '../shared/errors.js';
import { importServiceKey, type LedgerEntry, type MarketRequest, newNonce, signRequest } from '../shared/ledger.js';
import type { Listing, PublishBody, Purchase } from '../shared/market.js';
import type { Job, Role } from '../shared/protocol.js';
import { toBase64Url } from '../shared/random.js';
import type { Connection } from '../web/src/connection/connection.svelte.js';
import { JobMesh } from '../web/src/mesh/job-mesh.js';
import type { MarketJobApi } from '../workers/jobs/market-api.js';
import type { DecryptRequestBody } from '../workers/market/buyer.js';
import {
  generateKeys,
  listingKeyToJson,
  type PrivateKey,
  privateKeyToBytes,
  publicKeyToJson,
} from '../workers/market/paillier/index.js';
import { makeTestData, tableBlobToBytes } from '../workers/market/seller.js';
import { type Column, syntheticValues } from '../workers/market/table.js';
import { outcome } from '../workers/outcome.js';
import { cryptoPool, now, secs } from './market-tab.js';
import { signIn, untilJobs } from './page-session.js';

// ---- A purchase between two tabs ---------------------------------------------------------------

let session: Connection | null = null;

function sign(r: Omit<MarketRequest, 'nonce' | 'at' | 'actor'>) {
  return signRequest(session!.identity.keys.privateKey, {
    ...r,
    actor: session!.name,
    nonce: newNonce(),
    at: Date.now(),
  } as MarketRequest);
}

export async function join(name: string, roles: Role[]) {
  const t = now();
  session = await signIn(name, roles);
  return { seconds: secs(t) };
}

const COLUMNS: Column[] = [
  { name: 'age', type: 'int', decimals: 0, min: 18, max: 90 },
  { name: 'cost', type: 'decimal', decimals: 2, min: 0, max: 5000 },
];

export const seller: {
  sk?: PrivateKey;
  skBytes?: Uint8Array;
  blob?: Uint8Array;
  values?: BigInt64Array[];
  log: Record<string, unknown>[];
} = { log: [] };

/** Seller: a fresh listing key, the table encrypted with the pool, the test data, then publish. */
export async function publish(rows: number) {
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
    title: 'Bench clinic costs',
    description: 'Synthetic rows for the market bench',
    schema: COLUMNS,
    rows,
    price: 30,
    guarantee: 10,
    expiresAt: Date.now() + 86_400_000,
    purchaseWindowSeconds: 3600,
    policy: { computations: ['sum', 'mean', 'weighted-sum'], budget: 10, conversionBudget: 0 },
    publicKey: listingKeyToJson(seller.sk, session!.name),
    test: {
      publicKey: publicKeyToJson(test.key.publicKey),
      privateKey: toBase64Url(privateKeyToBytes(test.key)),
      rows: 100,
    },
  };
  const listing = (await session!.call('market:publish', await sign({ type: 'publish', body }))) as Listing;
  return {
    listing: listing.id,
    rows,
    columns: COLUMNS.length,
    keySeconds,
    encryptSeconds,
    encrypt: { precomputeSeconds: +enc.precomputeSeconds.toFixed(3), onlineSeconds: +enc.onlineSeconds.toFixed(3) },
    testDataSeconds: testSeconds,
    blobBytes: seller.blob.length,
  };
}

/** Seller: the exact weighted sum of `cost` (for checking the buyer's answer). */
export function expectedWeightedSum(weights: number[]): number {
  const cost = seller.values![1]!;
  let acc = 0n;
  for (let i = 0; i < weights.length; i++) acc += BigInt(weights[i]!) * cost[i]!;
  return Number(acc) / 100;
}

/** Seller: accepts this seller's market jobs and serves each buyer with the job worker's marketSeller. */
export function serve() {
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
      outcome(
        async () => (
          await session!.call('market:decryption', await sign({ type: 'decryption', purchase, body: { seq } })), null
        ),
      );
    const onServed = (op: string, count: number) => void (log[`served:${op}`] = { count, at: Date.now() });
    const r = await mesh.engine.marketSeller(
      {
        purchase,
        buyer: job.members[0]!,
        privateKey: seller.skBytes!,
        listing: {
          schema: COLUMNS,
          rows: seller.values![0]!.length,
          computations: ['sum', 'mean', 'weighted-sum'],
        },
        blob: seller.blob!,
        serviceKey,
      },
      Comlink.proxy(recordDecryption),
      Comlink.proxy(onServed),
    );
    log.outcome = r.ok ? { ok: true, requests: r.value.requests } : { ok: false, error: r.error };
    await session!
      .call('job:finish', {
        jobId: job.id,
        ...(r.ok ? { outcome: 'done' } : { outcome: 'failed', code: r.error.code }),
      })
      .catch(() => undefined);
  } catch (e) {
    log.outcome = { ok: false, error: toErrorInfo(e) };
  } finally {
    log.endedAt = Date.now();
    setTimeout(() => mesh.stop(), 1000);
  }
}

/** Buyer: buy → propose the market job → connect → marketBuyer (weighted sum) → the decrypted answer. */
export async function purchase(listingId: string, weights: number[]) {
  const listing = ((await session!.call('market:listings', {})) as Listing[]).find((l) => l.id === listingId);
  if (!listing) throw new Error(`listing ${listingId} is not visible to ${session!.name}`);
  const t0 = now();
  const marks: Record<string, number> = {};
  const mark = (k: string) => void (marks[k] ??= secs(t0));
  const p = (await session!.call('market:buy', await sign({ type: 'buy', listing: listingId, body: {} }))) as Purchase;
  mark('bought');
  const proposed = (await session!.call('job:propose', {
    kind: 'market',
    peers: [listing.seller],
    purchase: p.id,
  })) as Job;
  mark('proposed');
  const job = (
    await untilJobs(
      session!,
      (js) => js.some((j) => j.id === proposed.id && j.state === 'ready'),
      'the seller to accept',
    )
  ).find((j) => j.id === proposed.id)!;
  mark('accepted');
  const mesh = new JobMesh<MarketJobApi>(session!, job);
  mesh.peers[0]!.whenOpen().then(
    () => mark('connected'),
    () => undefined,
  );
  let seq = p.nextSeq;
  const requestDecryption = (body: DecryptRequestBody) =>
    outcome(async () => {
      mark('decrypt-request');
      return (await session!.call(
        'market:decrypt-request',
        await sign({ type: 'decrypt-request', purchase: p.id, body: { seq: seq++, ...body } }),
      )) as LedgerEntry;
    });
  const onStage = (stage: string) => mark(`stage:${stage}`);
  try {
    await mesh.ready;
    await session!.call('job:start', { jobId: job.id });
    mesh.markComputing();
    mark('started');
    const spec = { kind: 'weighted-sum', column: 'cost', weights, weightDecimals: 0 };
    const r = await mesh.engine.marketBuyer(
      {
        publicKey: listing.publicKey,
        seller: listing.seller,
        blob: null,
        columns: listing.schema,
        rows: listing.rows,
        offered: listing.policy.computations,
        specs: [spec],
      },
      Comlink.proxy(requestDecryption),
      Comlink.proxy(onStage),
    );
    const seconds = secs(t0);
    await session!
      .call('job:finish', {
        jobId: job.id,
        ...(r.ok ? { outcome: 'done' } : { outcome: 'failed', code: r.error.code }),
      })
      .catch(() => undefined);
    if (!r.ok) return { ok: false as const, error: r.error, seconds, marks };
    return { ok: true as const, seconds, marks, answer: r.value[0]![0]!, purchase: p.id, job: job.id };
  } finally {
    setTimeout(() => mesh.stop(), 1000);
  }
}

/** The signed-in tab's connection state, for the bench driver. */
export const sessionStatus = () => session!.status;
