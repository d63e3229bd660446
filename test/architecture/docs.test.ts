// Keeps the README's error table in step with the codes the code can produce.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../shared/errors.js';

describe('README', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  it('documents every error code', () => {
    for (const code of Object.keys(ERROR_CODES)) expect(readme).toContain(`| \`${code}\` |`);
  });
  it('shows the two commands first', () => {
    const head = readme.slice(0, 800);
    expect(head).toContain('npm install && npm start');
    expect(head).toContain('npm test');
  });
});
