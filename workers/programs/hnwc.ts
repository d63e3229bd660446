// The preset program "high-net-worth customers" (the SecureNumpy seed's first scenario) as TEXT:
// it travels in the job, is hashed and shown to every member before they accept, and runs on
// each party's worker.
//
// Company A (party 0) holds, per customer, [purchase frequency, purchase amount]; Company B
// (party 1) holds [account balance, wealth-management amount] for the same customers in the same
// row order. A customer is a high-net-worth customer (HNWC) when frequency > 2, purchase amount
// > 5,000 and balance > 5,000,000. The receivers learn how many there are and their average
// wealth-management amount; nobody learns which customers they are.
//
// Scaling: SecureNumpy's fixed-point inputs must satisfy |x| < 32,768 (16 fractional bits), so
// the money columns are given in THOUSANDS: 5,000 → 5, 5,000,000 → 5,000, and the average comes
// out in thousands too. Any amount up to 32,767,999 fits.

export interface HnwcOptions {
  /** Party indices that receive the count and the average. */
  receivers: number[];
}

/** The outputs the program returns, as the job's comma-separated output list. */
export const HNWC_OUTPUTS = 'count, average';

/** Thresholds in the program's units (money in thousands). */
const HNWC_THRESHOLDS = { frequency: 2, purchaseK: 5, balanceK: 5000 } as const;

/** Party 0 brings n rows × [frequency, purchase amount (thousands)], party 1 n rows × [balance, wealth amount (thousands)]. */
export function hnwcProgram({ receivers }: HnwcOptions): string {
  const t = HNWC_THRESHOLDS;
  return `// High-net-worth customers: Company A (party 0) and Company B (party 1) hold columns of the
// same customers, in the same row order.
//   party 0: [purchase frequency, purchase amount]          one row per customer
//   party 1: [account balance, wealth-management amount]   one row per customer
// SCALING: fixed-point inputs must stay below 32,768 in magnitude, so every MONEY column is in
// THOUSANDS (purchase 5,000 -> 5; balance 5,000,000 -> 5,000). The average is in thousands too.
// HNWC: frequency > ${t.frequency}, purchase > ${t.purchaseK} (thousands), balance > ${t.balanceK} (thousands).
// Reveals: count (how many HNWC) and average (their mean wealth-management amount, thousands;
// 0 when there are none). The comparisons and the per-customer flags are never revealed.
const minFrequency = ${t.frequency};
const minPurchase = ${t.purchaseK};  // thousands (5,000)
const minBalance = ${t.balanceK};  // thousands (5,000,000)
const receivers = [${receivers.join(', ')}];

const data0 = snp.array(party === 0 ? input : null, 0);
const data1 = snp.array(party === 1 ? input : null, 1);
const [n, c0] = await data0.ready();
const [n1, c1] = await data1.ready();
if (c0 !== 2 || c1 !== 2 || n1 !== n) {
  throw Object.assign(new Error(\`party 0 brings n rows × 2 columns and party 1 the same n rows × 2 columns, got \${n} × \${c0} and \${n1} × \${c1}\`), { code: 'ERR_SHAPE' });
}

const cond = data0.get(':', 0).gt(minFrequency)
  .and(data0.get(':', 1).gt(minPurchase))
  .and(data1.get(':', 0).gt(minBalance));
const flag = snp.where(cond, 1, 0);                     // secret 0/1 per customer (int64)
const count = flag.sum();                               // number of HNWC
const cost = flag.mul(data1.get(':', 1)).sum();         // their total wealth-management amount
const average = cost.div(snp.maximum(count, 1));        // secret division; 0 when count = 0

const [counts, averages] = await Promise.all([
  Promise.all(receivers.map((r) => count.revealTo(r))),
  Promise.all(receivers.map((r) => average.revealTo(r))),
]);
return { count: counts.find((v) => v !== null) ?? null, average: averages.find((v) => v !== null) ?? null };
`;
}

/** The same analysis in plain floating point (money in thousands): the reference for the tests. */
export function hnwcPlain(data0: number[][], data1: number[][]): { count: number; average: number } {
  const t = HNWC_THRESHOLDS;
  let count = 0;
  let cost = 0;
  data0.forEach(([freq, purchase], i) => {
    const [balance, wealth] = data1[i]!;
    if (freq! > t.frequency && purchase! > t.purchaseK && balance! > t.balanceK) {
      count++;
      cost += wealth!;
    }
  });
  return { count, average: count === 0 ? 0 : cost / count };
}
