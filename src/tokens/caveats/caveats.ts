import { formatMask, ipInMask, type IpMask, isValidMask, parseIpv4, parseMask } from './ip.js';

/**
 * Token caveats as Onezone writes them: the serialized first-party caveat
 * stored in a macaroon ("time < 1571147494", "ip = 10.0.0.0/8|127.0.0.1/32",
 * …), the JSON object of the REST API, and the rules that match a request
 * against them (api, service and consumer caveats).
 *
 * Parsing is strict: a string that only resembles a known caveat (extra
 * spaces, junk, an empty list item, a non-canonical number) is an unknown
 * caveat, and a token carrying one is invalid everywhere.
 */

export { ipInMask, parseIpv4 };
export type { IpMask };

export type ServiceType = 'ozw' | 'ozp' | 'opw' | 'opp';
export interface ServiceSpec {
  service: ServiceType;
  id: string /* '*' = any */;
}
export type ConsumerKind = 'usr' | 'grp' | 'prv';
export interface ConsumerSpec {
  kind: ConsumerKind;
  id: string /* '*' = any */;
}
export type Operation = 'create' | 'get' | 'update' | 'delete';
export type GriScope = 'private' | 'protected' | 'shared' | 'public' | 'auto';
/** A graph resource identifier: `<type>.<id|null>.<aspect>:<scope>`; a compound aspect is written "name,param". */
export interface Gri {
  type: string;
  id: string | null;
  aspect: string;
  scope: GriScope;
}
/** An API operation a request performs, as Onezone names it (service is always 'ozw' for this service's REST routes). */
export interface ApiOperation {
  service: ServiceType;
  operation: Operation;
  gri: Gri;
}
/**
 * One api-caveat entry: service 'all'|ServiceType, operation 'all'|Operation, and a GRI pattern whose parts match
 * anything when '*' (scope '*' too). The id 'null' matches a GRI without id. A compound aspect is "name,param",
 * either half of which may be '*'.
 */
export interface ApiSpec {
  service: ServiceType | 'all';
  operation: Operation | 'all';
  type: string;
  id: string;
  aspect: string;
  scope: string;
}

export type Interface = 'rest' | 'oneclient' | 'graphsync';
export type GeoFilter = 'whitelist' | 'blacklist';

export type Caveat =
  | { type: 'time'; validUntil: number } // unix seconds
  | { type: 'ip'; whitelist: IpMask[] }
  | { type: 'asn'; whitelist: number[] }
  | { type: 'geo.country'; filter: GeoFilter; list: string[] }
  | { type: 'geo.region'; filter: GeoFilter; list: string[] }
  | { type: 'service'; whitelist: ServiceSpec[] }
  | { type: 'consumer'; whitelist: ConsumerSpec[] }
  | { type: 'interface'; interface: Interface }
  | { type: 'api'; whitelist: ApiSpec[] }
  | { type: 'data.readonly' }
  | { type: 'data.path'; whitelist: string[] } // base64 of canonical "/<spaceId>[/…]" paths, as given
  | { type: 'data.objectid'; whitelist: string[] } // CDMI object ids, as given
  | { type: 'authorization.none' }; // legacy "authorization = none" (good only as proof of identity)
export type CaveatType = Caveat['type'];

/** Thrown by caveatFromJson with a human-readable reason, which becomes a 400 invalid_request description. */
export class CaveatSyntaxError extends Error {
  override name = 'CaveatSyntaxError';
}

// ---------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------

