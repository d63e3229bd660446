// Stable error codes and the one error class Parley throws; codes survive structured clone,
// comlink and socket acknowledgements because they travel as plain { code, message } objects.

export const ERROR_CODES = {
  ERR_BAD_REQUEST: 'A request or event payload failed validation.',
  ERR_TOO_LARGE: 'A request, message or input is larger than the stated limit.',
  ERR_BAD_NAME: 'A participant name is not 1-32 characters of letters, digits, ".", "_" or "-".',
  ERR_NAME_TAKEN: 'The participant name is registered with another key.',
  ERR_UNKNOWN_PARTICIPANT: 'No participant is registered under that name.',
  ERR_CHALLENGE_INVALID: 'The login challenge is unknown, expired or already used.',
  ERR_BAD_SIGNATURE: 'A signature does not verify under the registered key.',
  ERR_TICKET_INVALID: 'A ticket is malformed, not signed by this service, or for another audience.',
  ERR_TICKET_EXPIRED: 'A ticket has expired.',
  ERR_TICKET_REPLAY: 'A ticket or challenge answer was presented a second time.',
  ERR_ADMISSION: 'Registration needs a valid invitation code from the operator.',
  ERR_REVOKED: 'The participant was revoked by the operator.',
  ERR_ROLE: 'A participant lacks the role this action needs.',
  ERR_RATE_LIMITED: 'Too many requests; slow down and retry.',
  ERR_PEER_AUTH: 'The peer could not prove its identity on the data channel.',
  ERR_JOB_EXPIRED: 'The job passed its deadline before it finished.',
  ERR_UNKNOWN_JOB: 'No such job, or you are not a member of it.',
  ERR_JOB_STATE: 'The job is not in a state that allows this action.',
  ERR_CANCELLED: 'A member cancelled the job; every member stops its run.',
  ERR_NOT_MEMBER: 'The sender and the addressee are not both members of the job.',
  ERR_BAD_INPUT: 'An input value is not a finite number, or a join key is malformed.',
  ERR_OUT_OF_RANGE: 'An input value lies outside the exact fixed-point range.',
  ERR_LENGTH_MISMATCH: 'The parties supplied vectors of different lengths.',
  ERR_PEER_LEFT: 'The peer closed its tab or lost its connection.',
  ERR_PEER_ABORTED: 'The peer stopped the computation with an error.',
  ERR_TIMEOUT: 'A message did not arrive in time.',
  ERR_DUPLICATE_ID: 'A message id arrived twice from the same peer.',
  ERR_DUPLICATE_KEY: 'Two rows of one party have the same join key after normalisation.',
  ERR_CLOSED: 'The object was used after it was closed.',
  ERR_PROTOCOL: 'A peer sent a message that does not fit the protocol.',
  ERR_SHAPE: 'Array shapes do not fit (broadcasting, reshape, concatenation).',
  ERR_SCHEMA: "A member's table does not have the columns the job declares for it (missing, extra or out of order).",
  ERR_AXIS: 'An axis is out of range for the array, or repeated.',
  ERR_INDEX: 'An index or slice is out of range or malformed.',
  ERR_DTYPE: 'An unknown dtype, or one the operation does not take.',
  ERR_PENDING: "An array's shape comes from another party's input and is not known here yet.",
  ERR_UNSUPPORTED: 'The operation needs a protocol this engine does not offer yet (e.g. division by a secret).',
  ERR_REVEAL_DENIED: "The job's reveal list does not allow revealing to that party.",
  ERR_PROGRAM:
    "The job's program does not compile, threw an error of its own, or returned something that is not a revealed array.",
  ERR_UNKNOWN_LISTING: 'No such listing in the marketplace.',
  ERR_LISTING_EXPIRED: 'The listing passed its expiry; it can no longer be bought or computed on.',
  ERR_NO_PURCHASE: 'No active purchase of this listing by this buyer.',
  ERR_PURCHASE_STATE:
    'The purchase is not in a state that allows this action (cancelled, confirmed, disputed, expired, or decryption already began).',
  ERR_INSUFFICIENT_CREDITS: 'The balance does not cover the price plus the guarantee.',
  ERR_BUDGET: "The request would exceed the purchase's decryption budget.",
  ERR_POLICY: "The listing's policy does not offer this computation.",
  ERR_REPLAY: 'A signed request (nonce or sequence number) was presented a second time or out of order.',
  ERR_ALTERED: 'A signed request does not match what it came with (altered ciphertexts, ids or signature).',
  ERR_WRONG_KEY: 'A ciphertext was made under another Paillier key (for example a real ciphertext in the test flow).',
  ERR_LEDGER_TAMPERED: 'A ledger entry fails verification: broken hash chain, bad signature, or reordered.',
  ERR_KEY_UNAVAILABLE: "The listing's private key is not in this browser (another browser or cleared storage).",
  ERR_BAD_KEY:
    "A listing's Paillier key lacks a valid proof that its modulus is sound (gcd(n, φ(n)) = 1, no small factors).",
  ERR_UNAVAILABLE: 'A backend the service needs (its database, or Redis in a cluster) does not answer; retry shortly.',
  ERR_CONFIG: 'The service configuration is unsafe or inconsistent; the service refuses to start.',
  ERR_INTERNAL: 'An unexpected failure inside Parley.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorInfo {
  code: ErrorCode;
  message: string;
}

export class ParleyError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message?: string) {
    super(message ?? ERROR_CODES[code]);
    this.name = 'ParleyError';
    this.code = code;
  }
  toJSON(): ErrorInfo {
    return { code: this.code, message: this.message };
  }
}

export function isErrorCode(x: unknown): x is ErrorCode {
  return typeof x === 'string' && Object.hasOwn(ERROR_CODES, x);
}

/** Turns anything thrown into a plain { code, message }, hiding internals of unknown errors. */
export function toErrorInfo(e: unknown): ErrorInfo {
  if (e instanceof ParleyError) return e.toJSON();
  if (e && typeof e === 'object' && isErrorCode((e as { code?: unknown }).code)) {
    const { code, message } = e as { code: ErrorCode; message?: unknown };
    return { code, message: typeof message === 'string' ? message : ERROR_CODES[code] };
  }
  return { code: 'ERR_INTERNAL', message: ERROR_CODES.ERR_INTERNAL };
}

/** Rebuilds a ParleyError from a plain { code, message } (after clone, comlink or an ack). */
export function fromErrorInfo(info: unknown): ParleyError {
  const { code, message } = toErrorInfo(info);
  return new ParleyError(code, message);
}
