import { createHmac } from 'node:crypto';
import macaroons from 'macaroon';
import type { Subject } from '../auth/caller.js';
import { INVITE_KINDS, type InviteType, inviteKindByCode } from './token-kinds.js';

/**
 * Tokens are macaroons, as in Onezone, serialised as macaroon v2 binary in
 * base64url, at most MAX_TOKEN_LENGTH characters, with the location pinned to
 * TOKEN_LOCATION. The root key is HMAC-SHA256(TOKEN_SECRET, identifier): no
 * secret is stored, and a named token can be serialised again from its row.
 *
 * Two identifier versions live side by side:
 * - version 1, the 32-hex id alone: the token's row says what it is, and a
 *   `type = <type>` caveat repeats its type. Tokens minted before named
 *   tokens existed, and the space creation and provider support kinds.
 * - version 2, `2/<nmd|tmp-<generation>>/<usr|prv>-<subject>/<type>/<id>`,
 *   Onezone's form: persistence, subject and type travel in the token, so a
 *   temporary token needs no row. The type is `act` (access), `idn`
 *   (identity) or `<invite code>:<target id>:<parameters>`.
 */

export const MAX_TOKEN_LENGTH = 8192;
const TOKEN_CHARSET = /^[A-Za-z0-9_-]+={0,2}$/;
const TOKEN_ID = /^[0-9a-f]{32}$/;
/** The ids a subject may have (a host platform names its own users and providers). */
const SUBJECT_ID = /^[A-Za-z0-9._~:@+-]{1,128}$/;
const GENERATION = /^tmp-([1-9]\d{0,9})$/;
export const V1_TYPE_CAVEAT = /^type = ([a-z_]+)$/;

/** What a version-2 token is, besides its id and subject. */
export type TokenKind = { kind: 'access' } | { kind: 'identity' } | { kind: 'invite'; inviteType: InviteType; targetId: string };

/**
 * The parts of a decoded macaroon the service uses (declared here, so that
 * the package's type declarations need none of the macaroon library's).
 */
export interface Macaroon {
  readonly location: string;
  readonly identifier: Uint8Array;
  readonly signature: Uint8Array;
  readonly caveats: { identifier: Uint8Array; location?: string; vid?: Uint8Array }[];
  addFirstPartyCaveat(condition: string): void;
  clone(): Macaroon;
  verify(rootKey: Uint8Array, check: (condition: string) => string | null): void;
}

export type Persistence = { named: true } | { named: false; generation: number };

export type Identifier =
  { version: 1; id: string } | { version: 2; id: string; persistence: Persistence; subject: Subject; type: TokenKind };

export type V2Identifier = Extract<Identifier, { version: 2 }>;

export function formatIdentifier(identifier: Identifier): string {
  if (identifier.version === 1) return identifier.id;
  const { persistence, subject, type, id } = identifier;
  const persisted = persistence.named ? 'nmd' : `tmp-${persistence.generation}`;
  const who = `${subject.type === 'user' ? 'usr' : 'prv'}-${subject.id}`;
  return `2/${persisted}/${who}/${typeCode(type)}/${id}`;
}

function typeCode(type: TokenKind): string {
  switch (type.kind) {
    case 'access':
      return 'act';
    case 'identity':
      return 'idn';
    case 'invite': {
      const kind = INVITE_KINDS[type.inviteType];
      return `${kind.code}:${type.targetId}:${kind.parameters}`;
    }
  }
}

/** The identifier's meaning, or null when it is not one this service issues. */
export function parseIdentifier(text: string): Identifier | null {
  if (!text.includes('/')) return TOKEN_ID.test(text) ? { version: 1, id: text } : null;
  const parts = text.split('/');
  if (parts.length !== 5 || parts[0] !== '2') return null;
  const [, persisted, who, code, id] = parts;
  if (!TOKEN_ID.test(id)) return null;
  let persistence: Persistence;
  if (persisted === 'nmd') persistence = { named: true };
  else {
    const generation = GENERATION.exec(persisted);
    if (!generation || Number(generation[1]) > 2 ** 31 - 1) return null;
    persistence = { named: false, generation: Number(generation[1]) };
  }
  const subjectType = who.startsWith('usr-') ? 'user' : who.startsWith('prv-') ? 'provider' : null;
  const subjectId = who.slice(4);
  if (!subjectType || !SUBJECT_ID.test(subjectId)) return null;
  const type = parseTypeCode(code);
  if (!type) return null;
  return { version: 2, id, persistence, subject: { type: subjectType, id: subjectId }, type };
}

function parseTypeCode(code: string): TokenKind | null {
  if (code === 'act') return { kind: 'access' };
  if (code === 'idn') return { kind: 'identity' };
  const parts = code.split(':');
  if (parts.length !== 3) return null;
  const kind = inviteKindByCode(parts[0]);
  if (!kind || !TOKEN_ID.test(parts[1]) || parts[2] !== kind.parameters) return null;
  return { kind: 'invite', inviteType: kind.inviteType, targetId: parts[1] };
}

