import { createHmac } from 'node:crypto';
import macaroons, { type Macaroon } from 'macaroon';

/**
 * Tokens are macaroons, as in Onezone: identifier = the token's id, root key =
 * HMAC-SHA256(TOKEN_SECRET, id), first-party caveats `type = <type>` and, when
 * limited, `time < <unix seconds>`. Serialised as macaroon v2 binary, base64url.
 */

/** Serialised tokens longer than this are refused before any decoding. */
export const MAX_TOKEN_LENGTH = 8192;
const TOKEN_CHARSET = /^[A-Za-z0-9_-]+={0,2}$/;
const TOKEN_ID = /^[0-9a-f]{32}$/;
const TYPE_CAVEAT = /^type = ([a-z_]+)$/;
const TIME_CAVEAT = /^time < (\d{1,15})$/;

export interface MintParams {
  id: string;
  type: string;
  location: string;
  secret: string;
  /** Adds `time < …` when set. */
  validUntil?: Date | null;
}

export function rootKey(secret: string, id: string): Uint8Array {
  return createHmac('sha256', secret).update(id).digest();
}

export function mintToken({ id, type, location, secret, validUntil }: MintParams): string {
  const m = macaroons.newMacaroon({ identifier: id, location, rootKey: rootKey(secret, id), version: 2 });
  m.addFirstPartyCaveat(`type = ${type}`);
  if (validUntil) m.addFirstPartyCaveat(`time < ${unixSeconds(validUntil)}`);
  return Buffer.from(m.exportBinary()).toString('base64url');
}

export interface ParsedToken {
  id: string;
  caveats: string[];
  macaroon: Macaroon;
}

/** Decodes a serialised token; null when it is not one of ours in form. */
export function parseToken(serialized: unknown): ParsedToken | null {
  if (typeof serialized !== 'string') return null;
  if (serialized.length === 0 || serialized.length > MAX_TOKEN_LENGTH) return null;
  if (!TOKEN_CHARSET.test(serialized)) return null;
  let m: Macaroon;
  try {
    m = macaroons.importMacaroon(new Uint8Array(Buffer.from(serialized, 'base64url')));
  } catch {
    return null;
  }
  if (Array.isArray(m)) return null;
  const id = Buffer.from(m.identifier).toString('utf8');
  if (!TOKEN_ID.test(id)) return null;
  const caveats: string[] = [];
  for (const caveat of m.caveats) {
    // Third-party caveats (with a verification id) are not ours to discharge.
    if (caveat.vid !== undefined) return null;
    caveats.push(Buffer.from(caveat.identifier).toString('utf8'));
  }
  return { id, caveats, macaroon: m };
}

/**
 * Checks the signature and every caveat. Returns null when the token holds,
 * else the reason (for the log only).
 */
export function verifyToken(
  token: ParsedToken,
  secret: string,
  expect: { type: string; location: string; now: Date | null },
): string | null {
  // The location is outside the signature: pin it, so that no byte of a token can change.
  if (token.macaroon.location !== expect.location) return `location is not ${expect.location}`;
  // now = null checks only that time caveats are well formed (to examine a token).
  const now = expect.now === null ? -Infinity : unixSeconds(expect.now);
  let typed = false;
  try {
    token.macaroon.verify(rootKey(secret, token.id), (condition) => {
      const type = TYPE_CAVEAT.exec(condition);
      if (type) {
        typed = true;
        return type[1] === expect.type ? null : `type is ${type[1]}, not ${expect.type}`;
      }
      const time = TIME_CAVEAT.exec(condition);
      if (time) return now < Number(time[1]) ? null : 'expired';
      return 'unknown caveat';
    });
  } catch (error) {
    return (error as Error).message;
  }
  return typed ? null : 'no type caveat';
}

export type Caveat = { type: 'type'; tokenType: string } | { type: 'time'; validUntil: number };

/** The token's caveats as data: its type and each `time < …` limit. Assumes a verified token. */
export function describeCaveats(token: ParsedToken): Caveat[] {
  return token.caveats.flatMap((c): Caveat[] => {
    const type = TYPE_CAVEAT.exec(c);
    if (type) return [{ type: 'type' as const, tokenType: type[1] }];
    const time = TIME_CAVEAT.exec(c);
    return time ? [{ type: 'time' as const, validUntil: Number(time[1]) }] : [];
  });
}

export function unixSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}
