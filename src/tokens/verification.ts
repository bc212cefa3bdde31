import type { Subject } from '../auth/caller.js';
import {
  type ApiOperation,
  type Caveat,
  type ServiceSpec,
  ACCESS_AS_IDENTITY_CAVEATS,
  apiAllowedForService,
  apiAllows,
  consumerAllowed,
  ipInMask,
  isDataAccessCaveat,
  parseCaveat,
  serviceAllowed,
  SUPPORTED_CAVEATS,
  unverifiedDescription,
} from './caveats/caveats.js';
import { V1_TYPE_CAVEAT } from './token-codec.js';
import { TokenRejectedError } from './token-rejected.error.js';

/** Where a token is being used: what its caveats are checked against. */
export interface VerifyContext {
  now: Date;
  /** The client's IPv4 address as a number; null when unknown or IPv6. */
  peerIp: number | null;
  /** How the request came; null when unknown (every interface caveat then fails). */
  interface: 'rest' | 'oneclient' | 'graphsync' | null;
  /** Whoever has proven their identity for this use; null when nobody has. */
  consumer: Subject | null;
  /** The service processing the token: this service (`ozw-onezone`) unless a service token said otherwise. */
  service: ServiceSpec;
  /**
   * The API operation of the request, given the token's subject (a bearer on a
   * route); null when no operation is performed (verify routes): api caveats
   * are then not checked here.
   */
  operation: ((subject: Subject) => ApiOperation | undefined) | null;
  /** Whether data-access caveats may be present (a data plane verifying). */
  allowDataAccess: boolean;
  /** Inferring a token's scope: service and interface caveats are not checked (they narrow where, not what). */
  inferring?: boolean;
}

export const THIS_SERVICE: ServiceSpec = { service: 'ozw', id: 'onezone' };

/** Which caveat set a token's kind supports. */
/** `accessAsIdentity`: a provider's access token standing in as proof of identity. */
export type CaveatClass = 'access' | 'identity' | 'invite' | 'accessAsIdentity';

/** What the caveats of a genuine token say, once every one holds. */
export interface CaveatVerdict {
  caveats: Caveat[];
  /** The earliest time caveat (unix seconds), or null. */
  validUntil: number | null;
  /** True when every caveat is a time caveat (or the v1 type caveat): the verdict does not depend on the request. */
  timeOnly: boolean;
}

export interface CaveatDeps {
  userInGroup(groupId: string, userId: string): Promise<boolean>;
}

/**
 * A token's first-party caveats as data; throws TokenRejectedError at the
 * first unknown one. `v1Type` is the stored type of a version-1 token, whose
 * `type = …` caveat must name it; in a version-2 token such a caveat is
 * unknown.
 */
export function readCaveats(serialized: readonly string[], v1Type: string | null): Caveat[] {
  const caveats: Caveat[] = [];
  let typed = false;
  for (const text of serialized) {
    const v1 = v1Type === null ? null : V1_TYPE_CAVEAT.exec(text);
    if (v1) {
      if (v1[1] !== v1Type) throw new TokenRejectedError(`type caveat says ${v1[1]}, the token is ${v1Type}`);
      typed = true;
      continue;
    }
    const caveat = parseCaveat(text);
    if (!caveat) throw new TokenRejectedError(`unknown caveat "${text.slice(0, 64)}"`, 'Unknown caveat in token.');
    caveats.push(caveat);
  }
  if (v1Type !== null && !typed) throw new TokenRejectedError('no type caveat');
  return caveats;
}

/**
 * Checks every caveat against the context; throws TokenRejectedError with
 * Onezone's description of the first that fails. Rules: every caveat must
 * hold (several of one type: each); one the token's kind does not support
 * fails; one that cannot be evaluated fails.
 */
export async function checkCaveats(
  caveats: readonly Caveat[],
  klass: CaveatClass,
  subject: Subject,
  context: VerifyContext,
  deps: CaveatDeps,
): Promise<CaveatVerdict> {
  const supported = klass === 'accessAsIdentity' ? ACCESS_AS_IDENTITY_CAVEATS : SUPPORTED_CAVEATS[klass];
  const services = caveats.filter((c): c is Extract<Caveat, { type: 'service' }> => c.type === 'service');
  for (const caveat of caveats) {
    if (!supported.has(caveat.type) || !(await holds(caveat, klass, subject, context, deps))) {
      throw new TokenRejectedError(`caveat ${caveat.type} does not hold`, unverifiedDescription(caveat));
    }
  }
  // A service caveat also narrows the API to what the whitelisted services may do.
  if (services.length > 0 && context.operation) {
    const op = context.operation(subject);
    for (const caveat of services) {
      const sets = caveat.whitelist.map((s) => apiAllowedForService(s.service));
      if (sets.some((set) => set === null)) continue;
      if (
        !op ||
        !apiAllows(
          sets.flatMap((set) => set!),
          op,
        )
      ) {
        throw new TokenRejectedError('the service caveat does not allow this operation', unverifiedDescription(caveat));
      }
    }
  }
  const times = caveats.flatMap((c) => (c.type === 'time' ? [c.validUntil] : []));
  return {
    caveats: [...caveats],
    validUntil: times.length > 0 ? Math.min(...times) : null,
    timeOnly: caveats.every((c) => c.type === 'time'),
  };
}

async function holds(caveat: Caveat, klass: CaveatClass, subject: Subject, context: VerifyContext, deps: CaveatDeps): Promise<boolean> {
  if (isDataAccessCaveat(caveat) && !context.allowDataAccess) return false;
  switch (caveat.type) {
    case 'time':
      return context.now.getTime() < caveat.validUntil * 1000;
    case 'ip':
      return context.peerIp !== null && caveat.whitelist.some((mask) => ipInMask(context.peerIp!, mask));
    case 'asn':
    case 'geo.country':
    case 'geo.region':
      // No GeoIP database: these cannot be evaluated, so they fail closed.
      return false;
    case 'service':
      return context.inferring === true || serviceAllowed(caveat.whitelist, context.service);
    case 'consumer': {
      const consumer = context.consumer;
      if (!consumer) return false;
      return consumerAllowed(caveat.whitelist, { kind: consumer.type === 'user' ? 'usr' : 'prv', id: consumer.id }, (groupId) =>
        consumer.type === 'user' ? deps.userInGroup(groupId, consumer.id) : Promise.resolve(false),
      );
    }
    case 'interface':
      if (context.inferring) return true;
      if (caveat.interface === 'oneclient' && !context.allowDataAccess) return false;
      return context.interface === caveat.interface;
    case 'api': {
      if (!context.operation) return true;
      const op = context.operation(subject);
      return op !== undefined && apiAllows(caveat.whitelist, op);
    }
    case 'data.readonly':
    case 'data.path':
    case 'data.objectid':
      return true;
    case 'authorization.none':
      // Good only as proof of identity.
      return klass === 'accessAsIdentity';
  }
}
