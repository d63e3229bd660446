// The seeded generator behind synthetic data, tests and benchmarks: mulberry32's known answers,
// so data sets stay the same across changes.

import { describe, expect, it } from 'vitest';
import { seededUniform } from '../../shared/random.js';

describe('seededUniform', () => {
  it('gives mulberry32 known answers and replays from its seed', () => {
    const g = seededUniform(1);
    expect([g(), g()]).toEqual([0.6270739405881613, 0.002735721180215478]);
    const a = seededUniform(42);
    const b = seededUniform(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});
