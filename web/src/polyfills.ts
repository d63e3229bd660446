// Node globals simple-peer's dependencies expect; imported before anything else in main.ts.
import process from 'process';

const g = globalThis as unknown as { process?: unknown };
g.process ??= process;
