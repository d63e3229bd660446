// Runs a job's SecureNumpy program on one party: compiles the text as the body of
// `async (snp, party, input) => …` in a Compartment (workers/sandbox/; `input` is a hardened copy
// of this party's table, readable by the column names the job declares), runs it on a session over
// the job's Pool through the SecureNumpy facade (the program never holds the engine, its session
// or the pool), and returns its revealed outputs by name as plain arrays (structured-clone safe).
// Failures are coded. The program worker locks the realm down first (workers/sandbox/lockdown.ts);
// without that (unit tests sharing a process) the same code runs but is not isolated.

import { isErrorCode, ParleyError, toErrorInfo } from '../shared/errors.js';
import type { DType, NDData } from '../shared/ndarray.js';
import type { JobRing } from '../shared/protocol.js';
import type { Pool } from './pool/pool.js';
import { compileInCompartment, type SandboxedProgram } from './sandbox/compartment.js';
import { type InputKeys, inputTable } from './sandbox/input-table.js';
import { createFacade, unwrapOutput } from './securenumpy/facade.js';
import { createSession, type SessionOptions, type SessionStats } from './securenumpy/index.js';

/** An NDArray as plain data, for comlink and structured clone. */
export interface PlainArray {
  shape: number[];
  dtype: DType;
  data: NDData;
}

/** Each output by name: its value at this party, or null where it was revealed to others. */
export type ProgramOutputs = Record<string, PlainArray | null>;

export interface ProgramProgress {
  stage: string;
  done: number;
  total: number;
}

export interface ProgramArgs {
  text: string;
  /** This party's table (rows of numbers), or null if it brings no data. */
  input: number[][] | null;
  /**
   * The job's schema in party order: the column names each party brings (null where none are
   * declared). This party's entry names its table's columns for the program (`input.col(name)`).
   */
  schema?: (readonly string[] | null)[];
  /**
   * In a job that joins on a key (Job.join): this party's key column (one of its schema's columns,
   * kept out of `input`'s rows), its cells in row order, and the job's normalisation; the program
   * reads them as `input.col(column)` (normalised strings). Null or absent otherwise.
   */
  keys?: InputKeys | null;
  /** Party indices that may receive reveals (every member named in the job's reveal list). */
  reveal: number[];
  /** Triples made by the parties together, or by the dealer at this pool index. */
  triples: 'dealer-free' | { dealer: number };
  /**
   * The job's ring (its number range, shared/protocol.ts JOB_RINGS): 64 (the default) or 128.
   * Both parties pass the same; the session refuses anything else with ERR_BAD_REQUEST.
   */
  ring?: JobRing;
  /** The name a program's single (unnamed) output gets. */
  defaultOutput?: string;
  onProgress?(p: ProgramProgress): void;
  /** Called with this party's session counts (rounds, bytes) once its sends are acknowledged. */
  onStats?(s: SessionStats): void;
}

/** Compiles program text (an async function body) in a Compartment; syntax errors fail with ERR_PROGRAM. */
export function compileProgram(text: string): SandboxedProgram {
  return compileInCompartment(text);
}

function isNDArrayLike(v: unknown): v is { shape: readonly number[]; dtype: DType; data: NDData } {
  return (
    !!v &&
    typeof v === 'object' &&
    Array.isArray((v as { shape?: unknown }).shape) &&
    typeof (v as { dtype?: unknown }).dtype === 'string' &&
    ArrayBuffer.isView((v as { data?: unknown }).data)
  );
}

const DATA_OF = { float64: Float64Array, int64: BigInt64Array, bool: Uint8Array, uint64: BigUint64Array } as Record<
  DType,
  new (
    src: NDData,
  ) => NDData
>;

/** A copy made here (each field read once), so that nothing the program built (getters, proxies, own methods) leaves. */
function copyOutput(name: string, v: { shape: readonly number[]; dtype: DType; data: NDData }): PlainArray {
  const { shape: given, dtype, data } = v;
  const shape = Array.from({ length: given.length }, (_, i) => given[i]);
  const Data = typeof dtype === 'string' && Object.hasOwn(DATA_OF, dtype) ? DATA_OF[dtype] : null;
  const size = shape.reduce<number>((a, d) => a * (d as number), 1);
  const copy = Data && ArrayBuffer.isView(data) ? new Data(data) : null;
  if (!copy || !shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0) || copy.length !== size) {
    throw new ParleyError('ERR_PROGRAM', `output "${name}" is not a well-formed array`);
  }
  return { shape: shape as number[], dtype, data: copy };
}

