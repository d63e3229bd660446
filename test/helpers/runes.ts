// Svelte 5 runes as plain values, for unit tests of the app's `.svelte.ts` classes under Node
// (vitest does not compile them): `$state(v)` is v. Reactivity is the views' concern, not these tests'.

const identity = <T>(v: T): T => v;
Object.assign(globalThis, { $state: Object.assign(identity, { raw: identity }) });
