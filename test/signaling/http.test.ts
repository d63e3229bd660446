// The app's security headers on every static response: the page's CSP (no eval, no framing,
// same-origin connections), nosniff, no referrer, HSTS only where the request came over TLS;
// worker scripts carry their own policy (WebAssembly for all, eval only for the program worker,
// which may connect nowhere).

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Harness } from '../helpers/service.js';

let h: Harness;
afterEach(() => h.stop());

async function serve(): Promise<string> {
  h = new Harness();
  const dist = join(h.dir, 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Parley</title>');
  for (const f of ['index-Ab1.js', 'program.worker-Cos2N5f6.js', 'lane.worker-BVuuL_oX.js'])
    writeFileSync(join(dist, 'assets', f), 'export {};');
  await h.start({ staticDir: dist });
  return h.url;
}

const directives = (csp: string | null) =>
  Object.fromEntries(
    (csp ?? '')
      .split(';')
      .map((d) => d.trim().split(/\s+/) as [string, ...string[]])
      .map(([k, ...v]) => [k, v]),
  );

describe('static responses', () => {
  it('the page: CSP without eval or framing, nosniff, no referrer, no HSTS over plain HTTP', async () => {
    const url = await serve();
    for (const path of ['/', '/jobs/some-spa-route', '/assets/index-Ab1.js']) {
      const r = await fetch(url + path);
      expect(r.status).toBe(200);
      const csp = directives(r.headers.get('content-security-policy'));
      expect(csp['script-src']).toEqual(["'self'"]);
      expect(csp['default-src']).toEqual(["'self'"]);
      expect(csp['connect-src']).toEqual(["'self'"]);
      expect(csp['frame-ancestors']).toEqual(["'none'"]);
      expect(csp['base-uri']).toEqual(["'none'"]);
      expect(csp['object-src']).toEqual(["'none'"]);
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('referrer-policy')).toBe('no-referrer');
      expect(r.headers.get('strict-transport-security')).toBeNull();
    }
  });

  it('HSTS when a TLS-terminating proxy forwarded the request', async () => {
    const url = await serve();
    const r = await fetch(`${url}/`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(r.headers.get('strict-transport-security')).toMatch(/^max-age=\d{7,}/);
  });

  it('the program worker may evaluate (SES) but connect nowhere; other workers only compile WebAssembly', async () => {
    const url = await serve();
    const program = directives(
      (await fetch(`${url}/assets/program.worker-Cos2N5f6.js`)).headers.get('content-security-policy'),
    );
    expect(program['script-src']).toEqual(["'self'", "'unsafe-eval'", "'wasm-unsafe-eval'"]);
    expect(program['connect-src']).toEqual(["'none'"]);
    const lane = await fetch(`${url}/assets/lane.worker-BVuuL_oX.js`);
    expect(lane.headers.get('content-type')).toBe('text/javascript');
    const laneCsp = directives(lane.headers.get('content-security-policy'));
    expect(laneCsp['script-src']).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(lane.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
