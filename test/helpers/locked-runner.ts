// A child process that runs job programs as the program worker does: it locks its realm down
// (SES lockdown, which a vitest process cannot do to itself), then runs each scenario read from
// stdin through runProgram on two in-memory pools, and prints one JSON result per scenario. It
// stands in for the worker's host objects (fetch, indexedDB, postMessage, importScripts, self)
// with recorders, and taps every frame the victim party sends, so that a test can assert what
// an attacking program reached and what left the victim. Run by lockedRun (locked.ts).

import { MemoryNetwork } from '../../workers/pool/memory-network.js';
import { Pool } from '../../workers/pool/pool.js';
import { type ProgramOutputs, runProgram } from '../../workers/program.js';
import { isLockedDown, lockdownRealm } from '../../workers/sandbox/lockdown.js';
import type { LockedResult, LockedScenario } from './locked.js';

/** Host calls made by anything in this process (a program that escaped reaches these). */
const hostCalls: string[] = [];
const recorder =
  (name: string) =>
  (...args: unknown[]) => {
    hostCalls.push(`${name}(${JSON.stringify(args)})`);
    return Promise.resolve(undefined);
  };
const host = globalThis as Record<string, unknown>;
for (const name of ['fetch', 'postMessage', 'importScripts']) host[name] = recorder(name);
host.indexedDB = { open: recorder('indexedDB.open') };
host.self = globalThis;

lockdownRealm();

function plain(outputs: ProgramOutputs): LockedResult['outputs'] {
  return Object.fromEntries(
    Object.entries(outputs).map(([k, v]) => [k, v && { shape: v.shape, data: Array.from(v.data, Number) }]),
  );
}

/** The byte patterns a value takes when sent as itself: float64 either endianness, or as text. */
function patterns(secret: number): Uint8Array[] {
  const le = new Uint8Array(8);
  new DataView(le.buffer).setFloat64(0, secret, true);
  return [le, le.slice().reverse(), new TextEncoder().encode(String(secret))];
}

function contains(hay: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

async function run(s: LockedScenario): Promise<LockedResult> {
  hostCalls.length = 0;
  const net = new MemoryNetwork(2);
  const sent: Uint8Array[] = [];
  const victimLink = net.link(s.victim, 1 - s.victim);
  const send = victimLink.send.bind(victimLink);
  victimLink.send = (frame) => {
    sent.push(frame.slice());
    send(frame);
  };
  const parties = ['party0', 'party1'];
  const pools = parties.map((_, me) => new Pool({ parties, me, links: net.linksOf(me), graceMs: 500 }));
  const settled = await Promise.allSettled(
    pools.map((pool, i) =>
      runProgram(pool, {
        text: s.text,
        input: s.inputs[i]!,
        ...(s.schema ? { schema: s.schema } : {}),
        reveal: s.reveal,
        triples: 'dealer-free',
        ring: s.ring ?? 64,
      }).finally(() => pool.close()),
    ),
  );
  // Whatever the program left running (a timer, a detached promise chain) gets time to act.
  await new Promise((r) => setTimeout(r, 200));
  const leaked = s.secret !== undefined && patterns(s.secret).some((p) => sent.some((f) => contains(f, p)));
  const victim = settled[s.victim]!;
  return {
    codes: settled.map((r) => (r.status === 'fulfilled' ? 'ok' : ((r.reason as { code?: string }).code ?? 'none'))),
    outputs: victim.status === 'fulfilled' ? plain(victim.value) : null,
    leaked,
    hostCalls: [...hostCalls],
    polluted: Object.keys(Object.prototype).length > 0 || 'polluted' in Array.prototype,
    locked: isLockedDown(),
  };
}

let text = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  text += chunk;
});
process.stdin.on('end', async () => {
  const results: LockedResult[] = [];
  for (const s of JSON.parse(text) as LockedScenario[]) results.push(await run(s));
  process.stdout.write(JSON.stringify(results));
  process.exit(0);
});
