// The program editor between two real tabs: the proposer types a program with a syntax error,
// sees it marked (by the sandbox's rules) with the Propose button held back, fixes it by typing
// (taking a SecureNumpy completion on the way) and proposes; the invited member reads the same
// program highlighted and read-only, with the hash of exactly that text. Neither tab logs a
// Content-Security-Policy violation on the way (typing over a selection once did: Chrome's own
// editing put an inline style attribute into the editor, which the page's CSP refuses).

import { createHash } from 'node:crypto';
import AxeBuilder from '@axe-core/playwright';
import { expect, programText, test } from './fixtures.js';

const BROKEN = `const a = snp.array(party === 0 ? [1, 2] : null, 0);
const b = ;
return { z: await b.revealTo(0) };`;

test('a syntax error is marked and blocks the proposal; fixed, the invited member reads the highlighted program and its hash', async ({
  openParty,
}) => {
  const alice = await openParty('alice');
  const bob = await openParty('bob');
  const violations: string[] = [];
  for (const page of [alice, bob]) {
    page.on('console', (m) => {
      if (m.text().includes('Content Security Policy')) violations.push(m.text());
    });
  }
  await alice.getByTestId('kind-securenumpy').check();
  await alice.getByTestId('propose-peer').fill('bob');
  await alice.getByTestId('program-outputs').fill('z');

  const editor = alice.getByTestId('program-text');
  await editor.fill(BROKEN);
  await expect(alice.getByTestId('program-syntax')).toContainText('Line 2');
  await expect(alice.getByTestId('propose-submit')).toBeDisabled();
  // The error is marked in the editor itself (lint underline and gutter marker on that line).
  await expect(alice.locator('.cm-lintRange-error')).toHaveCount(1);
  await expect(alice.locator('.cm-lint-marker-error')).toHaveCount(1);
  // The gallery and the editor (with its error) pass an automated accessibility check.
  const axe = await new AxeBuilder({ page: alice }).include('.program-area').analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);

  // Fix line 2 by typing: delete the ';', complete `a.ad` to `a.add` from the SecureNumpy list.
  await editor.locator('.cm-line').nth(1).click();
  await alice.keyboard.press('End');
  await alice.keyboard.press('Backspace');
  expect((await programText(alice)).split('\n')[1]).toBe('const b = ');
  await alice.keyboard.type('a.ad');
  const selected = alice.locator('.cm-tooltip-autocomplete [aria-selected="true"]');
  await expect(selected).toContainText('add');
  await expect(selected).toContainText('(other)');
  await selected.click();
  expect((await programText(alice)).split('\n')[1]).toBe('const b = a.add');
  await alice.keyboard.type('(1);');

  await expect(alice.getByTestId('program-syntax')).toHaveCount(0);
  await expect(alice.locator('.cm-lintRange-error')).toHaveCount(0);
  const text = await programText(alice);
  expect(text.split('\n')[1]).toBe('const b = a.add(1);');
  await expect(alice.getByTestId('propose-submit')).toBeEnabled();
  await alice.getByTestId('propose-submit').click();

  const hash = createHash('sha256').update(text).digest('hex');
  await expect(bob.getByTestId('program-hash')).toContainText(hash);
  const program = bob.getByTestId('program');
  await expect(program).toHaveAttribute('contenteditable', 'false');
  await expect(program).toHaveAttribute('aria-readonly', 'true');
  await expect(program).toContainText('const b = a.add(1);');
  // Highlighted: keywords sit in styled token spans (CodeMirror's style sheet applies despite the
  // page's CSP: the editor draws in a shadow root with a constructed sheet).
  const keyword = program.locator('span', { hasText: /^const$/ }).first();
  await expect(keyword).toHaveCSS('color', 'rgb(119, 0, 136)');
  await expect(program.locator('span', { hasText: /^return$/ }).first()).toHaveCSS('color', 'rgb(119, 0, 136)');
  await expect(bob.getByTestId('accept')).toBeEnabled();
  const axeBob = await new AxeBuilder({ page: bob }).include('[data-testid="job"]').analyze();
  expect(axeBob.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
  expect(violations).toEqual([]);
});
