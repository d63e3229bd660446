// The README's screenshots and the accessibility check, shared by the e2e tests that walk each
// main screen (issue 17): a fixed viewport so the pictures stay the same size run after run,
// CodeMirror editors scrolled into view before shooting (it draws only the lines it has measured
// in view), and axe-core over the screen, failing on any serious or critical violation. The
// screens are walked on every run, but docs/screenshots/ is rewritten only with SCREENSHOTS=1, so
// an ordinary test run leaves the tree clean.

import { resolve } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Locator, type Page } from '@playwright/test';

/** Every README screenshot is taken at this viewport. */
const VIEWPORT = { width: 1000, height: 900 };

/** Whether this run rewrites the README's screenshots (`SCREENSHOTS=1`). */
const WRITE_SCREENSHOTS = process.env.SCREENSHOTS === '1';

/**
 * Brings the screen into the README's shape (viewport, editors drawn) and, with SCREENSHOTS=1,
 * saves docs/screenshots/<name>.png: `target` (an element) or the page's viewport.
 */
export async function shootScreen(page: Page, name: string, target?: Locator): Promise<void> {
  await page.setViewportSize(VIEWPORT);
  const scope = target ?? page.locator('body');
  for (const editor of await scope.locator('.cm-editor').all()) await editor.scrollIntoViewIfNeeded();
  if (target) await target.scrollIntoViewIfNeeded();
  // Two frames: the editors measure and draw what came into view.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  if (!WRITE_SCREENSHOTS) return;
  const path = resolve(import.meta.dirname, `../docs/screenshots/${name}.png`);
  if (target) await target.screenshot({ path });
  else await page.screenshot({ path });
}

/** Runs axe over the page (or the elements matching `include`) and fails on serious or critical violations. */
export async function expectAccessible(page: Page, include?: string): Promise<void> {
  const builder = new AxeBuilder({ page });
  const result = await (include ? builder.include(include) : builder).analyze();
  const severe = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ rule: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  expect(severe).toEqual([]);
}
