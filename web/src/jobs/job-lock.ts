// One tab per participant and job: a participant may have the app open in several tabs of one
// browser profile, but only one of them may connect and compute for a given job, or both would
// answer the peer's offers. A Web Lock per job decides; the others say where the job is open.

export interface JobLock {
  release(): void;
}

/** Resolves to the lock if this tab got it, or null if another tab of this browser holds it. */
export function tryLockJob(jobId: string): Promise<JobLock | null> {
  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  if (!locks) return Promise.resolve({ release: () => undefined }); // no Web Locks: assume one tab
  return new Promise((resolve) => {
    void locks.request(`parley-job-${jobId}`, { ifAvailable: true }, (lock) => {
      if (!lock) {
        resolve(null);
        return undefined;
      }
      // Hold the lock until released (or until the tab closes).
      return new Promise<void>((release) => resolve({ release }));
    });
  });
}
