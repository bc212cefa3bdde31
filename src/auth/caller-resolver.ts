import type { Caller } from './caller.js';

/**
 * A caller as a host application's authentication names it. Users and
 * providers the service has not seen are recorded on first sight, under
 * `name` (their id when no name is given).
 */
export type ResolvedCaller =
  { type: 'user'; userId: string; name?: string } | { type: 'provider'; providerId: string; name?: string } | { type: 'admin' };

/**
 * Who is calling, by the host application's own authentication: given the
 * request (the host's: Express's or Fastify's), the caller, or null when the
 * request is not authenticated (401). It runs before the service's guards;
 * the host's own guards have run by then, so `request.user` is theirs to read.
 */
// The request is the host's own type; `any` lets a resolver declare it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type CallerResolver<Request = any> = (
  request: Request,
) => ResolvedCaller | null | undefined | Promise<ResolvedCaller | null | undefined>;

/** The host's CallerResolver, or null when callers present the service's bearer tokens. */
export const CALLER_RESOLVER = Symbol('CallerResolver');

/** Ids a host may give: what fits in a URL path segment as it is. */
const HOST_ID = /^[A-Za-z0-9._~:@+-]{1,128}$/;
const MAX_NAME = 200;

/**
 * The caller a resolver returned, checked: a malformed one is the host's
 * mistake, reported as an error (500), never taken as some other caller.
 */
export function checkResolvedCaller(value: unknown): { caller: Caller; name: string | null } | null {
  if (value === null || value === undefined) return null;
  const given = value as Partial<Record<string, unknown>>;
  const fail = (why: string): never => {
    throw new TypeError(`The caller resolver returned an invalid caller: ${why}`);
  };
  if (typeof value !== 'object') fail('not an object');
  if (given.type === 'admin') return { caller: { type: 'admin' }, name: null };
  if (given.type !== 'user' && given.type !== 'provider') fail(`type must be 'user', 'provider' or 'admin'`);
  const idField = given.type === 'user' ? 'userId' : 'providerId';
  const id = given[idField];
  if (typeof id !== 'string' || !HOST_ID.test(id)) fail(`${idField} must be 1 to 128 characters of [A-Za-z0-9._~:@+-]`);
  const name = given.name ?? null;
  if (name !== null && (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME)) {
    fail(`name must be a string of 1 to ${MAX_NAME} characters`);
  }
  const caller: Caller = given.type === 'user' ? { type: 'user', userId: id as string } : { type: 'provider', providerId: id as string };
  return { caller, name: name as string | null };
}
