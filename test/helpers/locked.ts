// Runs job programs in a locked-down child process (locked-runner.ts, under tsx), as the program
// worker runs them: the only way to test the SES sandbox for real, since lockdown() changes the
// whole realm and the vitest process must not be locked down.

import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface LockedScenario {
  text: string;
  inputs: [number[][] | null, number[][] | null];
  /** The column names each party brings (the job's schema in party order), if the program reads them. */
  schema?: string[][];
  reveal: number[];
  /** The party whose input an attack targets; its sent frames are searched for `secret`. */
  victim: number;
  secret?: number;
  /** The session's ring (64 unless given), as the job's number range sets it. */
  ring?: 64 | 128;
}

export interface LockedResult {
  /** Per party: 'ok' or the error code its run failed with. */
  codes: string[];
  /** The victim's outputs (numbers), if its run succeeded. */
  outputs: Record<string, { shape: number[]; data: number[] } | null> | null;
  /** Whether any frame the victim sent carried the secret as itself (float64 or text). */
  leaked: boolean;
  /** Calls that reached the stand-ins for the worker's fetch, indexedDB, postMessage, importScripts. */
  hostCalls: string[];
  /** Whether Object.prototype or Array.prototype was changed. */
  polluted: boolean;
  /** Whether the child's realm was locked down (it always should be). */
  locked: boolean;
}

const runner = fileURLToPath(new URL('./locked-runner.ts', import.meta.url));

export function lockedRun(scenarios: LockedScenario[]): Promise<LockedResult[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', runner],
      { maxBuffer: 64 << 20, timeout: 300_000 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`locked runner failed: ${err.message}\n${stderr}`));
        else resolve(JSON.parse(stdout) as LockedResult[]);
      },
    );
    child.stdin!.end(JSON.stringify(scenarios));
  });
}