export function rootKey(secret: string, identifier: string): Uint8Array {
  return createHmac('sha256', secret).update(identifier).digest();
}

/** A macaroon with the identifier and the first-party caveats in order, serialised. */
export function mintMacaroon(params: { identifier: string; caveats: readonly string[]; location: string; secret: string }): string {
  const m = macaroons.newMacaroon({
    identifier: params.identifier,
    location: params.location,
    rootKey: rootKey(params.secret, params.identifier),
    version: 2,
  });
  for (const caveat of params.caveats) m.addFirstPartyCaveat(caveat);
  return serialize(m);
}

/**
 * Macaroon v2 binary (a version byte, then fields of type, length and data;
 * a 0 byte ends a section), base64url. Written here rather than by the
 * macaroon library, whose buffer grows without bound past 200 bytes.
 */
function serialize(m: Macaroon): string {
  const parts: Buffer[] = [Buffer.from([2])];
  const field = (type: number, data: Uint8Array | string) => {
    const bytes = Buffer.from(data);
    parts.push(Buffer.from([type]), uvarint(bytes.length), bytes);
  };
  const end = () => parts.push(Buffer.from([0]));
  if (m.location) field(FIELD_LOCATION, m.location);
  field(FIELD_IDENTIFIER, m.identifier);
  end();
  for (const caveat of m.caveats) {
    if (caveat.location) field(FIELD_LOCATION, caveat.location);
    field(FIELD_IDENTIFIER, caveat.identifier);
    if (caveat.vid) field(FIELD_VID, caveat.vid);
    end();
  }
  end();
  field(FIELD_SIGNATURE, m.signature);
  return Buffer.concat(parts).toString('base64url');
}

const FIELD_LOCATION = 1;
const FIELD_IDENTIFIER = 2;
const FIELD_VID = 4;
const FIELD_SIGNATURE = 6;

function uvarint(value: number): Buffer {
  const bytes: number[] = [];
  let x = value;
  while (x >= 0x80) {
    bytes.push((x & 0x7f) | 0x80);
    x >>>= 7;
  }
  bytes.push(x);
  return Buffer.from(bytes);
}

export interface ParsedToken {
  /** The token's id: the v1 identifier, or the last segment of a v2 one. */
  id: string;
  identifier: Identifier;
  /** The identifier as written in the macaroon (the root key's input). */
  rawIdentifier: string;
  /** Every first-party caveat, in order. */
  caveats: string[];
  macaroon: Macaroon;
}

/** Decodes a serialised token; null when it is not one of ours in form. */
export function parseToken(serialized: unknown): ParsedToken | null {
  if (typeof serialized !== 'string') return null;
  if (serialized.length === 0 || serialized.length > MAX_TOKEN_LENGTH) return null;
  if (!TOKEN_CHARSET.test(serialized)) return null;
  const bytes = Buffer.from(serialized, 'base64url');
  // One spelling per token: unused low bits of the last character must be zero.
  if (bytes.toString('base64url') !== serialized.replace(/=+$/, '')) return null;
  let m: Macaroon;
  try {
    m = macaroons.importMacaroon(new Uint8Array(bytes));
  } catch {
    return null;
  }
  if (Array.isArray(m)) return null;
  const rawIdentifier = Buffer.from(m.identifier).toString('utf8');
  const identifier = parseIdentifier(rawIdentifier);
  if (!identifier) return null;
  const caveats: string[] = [];
  for (const caveat of m.caveats) {
    // Third-party caveats (with a verification id) are not ours to discharge.
    if (caveat.vid !== undefined) return null;
    caveats.push(Buffer.from(caveat.identifier).toString('utf8'));
  }
  return { id: identifier.id, identifier, rawIdentifier, caveats, macaroon: m };
}

/**
 * Whether the token is genuine: our location and a signature made from our
 * key. The caveats' meaning is checked elsewhere. Returns the reason it is
 * not (for the log), or null.
 */
export function checkSignature(token: ParsedToken, secret: string, location: string): string | null {
  // The location is outside the signature: pin it, so that no byte of a token can change.
  if (token.macaroon.location !== location) return `location is not ${location}`;
  try {
    token.macaroon.verify(rootKey(secret, token.rawIdentifier), () => null);
  } catch (error) {
    return (error as Error).message;
  }
  return null;
}

/** The same token with more first-party caveats (no key needed: a holder can always narrow a token). */
export function appendCaveats(token: ParsedToken, caveats: readonly string[]): string {
  const m = token.macaroon.clone();
  for (const caveat of caveats) m.addFirstPartyCaveat(caveat);
  return serialize(m);
}

/**
 * A version-1 token as it has always been minted: `type = <type>`, then
 * `time < <unix seconds>` when limited.
 */
export function mintV1Token(params: { id: string; type: string; location: string; secret: string; validUntil?: Date | null }): string {
  const caveats = [`type = ${params.type}`];
  if (params.validUntil) caveats.push(`time < ${unixSeconds(params.validUntil)}`);
  return mintMacaroon({ identifier: params.id, caveats, location: params.location, secret: params.secret });
}

export function unixSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}
