// Completion of the SecureNumpy API in the program editor: after `snp.` the functions of snp,
// after any other `.` the members of a SecureArray (the program's values are mostly arrays),
// and at the start of a name the program's three arguments. Each option shows its signature and
// its one-line doc (snp-api.ts); JavaScript's own keywords, snippets and local names come from
// @codemirror/lang-javascript alongside these.

import type { Completion, CompletionContext, CompletionResult } from '@codemirror/autocomplete';
import { completionPath } from '@codemirror/lang-javascript';
import { type ApiEntry, ARRAY_API, SNP_API } from './snp-api.js';

const option = (e: ApiEntry): Completion => ({
  label: e.name,
  type: e.kind,
  detail: e.signature,
  info: e.doc,
});

const SNP_OPTIONS = SNP_API.map(option);
const ARRAY_OPTIONS = ARRAY_API.map(option);
const ARGUMENTS: Completion[] = [
  { label: 'snp', type: 'variable', detail: ': SecureNumpy', info: 'The SecureNumpy API (NumPy names).', boost: 2 },
  { label: 'party', type: 'variable', detail: ': number', info: "This party's index (0 is the proposer).", boost: 1 },
  {
    label: 'input',
    type: 'variable',
    detail: '',
    info: "This party's data (null at parties that bring none).",
    boost: 1,
  },
];
const IDENTIFIER = /^[\w$]*$/;

/** The completion source the editor adds to JavaScript's own. */
export function snpCompletions(context: CompletionContext): CompletionResult | null {
  const path = completionPath(context);
  if (path) {
    const from = context.pos - path.name.length;
    if (path.path.length === 0) return { from, options: ARGUMENTS, validFor: IDENTIFIER };
    return {
      from,
      options: path.path.length === 1 && path.path[0] === 'snp' ? SNP_OPTIONS : ARRAY_OPTIONS,
      validFor: IDENTIFIER,
    };
  }
  // A member of a call's result (`x.mul(y).`), which completionPath does not follow.
  const member = context.matchBefore(/[)\]]\s*\.\s*[\w$]*$/);
  if (!member) return null;
  const name = /[\w$]*$/.exec(member.text)![0];
  return { from: context.pos - name.length, options: ARRAY_OPTIONS, validFor: IDENTIFIER };
}
