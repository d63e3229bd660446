// The preset program "secure sum and product" (the app's first job kind) as TEXT: the app runs it
// for every 'sum-product' job, and it is a template for program jobs like the other presets.
//
// Party 0 holds x, party 1 holds y, each an n × 1 column (n ≤ 100,000, every |v| ≤ 46,340). The
// receivers learn x + y and x · y element-wise; nobody else learns anything but n. Each owner
// rounds its values to multiples of 2^-16 and shares them as int64 X = round(v · 2^16): int64
// products are not truncated, so X·Y (< 2^63 in magnitude by the bound) is the EXACT product of
// the rounded inputs, with 32 fractional bits. The sum is exact at 16 fractional bits.

import { ParleyError } from '../../shared/errors.js';
import { MAX_VECTOR_LENGTH } from '../../shared/limits.js';
import type { PlainArray, ProgramOutputs } from '../program.js';

export interface SumProductOptions {
  /** Party indices that receive the sum and the product. */
  receivers: number[];
}

/** The outputs the program returns, as the job's comma-separated output list. */
export const SUM_PRODUCT_OUTPUTS = 'sum, product';

/** The column each party brings, in party order (the job's schema; the program reads them by name). */
export const SUM_PRODUCT_COLUMNS = [['x'], ['y']];

/**
 * Largest input magnitude: it keeps every product exact, as the product carries 32 fractional
 * bits and must stay below 2^63, so |x|, |y| ≤ 2^15.5 (46340.95…). Sums are exact a fortiori.
 */
export const SUM_PRODUCT_BOUND = 46340;
/** Fractional bits the inputs are rounded to (the product has twice as many). */
const SUM_PRODUCT_FRAC_BITS = 16;

/** The owner's check (the program text makes the same one): finite, in range, 1 to 100,000 values. */
export function checkSumProductInput(values: readonly number[]): void {
  if (values.length === 0) throw new ParleyError('ERR_BAD_INPUT', 'the vector is empty');
  if (values.length > MAX_VECTOR_LENGTH) {
    throw new ParleyError('ERR_TOO_LARGE', `vectors are limited to ${MAX_VECTOR_LENGTH} values, got ${values.length}`);
  }
  values.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new ParleyError('ERR_BAD_INPUT', `value ${i + 1} is not a finite number: ${String(v)}`);
    }
    if (Math.abs(v) > SUM_PRODUCT_BOUND) {
      throw new ParleyError(
        'ERR_OUT_OF_RANGE',
        `value ${i + 1} is ${v}; inputs must lie in [-${SUM_PRODUCT_BOUND}, ${SUM_PRODUCT_BOUND}]`,
      );
    }
  });
}

/** Party 0 brings the column x and party 1 the column y (n rows each); outputs `sum` and `product`, n values each. */
export function sumProductProgram({ receivers }: SumProductOptions): string {
  const bound = SUM_PRODUCT_BOUND;
  const f = SUM_PRODUCT_FRAC_BITS;
  return `// Secure sum and product: party 0 brings the column x, party 1 the column y, n numbers each
// (n rows, n ≤ ${MAX_VECTOR_LENGTH}, every value in [-${bound}, ${bound}]).
// Each owner rounds its values to multiples of 2^-${f} and shares them as int64 round(v · 2^${f}).
// int64 products are exact (no truncation), so the product is the exact product of the rounded
// inputs at ${2 * f} fractional bits; the sum is exact at ${f}. Reveals sum and product to the receivers.
const bound = ${bound};
const frac = ${f};
const maxLength = ${MAX_VECTOR_LENGTH};
const receivers = [${receivers.join(', ')}];
const fail = (code, message) => { throw Object.assign(new Error(message), { code }); };

// At the owner only: check the column and scale it to whole numbers.
function scaled(name) {
  if (input === null || input.length === 0) fail('ERR_BAD_INPUT', 'the vector is empty');
  const column = input.col(name);
  if (column.length > maxLength) fail('ERR_TOO_LARGE', \`vectors are limited to \${maxLength} values, got \${column.length}\`);
  return column.map((v, i) => {
    if (Math.abs(v) > bound) fail('ERR_OUT_OF_RANGE', \`value \${i + 1} is \${v}; inputs must lie in [-\${bound}, \${bound}]\`);
    return Math.round(v * 2 ** frac);
  });
}

const x = snp.array(party === 0 ? scaled('x') : null, 0, 'int64');
const y = snp.array(party === 1 ? scaled('y') : null, 1, 'int64');
const [n] = await x.ready();
const [m] = await y.ready();
if (m !== n) fail('ERR_LENGTH_MISMATCH', \`party 0 has \${n} values, party 1 has \${m}\`);
// Exactly the n triples the product needs, made before it (with progress), none left over.
await snp.preprocess({ triples: n });

// A revealed int64 column with \`bits\` fractional bits, as n plain numbers.
const decoded = (v, bits) => {
  if (v === null) return null;
  const low = (1n << BigInt(bits)) - 1n;
  const data = Float64Array.from(v.data, (w) => Number(w >> BigInt(bits)) + Number(w & low) / 2 ** bits);
  return { shape: [n], dtype: 'float64', data };
};
const sum = x.add(y);
const product = x.mul(y);
const [sums, products] = await Promise.all([
  Promise.all(receivers.map((r) => sum.revealTo(r))),
  Promise.all(receivers.map((r) => product.revealTo(r))),
]);
return {
  sum: decoded(sums.find((v) => v !== null) ?? null, frac),
  product: decoded(products.find((v) => v !== null) ?? null, 2 * frac),
};
`;
}

/** What the receiver gets: the sum and the product as plain numbers, one per input row. */
export interface SumProductResult {
  sum: number[];
  product: number[];
}

/** The program's outputs as a result: null where they were revealed to another party. */
export function sumProductResult(outputs: ProgramOutputs): SumProductResult | null {
  const values = (a: PlainArray | null | undefined) => (a ? Array.from(a.data as ArrayLike<number>, Number) : null);
  const sum = values(outputs.sum);
  const product = values(outputs.product);
  return sum && product ? { sum, product } : null;
}

/** The same in plain integer arithmetic (BigInt): the reference the tests compare with. */
export function sumProductPlain(x: readonly number[], y: readonly number[]): { sum: number[]; product: number[] } {
  const f = SUM_PRODUCT_FRAC_BITS;
  const fixed = (v: number) => BigInt(Math.round(v * 2 ** f));
  const decode = (w: bigint, bits: number) => {
    const whole = w >> BigInt(bits);
    return Number(whole) + Number(w - (whole << BigInt(bits))) / 2 ** bits;
  };
  return {
    sum: x.map((v, i) => decode(fixed(v) + fixed(y[i]!), f)),
    product: x.map((v, i) => decode(fixed(v) * fixed(y[i]!), 2 * f)),
  };
}
