// Hardens the realm a job's program runs in (SES, Hardened JavaScript: https://hardenedjs.org):
// `lockdown()` freezes every shared intrinsic (Object.prototype, Array.prototype, Function, the
// typed arrays, Promise…) and replaces the Function constructors reachable from any function
// (`f.constructor`, `(async () => {}).constructor`) with ones that throw, so code evaluated in a
// Compartment cannot reach the worker's global object or change what the engine's code sees.
// The program worker calls lockdownRealm() once, after its modules have loaded and before any
// program is compiled.

import 'ses';

/**
 * SES's defaults (errors, console and eval tamed safely; 'moderate' override taming, so that
 * assignments such as `error.name = …` keep working on objects whose prototype is frozen),
 * except for process-wide traps: the worker reports its own failures through comlink, as before.
 */
const LOCKDOWN_OPTIONS = {
  errorTrapping: 'none',
  unhandledRejectionTrapping: 'none',
  overrideTaming: 'moderate',
  evalTaming: 'safe-eval',
} as const;

/** True once lockdown() has run in this realm (the intrinsics are frozen and harden exists). */
export function isLockedDown(): boolean {
  return typeof globalThis.harden === 'function' && Object.isFrozen(Array.prototype);
}

/** Runs lockdown() once for this realm. */
export function lockdownRealm(): void {
  if (!isLockedDown()) lockdown(LOCKDOWN_OPTIONS);
}
