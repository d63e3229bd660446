// The program sandbox between real tabs: the proposer's program tries to take the other
// member's raw input through the pool, to open its IndexedDB (identity key, listing keys) and to
// reach fetch through Function-constructor chains; each time the victim's tab shows
// ERR_PROGRAM, the proposer gets no output and no request leaves. A benign preset still runs,
// which also shows that Chromium applies the program worker's own CSP (it allows the
// Compartment's eval; the page's policy refuses eval). The page refuses eval and framing.

import type { Page } from '@playwright/test';
import { expect, readyProgramJob, test } from './fixtures.js';

const SECRET = 4242.5;
const csv = (name: string, text: string) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });

/** Bob (party 1) brings the secret; both run; bob's tab must show ERR_PROGRAM and alice gets nothing. */
async function attack(alice: Page, bob: Page, attempt: string): Promise<void> {
  // Both parties first wait for bob's input, so that both are running when the attempt is made.
  const program = `await snp.array(party === 1 ? input : null, 1).ready();\n${attempt}`;
  await readyProgramJob(alice, bob, 'bob', { outputs: 'z', program });
  await bob.getByTestId('csv').setInputFiles(csv('secret.csv', `v\n${SECRET}\n`));
  await expect(bob.getByTestId('input-count')).toHaveText('1 rows × 1 columns ready');
  await alice.getByTestId('compute').click();
  await bob.getByTestId('compute').click();
  await expect(bob.getByTestId('job-error')).toContainText('ERR_PROGRAM', { timeout: 30_000 });
  await expect(bob.getByTestId('job-state')).toHaveText('failed');
  await expect(alice.getByTestId('job-state')).toHaveText('failed');
  for (const p of [alice, bob]) await expect(p.getByTestId('output-z')).toHaveCount(0);
}

test("a program that sends the peer's input through the pool fails with ERR_PROGRAM; the proposer gets nothing", async ({
  openParty,
}) => {
  const alice = await openParty('alice');
  const bob = await openParty('bob');
  await attack(
    alice,
    bob,
    `const x = snp.zeros([1]);
if (party === 1) { await x.session.pool.send(0, input, 'leak'); return null; }
const stolen = await x.session.pool.recv(1, 'leak');
return { z: { shape: [1], dtype: 'float64', data: Float64Array.of(stolen[0][0]) } };
`,
  );
});

test("a program that opens the member's IndexedDB through a Function constructor fails with ERR_PROGRAM", async ({
  openParty,
}) => {
  const alice = await openParty('alice');
  const bob = await openParty('bob');
  // Were the worker's realm not locked down, a facade function's constructor would evaluate in the
  // worker's global scope and the database would open (the run would then end as done).
  await attack(
    alice,
    bob,
    `if (party === 1) {
  const g = Object.getPrototypeOf(snp.add).constructor('return this')();
  const db = await new Promise((ok, fail) => { const r = g.indexedDB.open('parley'); r.onsuccess = () => ok(r.result); r.onerror = fail; });
  db.close();
}
return null;
`,
  );
});

test('a program that reaches fetch through a constructor chain fails with ERR_PROGRAM; no request leaves', async ({
  openParty,
}) => {
  const alice = await openParty('alice');
  const bob = await openParty('bob');
  const leaks: string[] = [];
  bob.context().on('request', (r) => {
    if (r.url().includes('leak')) leaks.push(r.url());
  });
  await attack(
    alice,
    bob,
    `if (party === 1) {
  const g = snp.zeros.constructor('return this')();
  await g.fetch('/api/config?leak=' + input);
}
return null;
`,
  );
  expect(leaks).toEqual([]);
});

test('a benign preset runs in the sandbox; the page refuses eval and cannot be framed', async ({
  openParty,
  service,
}) => {
  const alice = await openParty('alice');
  const bob = await openParty('bob');
  const doc = await alice.request.get(service.url);
  expect(doc.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
  // A string handed to the page's timer is eval: refused, as is an inline script.
  const evaluated = await alice.evaluate(
    () =>
      new Promise<string>((resolve) => {
        document.addEventListener('securitypolicyviolation', (e) => resolve(`refused: ${e.violatedDirective}`));
        (window as unknown as { ran?: () => void }).ran = () => resolve('evaluated');
        setTimeout('window.ran()' as unknown as () => void, 0);
      }),
  );
  expect(evaluated).toMatch(/^refused: script-src/);
  await expect(alice.addScriptTag({ content: 'window.ran()' })).rejects.toThrow();

  await readyProgramJob(alice, bob, 'bob', {
    outputs: 'twice',
    program: 'return snp.array(party === 1 ? input : null, 1).mul(2).revealTo(0);',
  });
  await bob.getByTestId('csv').setInputFiles(csv('v.csv', 'v\n1.5\n-2\n'));
  await alice.getByTestId('compute').click();
  await bob.getByTestId('compute').click();
  await expect(alice.getByTestId('output-twice')).toHaveText(['3', '-4'], { timeout: 30_000 });
  for (const p of [alice, bob]) await expect(p.getByTestId('job-state')).toHaveText('done');

  // Framed, even by its own origin, the app does not load (frame-ancestors 'none').
  const framed = await alice.evaluate(async (url) => {
    const f = document.createElement('iframe');
    f.src = url;
    await new Promise((r) => {
      f.onload = r;
      document.body.append(f);
    });
    try {
      return f.contentDocument?.getElementById('app') ? 'framed' : 'blocked';
    } catch {
      return 'blocked';
    }
  }, service.url);
  expect(framed).toBe('blocked');
});
