// Checks a signed market request before anything else looks at it: canonical JSON of the right
// shape, the type the event names, the caller as actor, fresh (`at` within 5 minutes), a nonce
// this actor never used, the role the action needs, and the signature under the caller's
// CURRENT key. The result carries the ledger draft the entry will be made from.

import type { z } from 'zod';
import { ParleyError } from '../shared/errors.js';
import {
  canonicalJson,
  ENTRY_TYPE_OF,
  type MarketRequestType,
  REQUEST_MAX_AGE_MS,
  verifyRequestSignature,
} from '../shared/ledger.js';
import { marketRequestSchema, type SignedRequest } from '../shared/market.js';
import type { Role } from '../shared/protocol.js';
import type { Auth } from './auth.js';
import type { Draft } from './ledger-store.js';
import type { Store } from './store.js';

export interface Verified<B> {
  listing: string | undefined;
  purchase: string | undefined;
  body: B;
  nonce: { actor: string; nonce: string; at: number };
  /** The entry to append, once the operation fills in its listing and purchase ids. */
  draft: Omit<Draft, 'listing' | 'purchase'>;
}

export async function verifySigned<S extends z.ZodType>(
  deps: { auth: Auth; store: Store; now: () => number },
  me: string,
  type: MarketRequestType,
  signed: SignedRequest,
  bodySchema: S,
  role?: Role,
): Promise<Verified<z.infer<S>>> {
  let raw: unknown;
  try {
    raw = JSON.parse(signed.request);
  } catch {
    throw new ParleyError('ERR_BAD_REQUEST', 'the signed request is not JSON');
  }
  const parsed = marketRequestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ParleyError(
      'ERR_BAD_REQUEST',
      `request: ${issue?.path.join('.') || 'request'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  if (canonicalJson(raw) !== signed.request)
    throw new ParleyError('ERR_BAD_REQUEST', 'the signed request is not canonical JSON (sorted keys, no whitespace)');
  const req = parsed.data;
  if (req.type !== type) throw new ParleyError('ERR_ALTERED', `a ${req.type} request was sent as market:${type}`);
  if (req.actor !== undefined && req.actor !== me)
    throw new ParleyError('ERR_ALTERED', `the request is signed for ${req.actor}, not ${me}`);
  if (Math.abs(req.at - deps.now()) > REQUEST_MAX_AGE_MS)
    throw new ParleyError('ERR_REPLAY', 'the request is stale (or dated in the future): sign it again');
  const body = bodySchema.safeParse(req.body);
  if (!body.success) {
    const issue = body.error.issues[0];
    const code = issue?.code === 'too_big' ? 'ERR_TOO_LARGE' : 'ERR_BAD_REQUEST';
    throw new ParleyError(code, `${type}: body.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  const participant = await deps.auth.active(me);
  if (role && !participant.roles.includes(role)) throw new ParleyError('ERR_ROLE', `${me} lacks the role "${role}"`);
  if (await deps.store.hasNonce(me, req.nonce))
    throw new ParleyError('ERR_REPLAY', 'this signed request was already presented');
  if (!(await verifyRequestSignature(participant.publicKey, signed.request, signed.signature))) {
    throw new ParleyError('ERR_BAD_SIGNATURE', 'the request signature does not verify under your current key');
  }
  return {
    listing: req.listing,
    purchase: req.purchase,
    body: body.data,
    nonce: { actor: me, nonce: req.nonce, at: req.at },
    draft: {
      type: ENTRY_TYPE_OF[type],
      actor: me,
      request: signed.request,
      actorKey: participant.publicKey,
      actorSig: signed.signature,
    },
  };
}
