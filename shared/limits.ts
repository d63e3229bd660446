// Size limits shared by the service, the app and the engine (kept free of dependencies so the
// worker bundle stays small).

/** Largest vector the sum-and-product preset takes (the dealer sends 8 bytes per element). */
export const MAX_VECTOR_LENGTH = 100_000;
/** WebRTC signaling payloads are opaque to the service but bounded in size. */
export const MAX_SIGNAL_BYTES = 16 * 1024;
/** Largest SecureNumpy program text a job may carry. */
export const MAX_PROGRAM_BYTES = 64 * 1024;
