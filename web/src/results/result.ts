// A finished program job's result as this tab keeps it: the outputs revealed here as plain
// numbers (JSON- and IndexedDB-friendly), with the job's program and hash, members, reveal list,
// number range, triple source and, once jobs carry one, the inputs' schema. One record per job;
// the charts, the exports, the IndexedDB store and "propose again" all read this shape.

import type { Job, JobRing, RevealRule } from '../../../shared/protocol.js';
import type { PlainArray, ProgramOutputs } from '../../../workers/program.js';

/** One output's value at this party: shape, dtype and its elements in row-major order. */
export interface ResultValue {
  shape: number[];
  dtype: PlainArray['dtype'];
  values: (number | boolean)[];
}

/** The columns one member brings (the job's inputs schema, issue 17: named columns). */
interface InputColumns {
  member: string;
  columns: string[];
}

export interface StoredResult {
  jobId: string;
  program: { text: string; hash: string };
  members: string[];
  reveal: RevealRule[];
  ring: JobRing;
  dealer: string | null;
  /** The inputs' schema when the job declares one; absent for jobs proposed without named columns. */
  schema?: InputColumns[];
  /** Each output by name: its value here, or null where it was revealed to other members only. */
  outputs: Record<string, ResultValue | null>;
  /** When this tab received the result (ms since the epoch). */
  savedAt: number;
  /**
   * The rows of this tab's own table, when it brought one: the job's input size, which every
   * member knows (the engine shares shapes in the clear). HNWC's share chart needs it.
   */
  rows?: number;
}

/** A revealed array's elements as numbers (booleans for a bool output). */
function valuesOf(a: PlainArray): (number | boolean)[] {
  return Array.from(a.data as ArrayLike<number | bigint>, (v) => (a.dtype === 'bool' ? v !== 0 : Number(v)));
}

/**
 * The record for a finished job's outputs in this tab; `schema` is the job's, when it has one, and
 * `rows` those of the table this tab brought (null: none).
 */
export function resultOf(job: Job, outputs: ProgramOutputs, savedAt: number, rows: number | null = null): StoredResult {
  const declared = job.schema;
  const schema = declared
    ? job.members.filter((m) => declared[m]).map((m) => ({ member: m, columns: [...declared[m]!] }))
    : null;
  return {
    jobId: job.id,
    program: { text: job.program?.text ?? '', hash: job.program?.hash ?? '' },
    members: [...job.members],
    reveal: job.reveal.map((r) => ({ output: r.output, to: [...r.to] })),
    ring: job.ring,
    dealer: job.dealer,
    ...(schema ? { schema } : {}),
    outputs: Object.fromEntries(
      Object.entries(outputs).map(([name, a]) => [
        name,
        a ? { shape: [...a.shape], dtype: a.dtype, values: valuesOf(a) } : null,
      ]),
    ),
    savedAt,
    ...(rows !== null ? { rows } : {}),
  };
}

/** A table view of an output: first axis as rows, the other axes flattened into columns. */
export function tableOf(name: string, v: ResultValue): { columns: string[]; rows: (number | boolean)[][] } {
  const width = v.shape.length < 2 ? 1 : v.shape.slice(1).reduce((x, y) => x * y, 1);
  const rows = Array.from({ length: width === 0 ? 0 : v.values.length / width }, (_, i) =>
    v.values.slice(i * width, (i + 1) * width),
  );
  const columns = width === 1 ? [name] : Array.from({ length: width }, (_, j) => `${name}[:,${j}]`);
  return { rows, columns };
}
