// The editor's completion list (web/src/editor/snp-api.ts) names exactly the SecureNumpy API a
// program holds: every member of a real session's `snp` and every member of SecureArray's
// prototype (the facade installs one per member, plus its own dtype), no more and no fewer.

import { describe, expect, it } from 'vitest';
import { ARRAY_API, SNP_API } from '../../../web/src/editor/snp-api.js';
import { SecureArray } from '../../../workers/securenumpy/array.js';
import { runLocal } from '../../../workers/securenumpy/index.js';

const names = (list: readonly { name: string }[]) => list.map((e) => e.name).sort();

describe('the completion list covers the SecureNumpy API', () => {
  it('has every snp member, and only those', async () => {
    const [keys] = await runLocal(2, async (snp) => Object.keys(snp), { preprocessing: 'dealer' });
    expect(names(SNP_API)).toEqual([...(keys as string[])].sort());
  });

  it('has every SecureArray member, and only those', () => {
    const members = Object.getOwnPropertyNames(SecureArray.prototype).filter((n) => n !== 'constructor');
    expect(names(ARRAY_API)).toEqual([...members, 'dtype'].sort());
  });

  it('gives each entry a signature and a one-line doc', () => {
    for (const e of [...SNP_API, ...ARRAY_API]) {
      expect(e.signature, e.name).toMatch(/^(\(|: )/);
      expect(e.doc, e.name).toMatch(/^\S.*\.$/);
      expect(e.doc, e.name).not.toContain('\n');
    }
  });
});
