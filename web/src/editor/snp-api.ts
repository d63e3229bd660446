// The SecureNumpy API as the editor offers it for completion: every function on `snp` and every
// member of a SecureArray a program holds (workers/securenumpy/snp.ts, array.ts through the
// facade, facade.ts), each with a short signature and one line of documentation (from
// /work/shared/docs/SECURENUMPY_API.md and docs/securenumpy.md). test/web/editor/snp-api.test.ts
// checks that the names are exactly the engine's, so the list cannot drift.

/** One completion entry: a name, its signature after the name, and what it does. */
export interface ApiEntry {
  name: string;
  signature: string;
  doc: string;
  kind: 'function' | 'method' | 'property';
}

const fn = (name: string, signature: string, doc: string): ApiEntry => ({ name, signature, doc, kind: 'function' });
const method = (name: string, signature: string, doc: string): ApiEntry => ({ name, signature, doc, kind: 'method' });
const prop = (name: string, signature: string, doc: string): ApiEntry => ({ name, signature, doc, kind: 'property' });

const AXIS = '(x, axis?)';
const BINARY = '(a, b)';

/** The members of `snp`. */
export const SNP_API: readonly ApiEntry[] = [
  prop('party', ': number', "This party's index (0 is the proposer)."),
  // Creation.
  fn('array', '(data, owner, dtype?)', 'A secret input owned by party `owner`; the others pass null (or { shape }).'),
  fn('zeros', '(shape, { dtype?, party? }?)', 'A public array of zeros (no communication).'),
  fn('empty', '(shape, { dtype?, party? }?)', 'Like zeros (SecureNumpy arrays are never uninitialised).'),
  fn('ones', '(shape, { dtype?, party? }?)', 'A public array of ones.'),
  fn('full', '(shape, value, { dtype?, party? }?)', 'A public array filled with value.'),
  fn('eye', '(N, M?, k?)', 'Ones on the k-th diagonal of an N×M matrix.'),
  fn('identity', '(n)', 'The n×n identity matrix.'),
  fn('arange', '(start, stop?, step?)', 'Evenly spaced values in [start, stop).'),
  fn('linspace', '(start, stop, num = 50, endpoint = true)', 'num evenly spaced values from start to stop.'),
  fn('logspace', '(start, stop, num = 50, endpoint = true, base = 10)', 'Values evenly spaced on a log scale.'),
  fn('fromShare', '(share, dtype?)', "Wraps this party's raw share (from toShare) back into a SecureArray."),
  // Manipulation.
  fn('reshape', '(x, shape)', 'The same values in a new shape (one dimension may be -1).'),
  fn('transpose', '(x, axes?)', 'Permutes the axes (reverses them by default).'),
  fn('concatenate', '(arrays, axis = 0)', 'Joins arrays along an existing axis.'),
  fn('stack', '(arrays, axis = 0)', 'Joins arrays along a new axis.'),
  fn('vstack', '(arrays)', 'Stacks arrays row-wise.'),
  fn('row_stack', '(arrays)', 'Same as vstack.'),
  fn('hstack', '(arrays)', 'Stacks arrays column-wise.'),
  fn('column_stack', '(arrays)', 'Stacks 1-d arrays as the columns of a 2-d array.'),
  fn('resize', '(x, shape)', 'A new shape, repeating the values as needed.'),
  fn('repeat', '(x, repeats, axis?)', 'Repeats each element.'),
  fn('tile', '(x, reps)', 'Repeats the whole array.'),
  fn('flatten', '(x)', 'A 1-d copy.'),
  fn('ravel', '(x)', 'A 1-d view of the values.'),
  fn('copy', '(x)', 'A copy of the array.'),
  // Math.
  fn('add', BINARY, 'Element-wise a + b (broadcasting).'),
  fn('subtract', BINARY, 'Element-wise a − b.'),
  fn('multiply', BINARY, 'Element-wise a × b (one round for secret × secret).'),
  fn('divide', BINARY, 'Element-wise a / b (secret divisors by Newton iteration).'),
  fn('true_divide', BINARY, 'Same as divide.'),
  fn('reciprocal', '(x)', 'Element-wise 1 / x.'),
  fn('exp', '(x)', 'Element-wise e^x.'),
  fn('sqrt', '(x)', 'Element-wise square root (x ≥ 0).'),
  fn('log', '(x)', 'Element-wise natural logarithm (x > 0).'),
  fn('sigmoid', '(x)', 'Element-wise 1 / (1 + e^−x).'),
  fn('softmax', '(x, axis = -1)', 'Softmax along an axis.'),
  fn('var', AXIS, 'Variance (population, ddof = 0).'),
  fn('std', AXIS, 'Standard deviation (population).'),
  fn('negative', '(x)', 'Element-wise −x.'),
  fn('square', '(x)', 'Element-wise x².'),
  fn('power', '(x, k)', 'Element-wise x^k for a whole-number k.'),
  fn('sum', AXIS, 'Sum over an axis, or of all values.'),
  fn('prod', AXIS, 'Product over an axis, or of all values.'),
  fn('cumsum', AXIS, 'Cumulative sum.'),
  fn('mean', AXIS, 'Mean over an axis, or of all values.'),
  fn('average', '(x, axis?, weights?)', 'Weighted mean (weights public or secret).'),
  fn('max', AXIS, 'Largest value (secret comparisons).'),
  fn('min', AXIS, 'Smallest value.'),
  fn('amax', AXIS, 'Same as max.'),
  fn('amin', AXIS, 'Same as min.'),
  fn('argmax', AXIS, 'Index of the largest value, as a secret int64.'),
  fn('argmin', AXIS, 'Index of the smallest value, as a secret int64.'),
  fn('ptp', AXIS, 'Range: max − min.'),
  // Comparisons and selection.
  fn('lt', BINARY, 'a < b, a secret bool array.'),
  fn('le', BINARY, 'a ≤ b, a secret bool array.'),
  fn('gt', BINARY, 'a > b, a secret bool array.'),
  fn('ge', BINARY, 'a ≥ b, a secret bool array.'),
  fn('eq', BINARY, 'a = b, a secret bool array.'),
  fn('ne', BINARY, 'a ≠ b, a secret bool array.'),
  fn('less', BINARY, 'Same as lt.'),
  fn('less_equal', BINARY, 'Same as le.'),
  fn('greater', BINARY, 'Same as gt.'),
  fn('greater_equal', BINARY, 'Same as ge.'),
  fn('equal', BINARY, 'Same as eq.'),
  fn('not_equal', BINARY, 'Same as ne.'),
  fn('where', '(cond, a, b)', 'Picks a where cond is true, else b (cond a secret bool).'),
  fn('maximum', BINARY, 'Element-wise larger of a and b.'),
  fn('minimum', BINARY, 'Element-wise smaller of a and b.'),
  fn('clip', '(x, lo, hi)', 'Limits values to [lo, hi].'),
  fn('abs', '(x)', 'Element-wise |x|.'),
  fn('absolute', '(x)', 'Same as abs.'),
  fn('sign', '(x)', 'Element-wise −1, 0 or 1.'),
  fn('relu', '(x)', 'Element-wise max(x, 0).'),
  // Sorting and order statistics.
  fn('sort', '(x, axis = -1)', 'Sorted values (an oblivious sorting network).'),
  fn('argsort', '(x, axis = -1)', 'Indices that sort x, as a secret int64.'),
  fn('median', AXIS, 'Median (by sorting).'),
  fn('percentile', '(x, q, axis?)', 'The q-th percentile (linear interpolation).'),
  // Linear algebra.
  fn('matmul', BINARY, 'Matrix product.'),
  fn('dot', BINARY, "NumPy's dot product."),
  fn('inner', BINARY, 'Inner product over the last axes.'),
  fn('outer', BINARY, 'Outer product of two vectors.'),
  // Extensions.
  fn('ready', '(...arrays)', "Resolves to the arrays' shapes once known here (one round for all)."),
  fn('preprocess', '(plan)', 'Makes correlated randomness ahead of time.'),
  fn(
    'privateJoin',
    '(sideA, sideB, { trim, caseFold }?)',
    "Aligns party 0's and party 1's rows on a key ({ keys, values } or null): { matched, left, right }, revealing only the row and column counts.",
  ),
  fn('stats', '()', 'Counts of operations, rounds, correlations and bytes so far.'),
];