/** Longest list entry read; it only protects the parser (a token is at most 8192 characters anyway). */
const MAX_ENTRY_LENGTH = 1024;
/** Up to 15 digits, so that the value is exact in a double and the text canonical. */
const UNIX_SECONDS = /^(0|[1-9][0-9]{0,14})$/;
const MAX_VALID_UNTIL = 999_999_999_999_999;
/** ASNs are 32-bit numbers. */
const ASN = /^(0|[1-9][0-9]{0,9})$/;
const MAX_ASN = 0xffffffff;
/** Onezone checks only that a country code has two characters; letters of either case are accepted, kept as given. */
const COUNTRY = /^[A-Za-z]{2}$/;
const REGIONS: ReadonlySet<string> = new Set(['Africa', 'Antarctica', 'Asia', 'Europe', 'EU', 'NorthAmerica', 'Oceania', 'SouthAmerica']);
const SERVICE_TYPES: ReadonlySet<string> = new Set<ServiceType>(['ozw', 'ozp', 'opw', 'opp']);
const CONSUMER_KINDS: ReadonlySet<string> = new Set<ConsumerKind>(['usr', 'grp', 'prv']);
const OPERATIONS: ReadonlySet<string> = new Set<Operation>(['create', 'get', 'update', 'delete']);
const INTERFACES: ReadonlySet<string> = new Set<Interface>(['rest', 'oneclient', 'graphsync']);
const SCOPES: ReadonlySet<string> = new Set<string>(['private', 'protected', 'shared', 'public', 'auto', '*']);
/** Ids of users, groups, providers and services (a host platform names its own users and providers). */
const SUBJECT_ID = /^[A-Za-z0-9._~:@+-]{1,128}$/;
/** The id part of a GRI pattern: as a subject id, but without '.', which separates the parts. */
const GRI_ID = /^[A-Za-z0-9_~:@+-]{1,128}$/;
/** One half of an aspect: no '.', ',' or ':', which separate the parts. */
const ASPECT_PART = /^(\*|[A-Za-z0-9_~@+-]{1,128})$/;
/** The entity types a GRI may name, as Onedata serializes them. */
const GRI_TYPES: ReadonlySet<string> = new Set([
  'oz_worker',
  'user',
  'group',
  'space',
  'share',
  'provider',
  'handleService',
  'handle',
  'cluster',
  'harvester',
  'storage',
  'token',
  'space_stats',
  'temporary_token_secret',
  'atm_inventory',
  'atm_lambda',
  'atm_workflow_schema',
  'onp_cluster',
  'onp_host',
  'onp_panel',
  'onp_provider',
  'onp_service',
  'onp_space',
  'onp_storage',
  'onp_user',
  'onp_zone',
  'op_archive',
  'op_atm_inventory',
  'op_atm_lambda_snapshot',
  'op_atm_store',
  'op_atm_task_execution',
  'op_atm_workflow_execution',
  'op_atm_workflow_schema',
  'op_atm_workflow_schema_snapshot',
  'op_dataset',
  'file',
  'op_group',
  'op_handle',
  'op_handle_service',
  'op_metrics',
  'op_provider',
  'op_qos',
  'op_share',
  'op_space',
  'op_storage',
  'op_transfer',
  'op_user',
]);
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const HEX = /^(?:[0-9A-Fa-f]{2})+$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function fail(reason: string): never {
  throw new CaveatSyntaxError(reason);
}

/** A value shown in an error message, cut short. */
function show(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return `'${text.length > 80 ? `${text.slice(0, 80)}…` : text}'`;
}

function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------
// Entries (shared by the serialized and the JSON forms)
// ---------------------------------------------------------------------------

function checkEntryText(entry: unknown, what: string): string {
  if (typeof entry !== 'string') fail(`${what} must be a string, got ${show(entry)}`);
  if (entry.length === 0) fail(`${what} must not be empty`);
  if (entry.length > MAX_ENTRY_LENGTH) fail(`${what} is longer than ${MAX_ENTRY_LENGTH} characters`);
  return entry;
}

function readMask(entry: unknown): IpMask {
  const mask = parseMask(checkEntryText(entry, 'IP mask'));
  return mask ?? fail(`invalid IPv4 mask ${show(entry)} (expected a.b.c.d or a.b.c.d/n, n from 0 to 32)`);
}

function readAsnText(entry: string): number {
  const value = ASN.test(entry) ? Number(entry) : NaN;
  if (!(value <= MAX_ASN)) fail(`invalid ASN ${show(entry)} (expected an integer from 0 to ${MAX_ASN})`);
  return value;
}

function checkAsn(entry: unknown): number {
  if (typeof entry !== 'number' || !Number.isInteger(entry) || entry < 0 || entry > MAX_ASN)
    fail(`invalid ASN ${show(entry)} (expected an integer from 0 to ${MAX_ASN})`);
  return entry;
}

function readCountry(entry: unknown): string {
  const text = checkEntryText(entry, 'country code');
  return COUNTRY.test(text) ? text : fail(`invalid country code ${show(text)} (expected two letters, e.g. PL)`);
}

