// "Propose again": a finished job's settings handed to the proposal form, which prefills itself
// with the same program, members, outputs and receivers, number range and triple source, and
// then clears the hand-over. The proposing tab is party 0 of the new job.

import type { JobRing } from '../../../shared/protocol.js';
import type { StoredResult } from './result.js';

export interface ProposalDraft {
  program: string;
  members: string[];
  outputs: string[];
  receivers: string[];
  ring: JobRing;
  dealer: string | null;
}

/** The proposal a kept result repeats. */
export function draftOf(r: StoredResult): ProposalDraft {
  return {
    program: r.program.text,
    members: [...r.members],
    outputs: r.reveal.map((x) => x.output),
    receivers: [...new Set(r.reveal.flatMap((x) => x.to))],
    ring: r.ring,
    dealer: r.dealer,
  };
}

class ProposeAgain {
  /** The draft waiting for the form, or null. */
  draft: ProposalDraft | null = $state(null);
}

export const proposeAgain = new ProposeAgain();
