// What counts as "the database cannot be reached" (→ ERR_UNAVAILABLE) and what stays a real
// failure; the real path (a database refusing connections) is in pg-service.test.ts.

import { describe, expect, it } from 'vitest';
import { ParleyError } from '../../../shared/errors.js';
import { guarded, isUnavailable } from '../../../signaling/store/pg-unavailable.js';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isUnavailable', () => {
  it('is true for connection errors, shutdowns and pg’s code-less connection messages', () => {
    for (const e of [
      withCode('08006'),
      withCode('08001'),
      withCode('57P01'),
      withCode('57P03'),
      withCode('53300'),
      withCode('ECONNREFUSED'),
      withCode('ECONNRESET'),
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
      withCode('55000', 'database "x" is not currently accepting connections'),
    ])
      expect(isUnavailable(e)).toBe(true);
  });
  it('is false for errors of the query itself and for coded service errors', () => {
    for (const e of [
      withCode('23505'), // unique violation: a real conflict
      withCode('40001'), // serialization failure
      withCode('55000', 'lock not available'),
      new Error('boom'),
      new ParleyError('ERR_BAD_REQUEST', 'Connection terminated'),
      null,
      'ECONNREFUSED',
    ])
      expect(isUnavailable(e)).toBe(false);
  });
});

describe('guarded', () => {
  it('turns an outage into ERR_UNAVAILABLE and passes everything else through, with this kept', async () => {
    const target = {
      n: 2,
      async down() {
        throw withCode('ECONNREFUSED');
      },
      async conflict() {
        throw withCode('23505');
      },
      async twice(x: number) {
        return x * this.n;
      },
      sync: () => 7,
    };
    const g = guarded(target);
    await expect(g.down()).rejects.toMatchObject({ code: 'ERR_UNAVAILABLE' });
    await expect(g.conflict()).rejects.toMatchObject({ code: '23505' });
    expect(await g.twice(3)).toBe(6);
    expect(g.sync()).toBe(7);
    expect(g.n).toBe(2);
    expect(g.twice).toBe(g.twice); // one wrapper per method, not one per call
  });
});