function readRegion(entry: unknown): string {
  const text = checkEntryText(entry, 'region');
  if (!REGIONS.has(text)) fail(`invalid region ${show(text)} (expected one of ${[...REGIONS].join(', ')})`);
  return text;
}

function readService(entry: unknown): ServiceSpec {
  const text = checkEntryText(entry, 'service');
  const service = text.slice(0, 3);
  const id = text.slice(4);
  if (!SERVICE_TYPES.has(service) || text[3] !== '-' || (id !== '*' && !SUBJECT_ID.test(id)))
    fail(`invalid service ${show(text)} (expected <ozw|ozp|opw|opp>-<id|*>)`);
  return { service: service as ServiceType, id };
}

function readConsumer(entry: unknown): ConsumerSpec {
  const text = checkEntryText(entry, 'consumer');
  const kind = text.slice(0, 3);
  const id = text.slice(4);
  if (!CONSUMER_KINDS.has(kind) || text[3] !== '-' || (id !== '*' && !SUBJECT_ID.test(id)))
    fail(`invalid consumer ${show(text)} (expected <usr|grp|prv>-<id|*>)`);
  return { kind: kind as ConsumerKind, id };
}

function readInterface(value: unknown): Interface {
  if (typeof value !== 'string' || !INTERFACES.has(value)) fail(`invalid interface ${show(value)} (expected rest, oneclient or graphsync)`);
  return value as Interface;
}

/** "<all|ozw|ozp|opw|opp>/<all|create|get|update|delete>/<type>.<id>.<aspect>[:<scope>]"; no scope means private. */
function readApiSpec(entry: unknown): ApiSpec {
  const text = checkEntryText(entry, 'API matchspec');
  const bad = (why: string): never =>
    fail(`invalid API matchspec ${show(text)}: ${why} (expected <service>/<operation>/<type>.<id>.<aspect>:<scope>)`);
  const parts = text.split('/');
  if (parts.length !== 3) bad('it must have three parts separated by /');
  const [service, operation, gri] = parts;
  if (service !== 'all' && !SERVICE_TYPES.has(service)) bad('the service must be all, ozw, ozp, opw or opp');
  if (operation !== 'all' && !OPERATIONS.has(operation)) bad('the operation must be all, create, get, update or delete');
  const griParts = gri.split('.');
  if (griParts.length !== 3) bad('the GRI must be <type>.<id>.<aspect>[:<scope>]');
  const [type, id, aspectAndScope] = griParts;
  if (type !== '*' && !GRI_TYPES.has(type)) bad(`unknown entity type ${show(type)}`);
  if (id !== '*' && !GRI_ID.test(id)) bad(`invalid id ${show(id)}`);
  const aspectParts = aspectAndScope.split(':');
  if (aspectParts.length > 2) bad('the aspect and scope hold more than one :');
  const [aspect, scope = 'private'] = aspectParts;
  const halves = aspect.split(',');
  if (halves.length > 2 || !halves.every((half) => ASPECT_PART.test(half))) bad(`invalid aspect ${show(aspect)}`);
  if (!SCOPES.has(scope)) bad('the scope must be private, protected, shared, public, auto or *');
  return { service: service as ApiSpec['service'], operation: operation as ApiSpec['operation'], type, id, aspect, scope };
}

function formatApiSpec(spec: ApiSpec): string {
  return `${spec.service}/${spec.operation}/${spec.type}.${spec.id}.${spec.aspect}:${spec.scope}`;
}

/** The decoded canonical path "/<spaceId>[/…]", or null: absolute, no trailing slash, no empty, '.' or '..' segment. */
function decodeCanonicalPath(b64: string): string | null {
  if (typeof b64 !== 'string' || b64.length === 0 || b64.length > MAX_ENTRY_LENGTH || !BASE64.test(b64)) return null;
  const bytes = Buffer.from(b64, 'base64');
  // Only the canonical encoding, so that the caveat reads back as written.
  if (bytes.toString('base64') !== b64) return null;
  const path = decodeUtf8(bytes);
  if (path === null || !path.startsWith('/') || path.includes('\0')) return null;
  const segments = path.slice(1).split('/');
  return segments.every((segment) => segment !== '' && segment !== '.' && segment !== '..') ? path : null;
}

/** The space id of a data.path entry (base64 of a canonical path), or null when it is not one. */
export function dataPathSpace(b64: string): string | null {
  const path = decodeCanonicalPath(b64);
  return path === null ? null : path.slice(1).split('/')[0];
}

