// How a job's private join compares keys: the proposer picks one normalisation for the whole job
// (Job.join), every party applies it to its own key column before the join, so that " C-17 " and
// "C-17" (trim) or "Alice@Example.org" and "alice@example.org" (trim + case-fold) are one key.
// Keys stay strings: a key column is never read as a number ("007" is not "7").

/** The key normalisations a proposer can choose: trim, or trim then case-fold. */
export const KEY_NORMALISATIONS = ['trim', 'trim-casefold'] as const;
export type KeyNormalisation = (typeof KEY_NORMALISATIONS)[number];

/** What each normalisation is called on the job card and in the proposal form. */
export const KEY_NORMALISATION_TEXT: Record<KeyNormalisation, string> = {
  trim: 'trimmed (leading and trailing spaces ignored), case kept',
  'trim-casefold': 'trimmed and case-folded (spaces around and upper / lower case ignored)',
};

/** What a private join reveals, as the job card says it before anyone accepts. */
export const JOIN_REVEALS =
  'The join reveals only how many rows each party brings; not which customers are in common, nor how many.';

/**
 * One key as the job compares it, the same text the engine's join hashes (workers/join/keys.ts
 * normaliseKeys with { trim: true, caseFold } gives this key's UTF-8 bytes): NFC, then
 * String.prototype.trim (Unicode white space at both ends), then for 'trim-casefold' the
 * locale-independent lower case (toLowerCase, not full case folding: "ß" and "ss" stay apart)
 * and NFC again. Idempotent, so a key normalised here passes the engine's normalisation unchanged.
 */
export function normaliseKey(raw: string, normalise: KeyNormalisation): string {
  const t = raw.normalize('NFC').trim();
  return normalise === 'trim' ? t : t.toLowerCase().normalize('NFC');
}
