// The results this browser received, kept in IndexedDB by job id (idb-keyval, as the market's
// openings and keys are), so a reload or a later visit still shows them with their job's program
// hash and inputs' schema. A record read back is checked before use: a damaged or older record
// is ignored rather than drawn.

import { createStore, get, set, type UseStore } from 'idb-keyval';
import type { StoredResult } from './result.js';

let db: UseStore | null = null;
const store = () => (db ??= createStore('parley-results', 'results'));

const isNumberArray = (v: unknown): v is number[] =>
  Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0);

function isValue(v: unknown): boolean {
  if (v === null) return true;
  if (typeof v !== 'object') return false;
  const o = v as Record<string, unknown>;
  if (!isNumberArray(o.shape) || typeof o.dtype !== 'string' || !Array.isArray(o.values)) return false;
  const size = o.shape.reduce((a, b) => a * b, 1);
  return o.values.length === size && o.values.every((x) => typeof x === 'number' || typeof x === 'boolean');
}

/** A stored record as a result, or null when it is not one (damaged, or written by another version). */
export function readResult(record: unknown): StoredResult | null {
  if (typeof record !== 'object' || record === null) return null;
  const r = record as Record<string, unknown>;
  const program = r.program as Record<string, unknown> | undefined;
  const ok =
    typeof r.jobId === 'string' &&
    typeof program?.text === 'string' &&
    typeof program.hash === 'string' &&
    Array.isArray(r.members) &&
    Array.isArray(r.reveal) &&
    (r.ring === 64 || r.ring === 128) &&
    typeof r.savedAt === 'number' &&
    (r.rows === undefined || (Number.isSafeInteger(r.rows) && (r.rows as number) >= 0)) &&
    typeof r.outputs === 'object' &&
    r.outputs !== null &&
    Object.values(r.outputs).every(isValue);
  return ok ? (record as StoredResult) : null;
}

/** Keeps a job's result in this browser (replacing an earlier one for the same job). */
export function keepResult(r: StoredResult): Promise<void> {
  return set(`job:${r.jobId}`, r, store());
}

/** The result this browser kept for a job, or null. */
export async function loadResult(jobId: string): Promise<StoredResult | null> {
  return readResult(await get(`job:${jobId}`, store()));
}