function readDataPath(entry: unknown): string {
  const text = checkEntryText(entry, 'data path');
  if (decodeCanonicalPath(text) === null)
    fail(`invalid data path ${show(text)} (expected the base64 of a canonical path /<spaceId>[/…], no trailing /)`);
  return text;
}

/**
 * The space id of a file's CDMI object id, or null when the id is not one. The object id is the hex of a CDMI
 * header (reserved zero byte, 3-byte enterprise number, reserved zero byte, length, CRC-16) followed by the file
 * guid's text, "guid#<fileUuid>#<spaceId>" or "shareGuid#<fileUuid>#<spaceId>#<shareId>". As Onezone does, the
 * enterprise number, length and CRC are not checked; the hex may be of either case.
 */
export function objectIdSpace(objectId: string): string | null {
  if (typeof objectId !== 'string' || objectId.length > MAX_ENTRY_LENGTH || !HEX.test(objectId)) return null;
  const bytes = Buffer.from(objectId, 'hex');
  if (bytes.length <= 8 || bytes[0] !== 0 || bytes[4] !== 0) return null;
  const guid = decodeUtf8(bytes.subarray(8));
  if (guid === null) return null;
  const parts = guid.split('#');
  const space = (parts[0] === 'guid' && parts.length === 3) || (parts[0] === 'shareGuid' && parts.length === 4) ? parts[2] : '';
  return space === '' ? null : space;
}

function readObjectId(entry: unknown): string {
  const text = checkEntryText(entry, 'object id');
  if (objectIdSpace(text) === null) fail(`invalid object id ${show(text)} (expected the CDMI object id of a file)`);
  return text;
}

// ---------------------------------------------------------------------------
// Serialized form
// ---------------------------------------------------------------------------

function splitList(list: string): string[] {
  if (list.length === 0) fail('the list is empty');
  return list.split('|');
}

/** The serialized caveat → Caveat; throws CaveatSyntaxError with a reason. */
function decodeSerialized(text: string): Caveat {
  if (text === 'data.readonly') return { type: 'data.readonly' };
  if (text === 'authorization = none') return { type: 'authorization.none' };
  const separator = text.indexOf(' ');
  const name = separator < 0 ? text : text.slice(0, separator);
  const rest = separator < 0 ? '' : text.slice(separator + 1);
  const body = (operator: string): string | null => (rest.startsWith(`${operator} `) ? rest.slice(operator.length + 1) : null);
  const equal = body('=');
  switch (name) {
    case 'time': {
      const value = body('<');
      if (value === null || !UNIX_SECONDS.test(value)) break;
      return { type: 'time', validUntil: Number(value) };
    }
    case 'ip':
      if (equal === null) break;
      return { type: 'ip', whitelist: splitList(equal).map(readMask) };
    case 'asn':
      if (equal === null) break;
      return { type: 'asn', whitelist: splitList(equal).map(readAsnText) };
    case 'geo.country':
    case 'geo.region': {
      const different = body('!=');
      const list = equal ?? different;
      if (list === null) break;
      const read = name === 'geo.country' ? readCountry : readRegion;
      return { type: name, filter: equal !== null ? 'whitelist' : 'blacklist', list: splitList(list).map(read) };
    }
    case 'service':
      if (equal === null) break;
      return { type: 'service', whitelist: splitList(equal).map(readService) };
    case 'consumer':
      if (equal === null) break;
      return { type: 'consumer', whitelist: splitList(equal).map(readConsumer) };
    case 'interface':
      if (equal === null) break;
      return { type: 'interface', interface: readInterface(equal) };
    case 'api':
      if (equal === null) break;
      return { type: 'api', whitelist: splitList(equal).map(readApiSpec) };
    case 'data.path':
      if (equal === null) break;
      return { type: 'data.path', whitelist: splitList(equal).map(readDataPath) };
    case 'data.objectid':
      if (equal === null) break;
      return { type: 'data.objectid', whitelist: splitList(equal).map(readObjectId) };
  }
  return fail('not a caveat of a known form');
}

/**
 * The serialized first-party caveat → Caveat; null when it is not a known, well-formed caveat (an "unknown
 * caveat"). The v1 `type = …` caveat is not one of these: it gives null.
 */