async function plainOutput(name: string, value: unknown): Promise<PlainArray | null> {
  const v = unwrapOutput(await value);
  if (v === null) return null;
  if (isNDArrayLike(v)) return copyOutput(name, v);
  throw new ParleyError('ERR_PROGRAM', `output "${name}" is not a revealed array (return x.revealTo(party), or null)`);
}

/** Normalises what a program returns: one array (or promise of one), or an object of them. */
export async function collectOutputs(returned: unknown, defaultOutput = 'result'): Promise<ProgramOutputs> {
  const r = unwrapOutput(await returned);
  if (r === undefined) return {};
  if (r === null || isNDArrayLike(r)) return { [defaultOutput]: await plainOutput(defaultOutput, r) };
  if (typeof r !== 'object' || Array.isArray(r) || r instanceof Promise) {
    throw new ParleyError('ERR_PROGRAM', 'a program returns a revealed array or an object of them by name');
  }
  const names = Object.keys(r);
  const values = await Promise.all(names.map((n) => plainOutput(n, (r as Record<string, unknown>)[n])));
  return Object.fromEntries(names.map((n, i) => [n, values[i]!]));
}

function checkInput(input: number[][] | null): void {
  if (input === null) return;
  const ok =
    Array.isArray(input) &&
    input.every((row) => Array.isArray(row) && row.every((v) => typeof v === 'number' && Number.isFinite(v)));
  if (!ok) throw new ParleyError('ERR_BAD_INPUT', 'the input must be rows of finite numbers');
}

/** An error from the program's own code keeps its message, under ERR_PROGRAM unless it has a code. */
function coded(e: unknown): ParleyError {
  if (e instanceof ParleyError) return e;
  const code = (e as { code?: unknown } | null)?.code;
  if (isErrorCode(code)) return new ParleyError(code, toErrorInfo(e).message);
  return new ParleyError(
    'ERR_PROGRAM',
    `the program failed: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`,
  );
}

/** Forwards engine progress at most every 100 ms (and on each new stage or completion). */
function throttled(onProgress: ((p: ProgramProgress) => void) | undefined): (p: ProgramProgress) => void {
  let last = 0;
  let lastStage = '';
  return (p) => {
    const now = Date.now();
    if (p.stage === lastStage && p.done < p.total && now - last < 100) return;
    last = now;
    lastStage = p.stage;
    onProgress?.({ stage: p.stage, done: p.done, total: p.total });
  };
}

/**
 * Ends a run together. Each party's sends are already acknowledged (session.close); each now tells
 * the other computing parties it is finished and waits for theirs, so that no party closes its pool
 * (dropping a pending acknowledgement) while a peer still waits for it. The end messages
 * themselves are not flushed: having received the peer's, nobody waits on an acknowledgement.
 */
async function finishTogether(pool: Pool, dealer: number | null): Promise<void> {
  const peers = pool.peerIndices.filter((p) => p !== dealer);
  await Promise.all(peers.map((p) => pool.send(p, true, 'program/end')));
  await Promise.all(peers.map((p) => pool.recv(p, 'program/end')));
}

export async function runProgram(pool: Pool, args: ProgramArgs): Promise<ProgramOutputs> {
  const progress = throttled(args.onProgress);
  try {
    checkInput(args.input);
    const program = compileProgram(args.text);
    const options: SessionOptions = {
      party: pool.me,
      reveal: args.reveal,
      onProgress: progress,
      ring: args.ring ?? 64,
      ...(args.triples === 'dealer-free'
        ? { preprocessing: 'dealer-free' }
        : { preprocessing: 'dealer', dealer: args.triples.dealer }),
    };
    const session = createSession(pool, options);
    const facade = createFacade(session.snp);
    progress({ stage: 'running', done: 0, total: 0 });
    const input =
      args.input === null ? null : inputTable(args.input, args.schema?.[pool.me] ?? null, args.keys ?? null);
    let outputs: ProgramOutputs;
    try {
      outputs = await collectOutputs(await program(facade.snp, pool.me, input), args.defaultOutput);
    } finally {
      facade.close(); // a call the program left running fails from here on
    }
    await session.close(); // every peer holds what this party sent (its reveal shares)
    args.onStats?.(session.stats());
    await finishTogether(pool, args.triples === 'dealer-free' ? null : args.triples.dealer);
    progress({ stage: 'done', done: 1, total: 1 });
    return outputs;
  } catch (e) {
    const err = coded(e);
    pool.abort(err.toJSON()); // the peers learn the code at once instead of waiting
    throw err;
  }
}
