import { randomBytes } from 'node:crypto';

/** Opaque, URL-safe, random ids: 32 hex characters, as Onezone's. */
export function newId(): string {
  return randomBytes(16).toString('hex');
}