export function parseCaveat(serialized: string): Caveat | null {
  if (typeof serialized !== 'string') return null;
  try {
    return decodeSerialized(serialized);
  } catch (error) {
    if (error instanceof CaveatSyntaxError) return null;
    throw error;
  }
}

function serializeUnchecked(caveat: Caveat): string {
  switch (caveat.type) {
    case 'time':
      return `time < ${caveat.validUntil}`;
    case 'ip':
      return `ip = ${caveat.whitelist.map((mask) => (isValidMask(mask) ? formatMask(mask) : '')).join('|')}`;
    case 'asn':
      return `asn = ${caveat.whitelist.join('|')}`;
    case 'geo.country':
    case 'geo.region': {
      // A filter other than these two writes a form that does not read back, so serializeCaveat refuses it.
      const operator = caveat.filter === 'whitelist' ? '=' : caveat.filter === 'blacklist' ? '!=' : '?';
      return `${caveat.type} ${operator} ${caveat.list.join('|')}`;
    }
    case 'service':
      return `service = ${caveat.whitelist.map((s) => `${s.service}-${s.id}`).join('|')}`;
    case 'consumer':
      return `consumer = ${caveat.whitelist.map((c) => `${c.kind}-${c.id}`).join('|')}`;
    case 'interface':
      return `interface = ${caveat.interface}`;
    case 'api':
      return `api = ${caveat.whitelist.map(formatApiSpec).join('|')}`;
    case 'data.readonly':
      return 'data.readonly';
    case 'data.path':
      return `data.path = ${caveat.whitelist.join('|')}`;
    case 'data.objectid':
      return `data.objectid = ${caveat.whitelist.join('|')}`;
    case 'authorization.none':
      return 'authorization = none';
  }
}

/** A value's JSON with object keys sorted, to compare two caveats by content. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

/**
 * Caveat → its serialized form (canonical: ip masks always with /n; lists joined with '|'). Throws
 * CaveatSyntaxError for a caveat that would not read back as itself (an empty list, an entry holding '|', …).
 */
export function serializeCaveat(caveat: Caveat): string {
  const serialized = serializeUnchecked(caveat);
  const back = parseCaveat(serialized);
  if (back === null || canonical(back) !== canonical(caveat)) fail(`invalid ${caveat.type} caveat`);
  return serialized;
}

// ---------------------------------------------------------------------------
// JSON form
// ---------------------------------------------------------------------------

const JSON_FIELDS: Record<string, readonly string[]> = {
  time: ['validUntil'],
  ip: ['whitelist'],
  asn: ['whitelist'],
  'geo.country': ['filter', 'list'],
  'geo.region': ['filter', 'list'],
  service: ['whitelist'],
  consumer: ['whitelist'],
  interface: ['interface'],
  api: ['whitelist'],
  'data.readonly': [],
  'data.path': ['whitelist'],
  'data.objectid': ['whitelist'],
};

function readList<T>(value: unknown, field: string, type: string, read: (entry: unknown) => T): T[] {
  if (!Array.isArray(value)) fail(`${field} of a ${type} caveat must be an array`);
  if (value.length === 0) fail(`${field} of a ${type} caveat must not be empty`);
  return value.map(read);
}

function readFilter(value: unknown, type: string): GeoFilter {
  if (value !== 'whitelist' && value !== 'blacklist') fail(`filter of a ${type} caveat must be whitelist or blacklist`);
  return value;
}

/**
 * A caveat in a request body: the JSON object of Onezone's REST API, or its serialized string. Refuses unknown
 * types, unknown or missing fields, wrong types, empty lists and bad values, with a CaveatSyntaxError. The
 * legacy caveat "authorization = none" has Onezone's JSON form {"scope": "identityToken"}.
 */
