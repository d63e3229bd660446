// The editor's syntax check (web/src/editor/syntax.ts) against the sandbox itself: on a corpus of
// programs (the presets, valid edge cases, and texts each rule refuses) the editor marks an error
// exactly when compileInCompartment refuses the text, so a program the editor passes compiles.

import { describe, expect, it } from 'vitest';
import { checkSyntax } from '../../../web/src/editor/syntax.js';
import { hnwcProgram } from '../../../workers/programs/hnwc.js';
import { linearRegressionProgram } from '../../../workers/programs/linear-regression.js';
import { logisticRegressionProgram } from '../../../workers/programs/logistic-regression.js';
import { sumProductProgram } from '../../../workers/programs/sum-product.js';
import { compileInCompartment } from '../../../workers/sandbox/compartment.js';

const VALID: Record<string, string> = {
  hnwc: hnwcProgram({ receivers: [1] }),
  'linear regression': linearRegressionProgram({ receivers: [0] }),
  'logistic regression': logisticRegressionProgram({ receivers: [0, 1] }),
  'sum and product': sumProductProgram({ receivers: [0] }),
  'await and return at the top': 'const x = snp.array(input, party);\nreturn { x: await x.revealTo(0) };',
  'a trailing line comment': 'return 1; // done',
  'eval as a property': 'const o = { eval: 1 };\nreturn o.eval;',
  'class fields and optional chaining': 'class A { #p = 1; get p() { return this.#p; } }\nreturn new A()?.p ?? 0;',
  'empty program': '',
};

const INVALID: Record<string, string> = {
  'an unclosed brace': 'if (party === 0) {\n  return 1;\n',
  'an unbalanced closing brace': 'return 1;\n}',
  'a stray token': 'const x = ;',
  'a redeclared let': 'let a = 1;\nlet a = 2;',
  'with (strict mode)': 'with (snp) { return 1; }',
  'a legacy octal literal (strict mode)': 'return 010;',
  'delete of a name (strict mode)': 'let a = 1;\ndelete a;',
  'yield as a name (strict mode)': 'const yield = 1;',
  'await as a name (async body)': 'const await = 1;',
  'an HTML-like comment (SES)': "const s = '<!-- x';\nreturn s;",
  'a closing HTML-like comment (SES)': 'let a = 2;\nreturn a-->0;',
  'an import expression (SES)': "const m = await import('x');",
  'a direct eval (SES)': "return eval('1');",
};

describe('the editor marks syntax errors by the sandbox rules', () => {
  for (const [name, text] of Object.entries(VALID)) {
    it(`accepts ${name}, as the sandbox does`, () => {
      expect(() => compileInCompartment(text)).not.toThrow();
      expect(checkSyntax(text)).toBeNull();
    });
  }
  for (const [name, text] of Object.entries(INVALID)) {
    it(`refuses ${name}, as the sandbox does`, () => {
      expect(() => compileInCompartment(text)).toThrow(/ERR_PROGRAM|does not compile/);
      const problem = checkSyntax(text);
      expect(problem).not.toBeNull();
      expect(problem!.from).toBeGreaterThanOrEqual(0);
      expect(problem!.to).toBeLessThanOrEqual(text.length);
    });
  }

  it('places the error on the line of the text where it is', () => {
    const problem = checkSyntax('const a = 1;\nconst b = ;\nreturn a;');
    expect(problem).toMatchObject({ line: 2 });
    expect(problem!.message).not.toMatch(/\(\d+:\d+\)/);
    expect(checkSyntax("let a = 1;\nreturn eval('a');")).toMatchObject({ line: 2, message: /direct eval/ });
  });
});
