// The first screen as a new analyst meets it, by keyboard alone: the Join form passes the
// accessibility check and is shot for the README, its controls come in order under Tab (name,
// each role, Join), Enter signs in, and the app's tabs (Jobs, Market, …) switch by keyboard.

import { expect, test } from './fixtures.js';
import { expectAccessible, shootScreen } from './screens.js';

test('the first screen: checked for accessibility, shot, and walked by keyboard to signing in', async ({
  browser,
  service,
}) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(service.url);
  await expect(page.getByTestId('join-name')).toBeVisible();
  await expectAccessible(page);
  await shootScreen(page, 'join', page.locator('main'));

  const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);
  await page.keyboard.press('Tab');
  expect(await focused()).toBe('join-name');
  await page.keyboard.type('ada');
  const order: (string | null)[] = [];
  for (let i = 0; i < 8 && (await focused()) !== 'join-submit'; i++) {
    await page.keyboard.press('Tab');
    order.push(await focused());
  }
  expect(order.at(-1)).toBe('join-submit');
  expect(order.slice(0, -1).every((id) => id?.startsWith('role-'))).toBe(true);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('me')).toHaveText('ada');

  // The app's tabs take focus and switch with Enter.
  await page.getByTestId('tab-market').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('tab-market')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('market-refresh')).toBeVisible();
  await expectAccessible(page);
  await context.close();
});
