// The preset program "high-net-worth customers, joined on customer id" as TEXT: the HNWC analysis
// (workers/programs/hnwc.ts: same thresholds, same reveal) for companies that each hold their own
// customers, keyed by a customer id, in any order and with any overlap. The program aligns the two
// tables with a private join (snp.privateJoin, docs/securenumpy.md "Private join") and counts over
// the matched rows only (matched.and(…)); nobody learns which customers, or how many, the
// companies have in common. The job carries the key columns and their normalisation (Job.join);
// each party's program reads its normalised keys as input.col('customer_id') (strings).
//
// Company A (party 0) brings customer_id, frequency, purchase; Company B (party 1) customer_id,
// balance, wealth (HNWC_JOIN_COLUMNS). Amounts in natural units: the wide ring (HNWC_RING).

import { type KeyNormalisation, normaliseKey } from '../../shared/join-keys.js';
import { HNWC_REVEAL, HNWC_THRESHOLDS, type HnwcOptions } from './hnwc.js';

/** The key column both companies join on. */
export const HNWC_JOIN_KEY = 'customer_id';

/** The columns each party brings, in party order (the job's schema; the key column first). */
export const HNWC_JOIN_COLUMNS = [
  [HNWC_JOIN_KEY, 'frequency', 'purchase'],
  [HNWC_JOIN_KEY, 'balance', 'wealth'],
];

/** Party 0 brings its customers' frequency and purchase, party 1 its customers' balance and wealth, each keyed. */
export function hnwcJoinProgram({ receivers }: HnwcOptions): string {
  const t = HNWC_THRESHOLDS;
  return `// High-net-worth customers: joined on customer id. Company A (party 0) and Company B (party 1)
// each hold their own customers, keyed by customer id, in any order and with any overlap:
//   party 0: ${HNWC_JOIN_KEY}, frequency, purchase   (purchase frequency, purchase amount)
//   party 1: ${HNWC_JOIN_KEY}, balance, wealth       (account balance, wealth-management amount)
// A private join aligns the two tables on the key. It reveals only how many rows each party
// brings; not which customers are in common, nor how many.
// Amounts as they are, in the data's own currency: run this job with the wide number range
// (ring 128, |x| < 1.4e14).
// HNWC: a customer of both companies with frequency > ${t.frequency}, purchase > ${t.purchase}, balance > ${t.balance}.
// Reveals: count (how many HNWC) and average (their mean wealth-management amount; 0 when there are
// none). The receivers learn the HNWCs' total and divide it by the count here: the count and the
// average tell them that total anyway. Nothing else is revealed.
const minFrequency = ${t.frequency};
const minPurchase = ${t.purchase};
const minBalance = ${t.balance};
const receivers = [${receivers.join(', ')}];

// This party's side of the join: its keys (normalised as the job says) and the named columns.
const side = (names) => {
  const columns = names.map((name) => input.col(name));
  return { keys: input.col('${HNWC_JOIN_KEY}'), values: columns[0].map((_, i) => columns.map((c) => c[i])) };
};
const { matched, left, right } = await snp.privateJoin(
  party === 0 ? side(['frequency', 'purchase']) : null,
  party === 1 ? side(['balance', 'wealth']) : null,
);
const frequency = left.get(':', 0);
const purchase = left.get(':', 1);
const balance = right.get(':', 0);
const wealth = right.get(':', 1);

// Only rows where matched is true are customers of both companies.
const hnwc = matched.and(frequency.gt(minFrequency)).and(purchase.gt(minPurchase)).and(balance.gt(minBalance));
const flag = snp.where(hnwc, 1, 0);                         // 1 for a customer of both who is HNWC
const count = flag.sum();                                   // number of HNWC among the common customers
const total = flag.mul(wealth).sum();                       // their total wealth-management amount

${HNWC_REVEAL}`;
}

/** One company's customers: keys (as written) and, per row, its two columns. */
export interface KeyedCustomers {
  keys: readonly string[];
  rows: readonly (readonly number[])[];
}

/**
 * The same analysis in plain floating point over the plaintext inner join (keys normalised as the
 * job says): the reference for the tests and the plaintext side of the join benchmark.
 */
export function hnwcJoinPlain(
  a: KeyedCustomers,
  b: KeyedCustomers,
  normalise: KeyNormalisation = 'trim',
): { count: number; average: number; matched: number } {
  const t = HNWC_THRESHOLDS;
  const byKey = new Map<string, readonly number[]>();
  b.keys.forEach((k, i) => byKey.set(normaliseKey(k, normalise), b.rows[i]!));
  let count = 0;
  let matched = 0;
  let total = 0;
  a.keys.forEach((k, i) => {
    const other = byKey.get(normaliseKey(k, normalise));
    if (!other) return;
    matched++;
    const [freq, purchase] = a.rows[i]!;
    const [balance, wealth] = other;
    if (freq! > t.frequency && purchase! > t.purchase && balance! > t.balance) {
      count++;
      total += wealth!;
    }
  });
  return { count, average: count === 0 ? 0 : total / count, matched };
}
