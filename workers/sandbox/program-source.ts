// The one place that says how a job's program text becomes source code: the body of a strict
// `async function program(snp, party, input)`. The sandbox (compartment.ts) evaluates exactly
// this source, and the app's editor (web/src/editor/syntax.ts) parses exactly this source to mark
// syntax errors before a proposal, so both hold a program to the same rules. This file imports
// nothing, so the app can use it without loading SES.

/** What comes before the program text in the compiled source. */
export const PROGRAM_PREFIX = "(async function program(snp, party, input) {\n'use strict';\n";

/** The source the sandbox evaluates for a program text. */
export function programSource(text: string): string {
  return `${PROGRAM_PREFIX}${text}\n})`;
}
