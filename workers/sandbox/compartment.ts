// Compiles a job's program text inside a fresh SES Compartment: the text becomes the body of
// `async function (snp, party, input)`, evaluated with the Compartment's own global object,
// which holds only SES's pure built-ins (Array, Math, JSON, Promise, the typed arrays…; SES leaves
// Float32Array and Float64Array out only for the NaN-bit side channel, which does not matter here,
// so they are endowed: the presets decode with Float64Array) and no host object: no fetch, indexedDB, postMessage, importScripts, timers or console. What the
// program can reach is therefore what it is called with: the facade (workers/securenumpy/
// facade.ts), its party index and a copy of its input. Isolation holds once the realm is locked
// down (lockdown.ts); before that (unit tests in a shared process) the same code runs unisolated.

import 'ses';
import { ParleyError } from '../../shared/errors.js';
import { programSource } from './program-source.js';

/** A compiled program: the async function the text is the body of. */
export type SandboxedProgram = (snp: unknown, party: number, input: unknown) => Promise<unknown>;

/** Evaluates the text as an async function body in a new Compartment; syntax errors are ERR_PROGRAM. */
export function compileInCompartment(text: string): SandboxedProgram {
  // The options bag (with the __options__ sigil) is ses 2's form; its types still say Map.
  const globals = { Float32Array, Float64Array };
  const compartment = new Compartment({
    __options__: true,
    name: 'job program',
    globals,
  } as unknown as ConstructorParameters<typeof Compartment>[0] & { __options__: true });
  let program: unknown;
  try {
    program = compartment.evaluate(programSource(text));
  } catch (e) {
    throw new ParleyError('ERR_PROGRAM', `the program does not compile: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (typeof program !== 'function') throw new ParleyError('ERR_PROGRAM', 'the program does not compile to a function');
  return program as SandboxedProgram;
}
