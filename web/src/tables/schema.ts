// A member's CSV header against the columns the job declares for it (its schema): the same names
// in the same order, or ERR_SCHEMA naming the first column that is missing, extra or out of
// order. Checked in the member's tab before anything is shared; the program then reads the
// columns by these names (`input.col(name)`, workers/sandbox/input-table.ts).

import { ParleyError } from '../../../shared/errors.js';

/** Refuses a header that is not exactly `expected` (null: the CSV has no header row). */
export function checkHeader(header: readonly string[] | null, expected: readonly string[]): void {
  const declared = expected.join(', ');
  if (!header) {
    throw new ParleyError('ERR_SCHEMA', `the first row must be the header with the job's columns: ${declared}`);
  }
  for (let i = 0; i < Math.max(header.length, expected.length); i++) {
    const want = expected[i];
    const got = header[i];
    if (want === got) continue;
    if (want !== undefined && !header.includes(want)) {
      throw new ParleyError('ERR_SCHEMA', `column "${want}" is missing (the job declares: ${declared})`);
    }
    if (got !== undefined && !expected.includes(got)) {
      throw new ParleyError(
        'ERR_SCHEMA',
        `column "${got.slice(0, 40)}" is not declared (the job declares: ${declared})`,
      );
    }
    if (want === undefined)
      throw new ParleyError('ERR_SCHEMA', `column "${got}" appears twice (the job declares: ${declared})`);
    throw new ParleyError(
      'ERR_SCHEMA',
      `column "${want}" is out of order: it is column ${header.indexOf(want) + 1}, the job declares it as column ${i + 1} (${declared})`,
    );
  }
}
