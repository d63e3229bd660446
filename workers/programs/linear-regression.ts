// The preset program "linear regression (gradient descent)" as TEXT: it travels in the job, is
// hashed and shown to every member before they accept, and runs on each party's worker.

export interface LinearRegressionOptions {
  /** Party indices that receive theta. */
  receivers: number[];
  iterations?: number;
  learningRate?: number;
}

export const LINEAR_REGRESSION_OUTPUT = 'theta';

/** The columns each party brings by default, in party order: every column of party 0 is a feature. */
export const LINEAR_REGRESSION_COLUMNS = [['x1', 'x2'], ['y']];

/** Party 0 holds X (n rows × d features), party 1 the column y; theta is (d + 1) × 1, intercept first. */
export function linearRegressionProgram({
  receivers,
  iterations = 30,
  learningRate = 0.1,
}: LinearRegressionOptions): string {
  return `// Linear regression by gradient descent on secret-shared data.
// Party 0 brings X: its rows, every column it declares a feature (n rows × d, e.g. x1, x2);
// party 1 brings the column named y.
const iterations = ${iterations};
const lr = ${learningRate};
const receivers = [${receivers.join(', ')}];

const X = snp.array(party === 0 ? input.rows : null, 0);
const y = snp.array(party === 1 ? input.col('y').map((v) => [v]) : null, 1); // n × 1
const [n, d] = await X.ready();
const yShape = await y.ready();
if (yShape.length !== 2 || yShape[0] !== n || yShape[1] !== 1) {
  throw Object.assign(new Error(\`y must be \${n} rows × 1 column (one value per row of X), got \${yShape.join(' × ')}\`), { code: 'ERR_SHAPE' });
}

const Xb = snp.hstack([snp.ones([n, 1]), X]); // a column of ones for the intercept
let theta = snp.zeros([d + 1, 1]);
for (let i = 0; i < iterations; i++) {
  const grad = Xb.T.matmul(Xb.matmul(theta).sub(y)).mul(1 / n);
  theta = theta.sub(grad.mul(lr));
}

const revealed = await Promise.all(receivers.map((r) => theta.revealTo(r)));
return { ${LINEAR_REGRESSION_OUTPUT}: revealed.find((t) => t !== null) ?? null };
`;
}

/** The same steps in plain floating point: the reference the tests compare the secure result with. */
export function linearRegressionPlain(X: number[][], y: number[], iterations = 30, learningRate = 0.1): number[] {
  const n = X.length;
  const rows = X.map((r) => [1, ...r]);
  let theta = new Array<number>(rows[0]!.length).fill(0);
  for (let it = 0; it < iterations; it++) {
    const residual = rows.map((r, i) => r.reduce((s, v, j) => s + v * theta[j]!, 0) - y[i]!);
    const grad = theta.map((_, j) => rows.reduce((s, r, i) => s + r[j]! * residual[i]!, 0) / n);
    theta = theta.map((t, j) => t - learningRate * grad[j]!);
  }
  return theta;
}
