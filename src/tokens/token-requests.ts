import { GROUP_PRIVILEGES, GroupPrivileges, SPACE_PRIVILEGES, SpacePrivileges } from '../access/privileges.js';
import { ApiError } from '../common/api-error.js';
import { type Caveat, CaveatSyntaxError, caveatFromJson, SUPPORTED_CAVEATS } from './caveats/caveats.js';
import type { TokenKind } from './token-codec.js';
import { INVITE_KINDS, isInviteType, UNSUPPORTED_INVITE_TYPES } from './token-kinds.js';

/**
 * The parts of token requests a DTO cannot say: the `type` object, the
 * caveats, usage limits, carried privileges and custom metadata. Each fault
 * is a 400 invalid_request naming the field.
 */

const MAX_CAVEATS = 64;
const MAX_CUSTOM_METADATA_BYTES = 65_536;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The `type` of a creation request: an object with exactly one key; access when left out. */
export function parseTokenType(value: unknown): TokenKind {
  if (value === undefined) return { kind: 'access' };
  if (!isPlainObject(value) || Object.keys(value).length !== 1) {
    throw ApiError.invalidRequest('type must be an object with exactly one key: accessToken, identityToken or inviteToken.');
  }
  const [key] = Object.keys(value);
  const body = value[key];
  switch (key) {
    case 'accessToken':
    case 'identityToken':
      if (!isPlainObject(body)) throw ApiError.invalidRequest(`type.${key} must be an object.`);
      if (Object.keys(body).length > 0) {
        const [extra] = Object.keys(body);
        throw ApiError.invalidRequest(
          extra === 'sessionId'
            ? 'type.accessToken.sessionId is not accepted: sessions are not tokens of this API.'
            : `type.${key}.${extra} is not a known field.`,
        );
      }
      return key === 'accessToken' ? { kind: 'access' } : { kind: 'identity' };
    case 'inviteToken':
      return parseInviteType(body);
    case 'spaceCreationToken':
    case 'providerSupportToken':
      throw ApiError.invalidRequest(
        `type ${key} is minted by ${key === 'spaceCreationToken' ? 'POST /user/spaces/token' : 'POST /provider/spaces/token'} only.`,
      );
    default:
      throw ApiError.invalidRequest(`type ${key} is not a token type: use accessToken, identityToken or inviteToken.`);
  }
}

function parseInviteType(body: unknown): TokenKind {
  if (!isPlainObject(body)) throw ApiError.invalidRequest('type.inviteToken must be an object.');
  const inviteType = body.inviteType;
  if (typeof inviteType !== 'string') throw ApiError.invalidRequest('type.inviteToken.inviteType is required.');
  if (UNSUPPORTED_INVITE_TYPES.has(inviteType)) {
    throw ApiError.invalidRequest(`invite type ${inviteType} is not supported by this service.`);
  }
  if (!isInviteType(inviteType)) {
    throw ApiError.invalidRequest(`type.inviteToken.inviteType must be one of ${Object.keys(INVITE_KINDS).join(', ')}.`);
  }
  const kind = INVITE_KINDS[inviteType];
  for (const field of Object.keys(body)) {
    if (field !== 'inviteType' && field !== kind.targetKey && field !== 'parameters') {
      throw ApiError.invalidRequest(`type.inviteToken.${field} is not a field of a ${inviteType} invite.`);
    }
  }
  const targetId = body[kind.targetKey];
  if (typeof targetId !== 'string' || targetId.length === 0) {
    throw ApiError.invalidRequest(`type.inviteToken.${kind.targetKey} is required for a ${inviteType} invite.`);
  }
  if (body.parameters !== undefined && !isPlainObject(body.parameters)) {
    throw ApiError.invalidRequest('type.inviteToken.parameters must be an object.');
  }
  return { kind: 'invite', inviteType, targetId };
}

/** Which caveat set a kind supports. */
export function caveatClassOf(kind: TokenKind): 'access' | 'identity' | 'invite' {
  return kind.kind;
}

/**
 * The `caveats` of a request, each a caveat object or its serialised form.
 * `creating`: the token is being made, so caveats that could never hold
 * (asn, geo: no GeoIP database; a type that does not support them; a time
 * already past) are refused.
 */
export function parseCaveats(value: unknown, field: string, creating: { kind: TokenKind; now: Date } | null): Caveat[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw ApiError.invalidRequest(`${field} must be an array of caveats.`);
  if (value.length > MAX_CAVEATS) throw ApiError.invalidRequest(`${field} holds at most ${MAX_CAVEATS} caveats.`);
  return value.map((item, i) => {
    let caveat: Caveat;
    try {
      caveat = caveatFromJson(item);
    } catch (error) {
      if (error instanceof CaveatSyntaxError) throw ApiError.invalidRequest(`${field}[${i}]: ${error.message}`);
      throw error;
    }
    if (creating) {
      if (caveat.type === 'asn' || caveat.type === 'geo.country' || caveat.type === 'geo.region') {
        throw ApiError.invalidRequest(`caveat ${caveat.type} cannot be verified by this service (it has no GeoIP database).`);
      }
      const klass = caveatClassOf(creating.kind);
      if (!SUPPORTED_CAVEATS[klass].has(caveat.type)) {
        throw ApiError.invalidRequest(`caveat ${caveat.type} is not supported in ${klass} tokens.`);
      }
      if (caveat.type === 'time' && caveat.validUntil * 1000 <= creating.now.getTime()) {
        throw ApiError.invalidRequest(`${field}[${i}]: validUntil must be in the future.`);
      }
    }
    return caveat;
  });
}

/** A named invite's `usageLimit`: a positive integer, or "infinity" (null). */
export function parseUsageLimit(value: unknown): number | null {
  if (value === undefined || value === 'infinity') return null;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > 2 ** 31 - 1) {
    throw ApiError.invalidRequest('usageLimit must be a positive integer or "infinity".');
  }
  return value;
}

/** A named invite's carried `privileges` (of the target's kind), as a bitmask. */
export function parsePrivileges(value: unknown, kind: 'space' | 'group'): bigint {
  const names: readonly string[] = kind === 'space' ? SPACE_PRIVILEGES : GROUP_PRIVILEGES;
  if (!Array.isArray(value) || value.some((p) => typeof p !== 'string')) {
    throw ApiError.invalidRequest('privileges must be an array of privilege names.');
  }
  const unknown = (value as string[]).find((p) => !names.includes(p));
  if (unknown !== undefined) throw ApiError.invalidRequest(`privileges: ${String(unknown)} is not a ${kind} privilege.`);
  return kind === 'space' ? SpacePrivileges.mask(value as never) : GroupPrivileges.mask(value as never);
}

/** `customMetadata`: any JSON object. */
export function parseCustomMetadata(value: unknown): Record<string, unknown> {
  if (!isPlainObject(value)) throw ApiError.invalidRequest('customMetadata must be a JSON object.');
  if (Buffer.byteLength(JSON.stringify(value)) > MAX_CUSTOM_METADATA_BYTES) {
    throw ApiError.invalidRequest(`customMetadata must be at most ${MAX_CUSTOM_METADATA_BYTES} bytes of JSON.`);
  }
  return value;
}
