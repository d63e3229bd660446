// The preset program "high-net-worth customers" (the SecureNumpy seed's first scenario) as TEXT:
// it travels in the job, is hashed and shown to every member before they accept, and runs on
// each party's worker.
//
// Company A (party 0) holds, per customer, the columns frequency and purchase (purchase
// frequency and amount); Company B (party 1) holds balance and wealth (account balance,
// wealth-management amount) for the same customers in the same row order (HNWC_COLUMNS, the job's
// schema; the program reads them as input.col(name)). A customer is a high-net-worth customer (HNWC) when frequency > 2, purchase amount
// > 5,000 and balance > 5,000,000. The receivers learn how many there are and their average
// wealth-management amount; nobody learns which customers they are.
//
// Units: amounts as the data states them (natural units, in the data's own currency), so the job
// runs in the wide ring (`ring: 128`, inputs up to 2^47 ≈ 1.4·10^14 at 16 fractional bits); the
// standard ring's 32,768 would refuse a balance of 5,000,000 at its owner.
//
// The average: the receivers learn the count and the HNWCs' total wealth amount, and divide in the
// clear. That is exactly what the count and the average tell them (total = average × count), so
// nothing more is revealed than by a secret division, and the result is exact.

export interface HnwcOptions {
  /** Party indices that receive the count and the average. */
  receivers: number[];
}

/** The outputs the program returns, as the job's comma-separated output list. */
export const HNWC_OUTPUTS = 'count, average';

/** The columns each party brings, in party order (the job's schema; the program reads them by name). */
export const HNWC_COLUMNS = [
  ['frequency', 'purchase'],
  ['balance', 'wealth'],
];

/** The ring HNWC's data in natural units needs (shared/protocol.ts JOB_RINGS). */
export const HNWC_RING = 128;

/** Thresholds in the data's own units (money in its currency, as the seed states them). */
export const HNWC_THRESHOLDS = { frequency: 2, purchase: 5_000, balance: 5_000_000 } as const;

/**
 * The program's last lines in both HNWC templates (this one and hnwc-join.ts): reveals `count` and
 * `total` to the receivers, who divide here, and returns { count, average }.
 */
export const HNWC_REVEAL = `const [counts, totals] = await Promise.all([
  Promise.all(receivers.map((r) => count.revealTo(r))),
  Promise.all(receivers.map((r) => total.revealTo(r))),
]);
const c = counts.find((v) => v !== null) ?? null;
const sum = totals.find((v) => v !== null) ?? null;
const k = c === null ? 0 : Number(c.data[0]);
const average = sum === null ? null : { shape: [], dtype: 'float64', data: Float64Array.of(k === 0 ? 0 : sum.data[0] / k) };
return { count: c, average };
`;

/** Party 0 brings n rows of frequency, purchase; party 1 n rows of balance, wealth (HNWC_COLUMNS). */
export function hnwcProgram({ receivers }: HnwcOptions): string {
  const t = HNWC_THRESHOLDS;
  return `// High-net-worth customers: Company A (party 0) and Company B (party 1) hold columns of the
// same customers, in the same row order, as named columns (the job's schema):
//   party 0: frequency, purchase   (purchase frequency, purchase amount)   one row per customer
//   party 1: balance, wealth       (account balance, wealth-management amount)
// Amounts as they are, in the data's own currency: run this job with the wide number range
// (ring 128, |x| < 1.4e14); the standard range (|x| < 32,768) refuses these balances.
// HNWC: frequency > ${t.frequency}, purchase > ${t.purchase}, balance > ${t.balance}.
// Reveals: count (how many HNWC) and average (their mean wealth-management amount, in the same
// currency; 0 when there are none). The receivers learn the HNWCs' total and divide it by the count
// here: the count and the average tell them that total anyway. The comparisons and the
// per-customer flags are never revealed.
const minFrequency = ${t.frequency};
const minPurchase = ${t.purchase};
const minBalance = ${t.balance};
const receivers = [${receivers.join(', ')}];

// Each column by name, shared by its owner (the other party passes null).
const column = (owner, name) => snp.array(party === owner ? input.col(name) : null, owner);
const frequency = column(0, 'frequency');
const purchase = column(0, 'purchase');
const balance = column(1, 'balance');
const wealth = column(1, 'wealth');
const [n] = await frequency.ready();
const [n1] = await balance.ready();
if (n1 !== n) {
  throw Object.assign(new Error(\`party 0 brings \${n} customers and party 1 \${n1}; both bring the same customers in the same order\`), { code: 'ERR_SHAPE' });
}

const cond = frequency.gt(minFrequency).and(purchase.gt(minPurchase)).and(balance.gt(minBalance));
const flag = snp.where(cond, 1, 0);                     // secret 0/1 per customer (int64)
const count = flag.sum();                               // number of HNWC
const total = flag.mul(wealth).sum();                   // their total wealth-management amount

${HNWC_REVEAL}`;
}

/** The same analysis in plain floating point (natural units): the reference for the tests. */
export function hnwcPlain(data0: number[][], data1: number[][]): { count: number; average: number } {
  const t = HNWC_THRESHOLDS;
  let count = 0;
  let cost = 0;
  data0.forEach(([freq, purchase], i) => {
    const [balance, wealth] = data1[i]!;
    if (freq! > t.frequency && purchase! > t.purchase && balance! > t.balance) {
      count++;
      cost += wealth!;
    }
  });
  return { count, average: count === 0 ? 0 : cost / count };
}
