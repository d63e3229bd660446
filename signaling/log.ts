// The service's structured logger (pino, JSON lines). Never log tickets, signatures, keys'
// private halves or signaling payloads.
import pino, { type Logger } from 'pino';

export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: { service: 'parley' },
    redact: ['ticket', 'signature', 'newSignature', 'invite', 'data'],
  });
}