/** The members of a SecureArray, as the program's facade has them. */
export const ARRAY_API: readonly ApiEntry[] = [
  prop('shape', ': number[]', 'The shape (await x.ready() first for another party’s input).'),
  prop('ndim', ': number', 'The number of dimensions.'),
  prop('size', ': number', 'The number of elements.'),
  prop('dtype', ": 'float64' | 'bool' | 'int64'", 'The element type.'),
  prop('T', ': SecureArray', 'The transpose.'),
  method('ready', '()', 'Resolves to the shape once it is known here.'),
  method('add', '(other)', 'Element-wise this + other.'),
  method('sub', '(other)', 'Element-wise this − other.'),
  method('mul', '(other)', 'Element-wise this × other.'),
  method('div', '(other)', 'Element-wise this / other.'),
  method('neg', '()', 'Element-wise −this.'),
  method('and', '(other)', 'Logical and (bool).'),
  method('or', '(other)', 'Logical or (bool).'),
  method('xor', '(other)', 'Logical xor (bool).'),
  method('not', '()', 'Logical not (bool).'),
  method('lt', '(other)', 'this < other, a secret bool array.'),
  method('le', '(other)', 'this ≤ other.'),
  method('gt', '(other)', 'this > other.'),
  method('ge', '(other)', 'this ≥ other.'),
  method('eq', '(other)', 'this = other.'),
  method('ne', '(other)', 'this ≠ other.'),
  method('astype', '(dtype)', "Converts to 'float64', 'bool' or 'int64'."),
  method('matmul', '(other)', 'Matrix product.'),
  method('dot', '(other)', "NumPy's dot product."),
  method('get', '(...idx)', "Indexing: integers or slice strings such as ':', '1:3', '::2'."),
  method('set', '(idx[], value)', 'A copy with the indexed elements replaced.'),
  method('reshape', '(shape)', 'The same values in a new shape.'),
  method('transpose', '(axes?)', 'Permutes the axes.'),
  method('flatten', '()', 'A 1-d copy.'),
  method('ravel', '()', 'A 1-d view.'),
  method('copy', '()', 'A copy.'),
  method('sum', '(axis?)', 'Sum over an axis, or of all values.'),
  method('prod', '(axis?)', 'Product over an axis, or of all values.'),
  method('mean', '(axis?)', 'Mean over an axis, or of all values.'),
  method('cumsum', '(axis?)', 'Cumulative sum.'),
  method('argsort', '(axis = -1)', 'Indices that sort, as a secret int64.'),
  method('max', '(axis?)', 'Largest value.'),
  method('min', '(axis?)', 'Smallest value.'),
  method('argmax', '(axis?)', 'Index of the largest value.'),
  method('argmin', '(axis?)', 'Index of the smallest value.'),
  method('revealTo', '(party)', 'Promise of the plain values on that party (null on the others).'),
  method('toShare', '()', "Promise of this party's raw share."),
];
