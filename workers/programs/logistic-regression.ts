// The preset program "logistic regression (gradient descent)" as TEXT: it travels in the job, is
// hashed and shown to every member before they accept, and runs on each party's worker.

export interface LogisticRegressionOptions {
  /** Party indices that receive theta. */
  receivers: number[];
  epochs?: number;
  learningRate?: number;
}

export const LOGISTIC_REGRESSION_OUTPUT = 'theta';
export const LOGISTIC_REGRESSION_DEFAULTS = { epochs: 20, learningRate: 1 } as const;
/** The columns each party brings by default, in party order: every column of party 0 is a feature. */
export const LOGISTIC_REGRESSION_COLUMNS = [['x1', 'x2'], ['label']];

/**
 * Party 0 holds X (n rows × d features), party 1 holds the labels y (n rows × 1, each 0 or 1);
 * theta is (d + 1) × 1, intercept first. Full-batch gradient descent on the logistic loss.
 */
export function logisticRegressionProgram({
  receivers,
  epochs = LOGISTIC_REGRESSION_DEFAULTS.epochs,
  learningRate = LOGISTIC_REGRESSION_DEFAULTS.learningRate,
}: LogisticRegressionOptions): string {
  return `// Logistic regression by full-batch gradient descent on secret-shared data.
// Party 0 brings X: its rows, every column it declares a feature (n rows × d, e.g. x1, x2);
// party 1 brings the column named label (0 or 1).
// Each epoch: p = sigmoid(Xb·theta); theta -= lr · Xbᵀ(p − y) / n. Keep features roughly in
// [-10, 10] (standardise them): every input must stay below 32,768 in magnitude.
const epochs = ${epochs};
const lr = ${learningRate};
const receivers = [${receivers.join(', ')}];

const labels = party === 1 ? input.col('label') : null;
if (labels && !labels.every((v) => v === 0 || v === 1)) {
  // Checked by the owner on its own data, before anything is shared.
  throw Object.assign(new Error('the labels must be 0 or 1'), { code: 'ERR_BAD_INPUT' });
}
const X = snp.array(party === 0 ? input.rows : null, 0);
const y = snp.array(labels && labels.map((v) => [v]), 1); // n × 1
const [n, d] = await X.ready();
const yShape = await y.ready();
if (yShape.length !== 2 || yShape[0] !== n || yShape[1] !== 1) {
  throw Object.assign(new Error(\`y must be \${n} rows × 1 column (one label per row of X), got \${yShape.join(' × ')}\`), { code: 'ERR_SHAPE' });
}

const Xb = snp.hstack([snp.ones([n, 1]), X]); // a column of ones for the intercept
let theta = snp.zeros([d + 1, 1]);
for (let e = 0; e < epochs; e++) {
  const p = snp.sigmoid(Xb.matmul(theta));          // predicted probabilities, n × 1
  const grad = Xb.T.matmul(p.sub(y)).mul(1 / n);
  theta = theta.sub(grad.mul(lr));
}

const revealed = await Promise.all(receivers.map((r) => theta.revealTo(r)));
return { ${LOGISTIC_REGRESSION_OUTPUT}: revealed.find((t) => t !== null) ?? null };
`;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** The same steps in plain floating point: the reference the tests compare the secure result with. */
export function logisticRegressionPlain(
  X: number[][],
  y: number[],
  epochs: number = LOGISTIC_REGRESSION_DEFAULTS.epochs,
  learningRate: number = LOGISTIC_REGRESSION_DEFAULTS.learningRate,
): number[] {
  const n = X.length;
  const rows = X.map((r) => [1, ...r]);
  let theta = new Array<number>(rows[0]!.length).fill(0);
  for (let e = 0; e < epochs; e++) {
    const residual = rows.map((r, i) => sigmoid(r.reduce((s, v, j) => s + v * theta[j]!, 0)) - y[i]!);
    const grad = theta.map((_, j) => rows.reduce((s, r, i) => s + r[j]! * residual[i]!, 0) / n);
    theta = theta.map((t, j) => t - learningRate * grad[j]!);
  }
  return theta;
}

/** Predicted labels (probability ≥ 0.5, i.e. intercept + x·w ≥ 0) for theta = [intercept, ...w]. */
function logisticPredict(theta: ArrayLike<number>, X: number[][]): number[] {
  return X.map((r) => (r.reduce((s, v, j) => s + v * theta[j + 1]!, theta[0]!) >= 0 ? 1 : 0));
}

/** The fraction of rows whose predicted label equals y. */
export function logisticAccuracy(theta: ArrayLike<number>, X: number[][], y: number[]): number {
  const predicted = logisticPredict(theta, X);
  return predicted.filter((p, i) => p === y[i]).length / X.length;
}
