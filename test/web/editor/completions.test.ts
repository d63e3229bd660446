// The editor's completion source (web/src/editor/completions.ts) on real editor states: after
// `snp.` it offers snp's functions with their signatures, after a SecureArray-valued expression
// (a name or a call's result) the array's members, at the start of a name the program's
// arguments, and nothing inside a string.

import { CompletionContext } from '@codemirror/autocomplete';
import { javascript } from '@codemirror/lang-javascript';
import { EditorState } from '@codemirror/state';
import { describe, expect, it } from 'vitest';
import { snpCompletions } from '../../../web/src/editor/completions.js';

/** Completes at the `|` in the text. */
function complete(marked: string, explicit = false) {
  const pos = marked.indexOf('|');
  const state = EditorState.create({ doc: marked.replace('|', ''), extensions: [javascript()] });
  return snpCompletions(new CompletionContext(state, pos, explicit));
}

describe('SecureNumpy completion', () => {
  it('offers snp functions with their signatures after snp.', () => {
    const r = complete('const x = snp.ar|');
    expect(r).not.toBeNull();
    const array = r!.options.find((o) => o.label === 'array');
    expect(array).toMatchObject({ detail: '(data, owner, dtype?)', type: 'function' });
    expect(r!.options.some((o) => o.label === 'revealTo')).toBe(false);
    expect(r!.from).toBe('const x = snp.'.length);
  });

  it('offers SecureArray members after a name or a call result', () => {
    for (const text of ['x.rev|', 'snp.array(input, 0).mul(2).rev|']) {
      const r = complete(text);
      expect(r, text).not.toBeNull();
      expect(
        r!.options.find((o) => o.label === 'revealTo'),
        text,
      ).toMatchObject({ detail: '(party)' });
      expect(
        r!.options.some((o) => o.label === 'linspace'),
        text,
      ).toBe(false);
    }
  });

  it("offers the program's arguments at the start of a name, and nothing in a string", () => {
    expect(complete('const a = pa|')!.options.map((o) => o.label)).toEqual(['snp', 'party', 'input']);
    expect(complete("const s = 'snp.ar|'")).toBeNull();
  });
});
