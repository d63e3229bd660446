// A member's own input for a job, typed or loaded from a CSV file: the text, and what the job's
// parser makes of it (null while empty, or the coded error at once). It never leaves this tab.

import { type ErrorInfo, toErrorInfo } from '../../../shared/errors.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo } | null;

export class TextInput<T> {
  text = $state('');
  readonly parsed: Parsed<T> = $derived.by(() => this.parseText(this.text));

  constructor(private readonly parse: (text: string) => T) {}

  /** Reads the file chosen in an `<input type="file">` into the text. */
  async load(e: Event): Promise<void> {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (file) this.text = await file.text();
  }

  private parseText(text: string): Parsed<T> {
    if (text.trim() === '') return null;
    try {
      return { ok: true, value: this.parse(text) };
    } catch (e) {
      return { ok: false, error: toErrorInfo(e) };
    }
  }
}
