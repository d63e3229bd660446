// Marks a program's syntax errors before it is proposed, by the sandbox's rules: the text is
// wrapped exactly as workers/sandbox/compartment.ts wraps it (program-source.ts) and parsed as
// a script with acorn (the page's policy forbids eval, so the page cannot ask the engine
// itself), then checked against the three source patterns SES's Compartment refuses (HTML-like
// comments, import expressions and direct-eval look-alikes, matched by SES's own expressions in
// ses/src/transforms.js). test/web/editor/syntax.test.ts checks that this agrees with the real
// Compartment on a corpus of programs.

import { parse } from 'acorn';
import { PROGRAM_PREFIX, programSource } from '../../../workers/sandbox/program-source.js';

/** Where and why a program text does not compile; offsets are into the text. */
export interface SyntaxProblem {
  from: number;
  to: number;
  line: number;
  message: string;
}

/** SES's refusals (transforms.js): the text matches, the Compartment throws a SyntaxError. */
const SES_REFUSALS: { pattern: RegExp; message: string }[] = [
  { pattern: /(?:<!--|-->)/, message: 'the sandbox refuses HTML-like comments (<!-- or -->), even inside strings' },
  {
    pattern: /(^|[^.]|\.\.\.)\bimport(\s*(?:\(|\/[/*]))/,
    message: 'the sandbox refuses import expressions (a program gets its data as arguments)',
  },
  { pattern: /(^|[^.])\beval(\s*\()/, message: 'the sandbox refuses direct eval' },
];

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** The first syntax problem of a program text, or null when the sandbox would compile it. */
export function checkSyntax(text: string): SyntaxProblem | null {
  try {
    parse(programSource(text), { ecmaVersion: 'latest', sourceType: 'script' });
  } catch (e) {
    const pos = typeof (e as { pos?: unknown }).pos === 'number' ? (e as { pos: number }).pos : PROGRAM_PREFIX.length;
    const from = Math.max(0, Math.min(text.length, pos - PROGRAM_PREFIX.length));
    const raw = e instanceof Error ? e.message : String(e);
    // acorn appends "(line:column)" of the wrapped source; the line shown is the text's own.
    const message = raw.replace(/\s*\(\d+:\d+\)$/, '');
    return { from, to: Math.min(text.length, from + 1), line: lineOf(text, from), message };
  }
  for (const { pattern, message } of SES_REFUSALS) {
    const m = pattern.exec(text);
    if (m) {
      const from = m.index + (m[1]?.length ?? 0);
      return { from, to: from + m[0].length - (m[1]?.length ?? 0), line: lineOf(text, from), message };
    }
  }
  return null;
}