export function caveatFromJson(value: unknown): Caveat {
  if (typeof value === 'string') {
    try {
      return decodeSerialized(value);
    } catch (error) {
      if (!(error instanceof CaveatSyntaxError)) throw error;
      return fail(`unknown caveat ${show(value)}: ${error.message}`);
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail('a caveat must be an object or a serialized caveat');
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object);
  if (!('type' in object) && 'scope' in object) {
    if (keys.length !== 1 || object.scope !== 'identityToken') fail('unknown caveat: scope must be identityToken');
    return { type: 'authorization.none' };
  }
  const type = object.type;
  if (typeof type !== 'string') fail('a caveat must have a string type');
  const fields = Object.hasOwn(JSON_FIELDS, type) ? JSON_FIELDS[type] : undefined;
  if (fields === undefined) fail(`unknown caveat type ${show(type)}`);
  for (const key of keys) if (key !== 'type' && !fields.includes(key)) fail(`unknown field ${show(key)} in a ${type} caveat`);
  for (const field of fields) if (object[field] === undefined) fail(`a ${type} caveat must have ${field}`);
  switch (type) {
    case 'time': {
      const validUntil = object.validUntil;
      if (typeof validUntil !== 'number' || !Number.isInteger(validUntil) || validUntil < 0)
        fail('validUntil of a time caveat must be a non-negative integer (unix seconds)');
      if (validUntil > MAX_VALID_UNTIL) fail('validUntil of a time caveat is too large');
      return { type, validUntil };
    }
    case 'ip':
      return { type, whitelist: readList(object.whitelist, 'whitelist', type, readMask) };
    case 'asn':
      return { type, whitelist: readList(object.whitelist, 'whitelist', type, checkAsn) };
    case 'geo.country':
      return { type, filter: readFilter(object.filter, type), list: readList(object.list, 'list', type, readCountry) };
    case 'geo.region':
      return { type, filter: readFilter(object.filter, type), list: readList(object.list, 'list', type, readRegion) };
    case 'service':
      return { type, whitelist: readList(object.whitelist, 'whitelist', type, readService) };
    case 'consumer':
      return { type, whitelist: readList(object.whitelist, 'whitelist', type, readConsumer) };
    case 'interface':
      return { type, interface: readInterface(object.interface) };
    case 'api':
      return { type, whitelist: readList(object.whitelist, 'whitelist', type, readApiSpec) };
    case 'data.readonly':
      return { type };
    case 'data.path':
      return { type, whitelist: readList(object.whitelist, 'whitelist', type, readDataPath) };
    case 'data.objectid':
      return { type, whitelist: readList(object.whitelist, 'whitelist', type, readObjectId) };
  }
  return fail(`unknown caveat type ${show(type)}`);
}

/** Caveat → Onezone's JSON form (ip masks always "a.b.c.d/n"; authorization.none → {"scope": "identityToken"}). */
export function caveatToJson(caveat: Caveat): Record<string, unknown> {
  serializeCaveat(caveat); // the same validity check
  switch (caveat.type) {
    case 'ip':
      return { type: caveat.type, whitelist: caveat.whitelist.map(formatMask) };
    case 'service':
      return { type: caveat.type, whitelist: caveat.whitelist.map((s) => `${s.service}-${s.id}`) };
    case 'consumer':
      return { type: caveat.type, whitelist: caveat.whitelist.map((c) => `${c.kind}-${c.id}`) };
    case 'api':
      return { type: caveat.type, whitelist: caveat.whitelist.map(formatApiSpec) };
    case 'asn':
    case 'data.path':
    case 'data.objectid':
      return { type: caveat.type, whitelist: [...caveat.whitelist] };
    case 'geo.country':
    case 'geo.region':
      return { type: caveat.type, filter: caveat.filter, list: [...caveat.list] };
    case 'authorization.none':
      return { scope: 'identityToken' };
    default:
      return { ...caveat };
  }
}

// ---------------------------------------------------------------------------
// Matching
// ---------------------------------------------------------------------------

/** Splits a compound aspect "name,param" at its first comma; a plain aspect gives one part. */
function aspectHalves(aspect: string): [string] | [string, string] {
  const comma = aspect.indexOf(',');
  return comma < 0 ? [aspect] : [aspect.slice(0, comma), aspect.slice(comma + 1)];
}

/** '*' matches every aspect; "a,b" (halves possibly '*') matches only compound aspects; a plain name only itself. */
function aspectMatches(pattern: string, aspect: string): boolean {
  if (pattern === '*') return true;
  const wanted = aspectHalves(pattern);
  const actual = aspectHalves(aspect);
  if (wanted.length !== actual.length) return false;
  return wanted.every((half, i) => half === '*' || half === actual[i]);
}

function specMatches(spec: ApiSpec, op: ApiOperation): boolean {
  const { gri } = op;
  return (
    (spec.service === 'all' || spec.service === op.service) &&
    (spec.operation === 'all' || spec.operation === op.operation) &&
    (spec.type === '*' || spec.type === gri.type) &&
    (spec.id === '*' || spec.id === (gri.id ?? 'null')) &&
    aspectMatches(spec.aspect, gri.aspect) &&
    // Scopes are compared as names: "private" does not cover "protected", and only '*' or "auto" match "auto".
    (spec.scope === '*' || spec.scope === gri.scope)
  );
}

/** Does `op` match one entry of the api whitelist? */
export function apiAllows(whitelist: ApiSpec[], op: ApiOperation): boolean {
  return whitelist.some((spec) => specMatches(spec, op));
}

const wildcard = (service: ApiSpec['service'], operation: ApiSpec['operation'], type: string, aspect = '*'): ApiSpec => ({
  service,
  operation,
  type,
  id: '*',
  aspect,
  scope: '*',
});

/** The API each service needs, besides its own: what a service caveat leaves of a token's power. */
const API_BY_SERVICE: Record<Exclude<ServiceType, 'ozw'>, readonly ApiSpec[]> = {
  ozp: [wildcard('ozp', 'all', '*'), wildcard('ozw', 'get', 'user'), wildcard('ozw', 'get', 'cluster'), wildcard('ozw', 'get', 'provider')],
  opw: [
    wildcard('opw', 'all', '*'),
    wildcard('ozw', 'get', 'user'),
    wildcard('ozw', 'create', 'user', 'idp_access_token,*'),
    wildcard('ozw', 'get', 'group'),
    wildcard('ozw', 'get', 'space'),
    wildcard('ozw', 'create', 'space', 'infer_accessible_eff_groups'),
    wildcard('ozw', 'all', 'share'),
    wildcard('ozw', 'get', 'provider'),
    wildcard('ozw', 'all', 'handle'),
    wildcard('ozw', 'get', 'handleService'),
    wildcard('ozw', 'get', 'atm_inventory'),
    wildcard('ozw', 'get', 'atm_lambda'),
    wildcard('ozw', 'get', 'atm_workflow_schema'),
  ],
  opp: [wildcard('opp', 'all', '*'), wildcard('ozw', 'get', 'user'), wildcard('ozw', 'get', 'cluster'), wildcard('ozw', 'get', 'provider')],
};

/**
 * The API a token may reach when a service caveat whitelists a service of this type: null for 'ozw' (no limit:
 * a service caveat that lists ozw, among others or alone, leaves this service's API whole); otherwise the
 * entries to run apiAllows on.
 */
export function apiAllowedForService(service: ServiceType): ApiSpec[] | null {
  if (service === 'ozw') return null;
  return API_BY_SERVICE[service].map((spec) => ({ ...spec }));
}

/** Does the service (e.g. {service: 'opw', id: '<pid>'}) match an entry ('*' id matches any)? */
export function serviceAllowed(whitelist: ServiceSpec[], service: ServiceSpec): boolean {
  return whitelist.some((entry) => entry.service === service.service && (entry.id === '*' || entry.id === service.id));
}

/**
 * Does the consumer match an entry? usr-* and prv-* match any user or provider. A grp entry matches only a user:
 * grp-<id> when `inGroup(id)` says the user is an effective member of group id, and grp-* when `inGroup('*')`
 * says the user belongs to at least one group (as Onezone checks it). Plain entries are tried first, so the
 * callback runs only when they do not decide.
 */
export async function consumerAllowed(
  whitelist: ConsumerSpec[],
  consumer: { kind: 'usr' | 'prv'; id: string },
  inGroup: (groupId: string) => Promise<boolean>,
): Promise<boolean> {
  const direct = whitelist.some((entry) => entry.kind === consumer.kind && (entry.id === '*' || entry.id === consumer.id));
  if (direct) return true;
  if (consumer.kind !== 'usr') return false;
  for (const entry of whitelist) if (entry.kind === 'grp' && (await inGroup(entry.id))) return true;
  return false;
}

// ---------------------------------------------------------------------------
// Kinds and descriptions
// ---------------------------------------------------------------------------

const GENERAL: readonly CaveatType[] = ['time', 'ip', 'asn', 'geo.country', 'geo.region'];

/**
 * The caveat types each token kind supports, as Onezone's defaults. Invites and the service's two legacy kinds
 * share the invite set. A known caveat outside the set is unverified, and the token fails.
 */
export const SUPPORTED_CAVEATS: Record<'access' | 'identity' | 'invite', ReadonlySet<CaveatType>> = {
  access: new Set<CaveatType>([...GENERAL, 'service', 'consumer', 'interface', 'api', 'data.readonly', 'data.path', 'data.objectid']),
  identity: new Set<CaveatType>([...GENERAL, 'consumer', 'interface']),
  invite: new Set<CaveatType>([...GENERAL, 'consumer']),
};

/**
 * The set that applies when an access token stands as proof of identity (a provider's access token): the
 * identity set plus the legacy "authorization = none", the only place where that caveat holds.
 */
export const ACCESS_AS_IDENTITY_CAVEATS: ReadonlySet<CaveatType> = new Set<CaveatType>([
  ...SUPPORTED_CAVEATS.identity,
  'authorization.none',
]);

/** True for data.readonly, data.path and data.objectid: the caveats that need a verifier allowing data access. */
export function isDataAccessCaveat(c: Caveat): boolean {
  return c.type === 'data.readonly' || c.type === 'data.path' || c.type === 'data.objectid';
}

/** The data-access caveats plus interface = oneclient: all the caveats that confine a token to data access. */
export function confinesToDataAccess(c: Caveat): boolean {
  return isDataAccessCaveat(c) || (c.type === 'interface' && c.interface === 'oneclient');
}

function isoSeconds(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? `${seconds} (unix time)` : date.toISOString().replace('.000Z', 'Z');
}

const or = (items: readonly string[]): string => items.map((item) => `'${item}'`).join(' or ');

/** Human text for a caveat that did not hold, saying what the token requires. */
export function unverifiedDescription(c: Caveat): string {
  switch (c.type) {
    case 'time':
      return `unverified time caveat: the token expired at ${isoSeconds(c.validUntil)}`;
    case 'ip':
      return `unverified IP caveat: the token can be used only from an IP address in ${or(c.whitelist.map(formatMask))}`;
    case 'asn':
      return 'unverified ASN caveat: the token can be used only from an IP address of the Autonomous System ' + or(c.whitelist.map(String));
    case 'geo.country':
    case 'geo.region': {
      const where = c.type === 'geo.country' ? 'country' : 'region';
      const comes = c.filter === 'whitelist' ? 'is' : 'is NOT';
      return `unverified ${where} caveat: the token can be used only from an IP address that ${comes} ` + `in the ${where} ${or(c.list)}`;
    }
    case 'service':
      return (
        'unverified service caveat: the service using the token must prove to be ' +
        `${or(c.whitelist.map((s) => `${s.service}-${s.id}`))} ` +
        '(with the x-onedata-service-token header), or the requested operation is not allowed for the whitelisted services'
      );
    case 'consumer':
      return (
        'unverified consumer caveat: the consumer of the token must prove to be ' +
        `${or(c.whitelist.map((s) => `${s.kind}-${s.id}`))}: ` +
        'to consume an invite token, authenticate with your own access token; to act with somebody else’s access token, ' +
        'send your identity token in the x-onedata-consumer-token header; with the token verification API, ' +
        'send it in the consumerToken field'
      );
    case 'interface':
      return `unverified interface caveat: the token can be used only through the '${c.interface}' interface`;
    case 'api':
      return 'unverified API caveat: the token can be used only for operations matching ' + or(c.whitelist.map(formatApiSpec));
    case 'data.readonly':
      return 'unverified data access caveat: the token allows only read-only access to data';
    case 'data.path':
      return (
        'unverified data path caveat: the token can be used only to access data under the paths ' +
        '(and their subdirectories) ' +
        or(c.whitelist.map((b64) => decodeCanonicalPath(b64) ?? b64))
      );
    case 'data.objectid':
      return (
        'unverified data object id caveat: the token can be used only to access the files ' +
        '(and directory trees) with the ids ' +
        or(c.whitelist)
      );
    case 'authorization.none':
      return 'the token carries no authorization: it can be used only to prove identity';
  }
}

/** Does the client's address match one mask of an ip caveat? A client without IPv4 address matches none. */
export function ipAllowed(whitelist: IpMask[], address: number | null): boolean {
  return address !== null && whitelist.some((mask) => ipInMask(address, mask));
}
