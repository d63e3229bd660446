// The identity's HTTP calls to the service (register, challenge, login, key rotation); failures
// become ParleyErrors with the service's code, or ERR_INTERNAL when the service cannot be reached.

import { fromErrorInfo, ParleyError } from '../../../shared/errors.js';
import type { PublicJwk } from '../../../shared/identity.js';
import type { LoginResult, Role } from '../../../shared/protocol.js';

async function post<T>(path: string, body: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch {
    throw new ParleyError('ERR_INTERNAL', 'the Parley service cannot be reached');
  }
  const data = (await res.json().catch(() => null)) as { error?: unknown } | null;
  if (!res.ok) throw fromErrorInfo(data?.error ?? { code: 'ERR_INTERNAL', message: `service answered ${res.status}` });
  return data as T;
}

export const register = (name: string, publicKey: PublicJwk, roles?: Role[], invite?: string) =>
  post<{ name: string; keyId: string }>('/api/register', {
    name,
    publicKey,
    ...(roles ? { roles } : {}),
    ...(invite ? { invite } : {}),
  });
export const rotate = (
  name: string,
  challengeText: string,
  newPublicKey: PublicJwk,
  signature: string,
  newSignature: string,
) => post<{ keyId: string }>('/api/rotate', { name, challenge: challengeText, newPublicKey, signature, newSignature });
export const challenge = (name: string) =>
  post<{ challenge: string; serviceKeyId: string }>('/api/challenge', { name });
export const login = (name: string, challengeText: string, signature: string) =>
  post<LoginResult>('/api/login', { name, challenge: challengeText, signature });
