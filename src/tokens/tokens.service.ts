import { Inject, Injectable, Logger, type OnApplicationShutdown, Optional } from '@nestjs/common';
import { GroupPrivileges, SpacePrivileges } from '../access/privileges.js';
import type { Caller, Subject } from '../auth/caller.js';
import { SPACES_CONFIG, SECRETS } from '../config/spaces-config.js';
import type { AppConfig } from '../config/environment.js';
import type { Secrets } from '../config/secrets.js';
import { ApiError } from '../common/api-error.js';
import { newId } from '../common/ids.js';
import { type Page, type PageRequest, toPage } from '../common/pagination/pagination.js';
import type { Tx } from '../database/transactions.js';
import type { TokenType } from '../generated/prisma/enums.js';
import { REVOCATIONS, type Revocation, type Revocations } from '../scaling/revocations.js';
import { BearerCache } from './bearer-cache.js';
import { type ApiOperation, type Caveat, parseIpv4, type ServiceSpec } from './caveats/caveats.js';
import {
  checkSignature,
  formatIdentifier,
  type Identifier,
  mintMacaroon,
  mintV1Token,
  type ParsedToken,
  parseToken,
  type TokenKind,
  unixSeconds,
} from './token-codec.js';
import { INVITE_KINDS, type InviteType, inviteKindOfType } from './token-kinds.js';
import { TokenRejectedError } from './token-rejected.error.js';
import { SPACES_METRICS, type SpacesMetricsRecorder } from '../observability/metrics-recorder.js';
import { type StoredTokenState, TokenNameTakenError, type TokenRecord, TokensRepository } from './tokens.repository.js';
import { type CaveatClass, checkCaveats, readCaveats, THIS_SERVICE, type VerifyContext } from './verification.js';

/** What a token is being used for; each use accepts only certain kinds. */
export type TokenUse =
  /** A bearer on a route: access tokens. */
  | { use: 'bearer' }
  /** POST /tokens/verify_access_token. */
  | { use: 'access' }
  /** Identity tokens, and a provider's access token (which also proves who it is). */
  | { use: 'identity' }
  /** POST /tokens/verify_invite_token: any invite, or one of the given type. */
  | { use: 'invite'; inviteType?: InviteType }
  /** Consumed in a request body: a stored token of this type, or an invite of the matching type. */
  | { use: 'consume'; type: TokenType };

/** A genuine token whose caveats hold for the use it was verified for. */
export interface VerifiedToken {
  id: string;
  version: 1 | 2;
  named: boolean;
  /** The generation a temporary token was made in. */
  generation: number | null;
  subject: Subject;
  type: TokenType;
  /** What the token is about (invites, and the kinds minted for a space). */
  spaceId: string | null;
  groupId: string | null;
  /** Space privileges a joiner gets (bitmask). */
  privileges: bigint;
  /** Group privileges a joiner gets (bitmask). */
  groupPrivileges: bigint;
  /** Largest support size (provider support tokens). */
  maxSize: bigint | null;
  caveats: Caveat[];
  /** The earliest time limit (unix seconds), or null. */
  validUntil: number | null;
  /** No caveat depends on the request. */
  timeOnly: boolean;
}

/** What a bearer request brings besides its access token. */
export interface BearerRequest {
  peerIp: string | undefined;
  /** x-onedata-consumer-token */
  consumerToken?: string;
  /** x-onedata-service-token */
  serviceToken?: string;
  /** The route's API operation, given the token's subject (undefined when the route has none). */
  operation: (subject: Subject) => ApiOperation | undefined;
}

/** Where a token given in a body is used: the caller consumes it. */
export interface BodyTokenUse {
  consumer: Subject;
  peerIp: string | undefined;
}

/** A stored token to make (and serialise). */
export interface NamedTokenSpec {
  name: string;
  subject: Subject;
  type: TokenType;
  /** Serialised caveats, in order. */
  caveats: string[];
  customMetadata?: Record<string, unknown>;
  revoked?: boolean;
  spaceId?: string | null;
  groupId?: string | null;
  usageLimit?: number | null;
  maxSize?: bigint | null;
  privileges?: bigint;
  groupPrivileges?: bigint;
  /** 1 only for the kinds Onezone does not have (space creation, provider support). */
  version?: 1 | 2;
}

/** The legacy mint routes' parameters. */
export interface IssueParams {
  type: TokenType;
  subject: Subject;
  spaceId?: string | null;
  validUntil?: Date | null;
  usageLimit?: number | null;
  maxSize?: bigint | null;
  groupId?: string | null;
  privileges?: bigint;
  groupPrivileges?: bigint;
}

/**
 * Tokens: minting, verifying for a use, consuming, and the bearer cache.
 * Verification runs in one order, whatever the token: decode → its state
 * (row, or generation) → revoked → uses left → subject exists → type fits
 * the use → signature → caveats → the service's right to the subject.
 */
@Injectable()
export class TokensService implements OnApplicationShutdown {
  private readonly logger = new Logger(TokensService.name);
  private readonly bearers: BearerCache<Established>;

  constructor(
    private readonly tokens: TokensRepository,
    @Inject(SPACES_CONFIG) private readonly config: AppConfig,
    @Inject(SECRETS) private readonly secrets: Secrets,
    /** The other instances' revocations (REDIS_URL); without it, TOKEN_CACHE_SECONDS bounds them. */
    @Optional() @Inject(REVOCATIONS) private readonly revocations?: Revocations,
    @Optional() @Inject(SPACES_METRICS) private readonly metrics?: SpacesMetricsRecorder,
  ) {
    this.bearers = new BearerCache((config.TOKEN_CACHE_SECONDS ?? 0) * 1000);
    revocations?.subscribe((revocation) => this.drop(revocation));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.revocations?.close();
  }

  /** Drops what another instance revoked from this one's cache. */
  private drop(revocation: Revocation): void {
    if ('tokenId' in revocation) this.bearers.forget(revocation.tokenId);
    else if ('subject' in revocation) this.bearers.forgetSubject(revocation.subject);
    else this.bearers.clear();
  }

  /** The legacy mint routes: a named token with a generated name (v1 for the service's own two kinds). */
  async issue(params: IssueParams): Promise<string> {
    const version = params.type === 'space_creation' || params.type === 'provider_support' ? 1 : 2;
    const caveats = params.validUntil ? [`time < ${unixSeconds(params.validUntil)}`] : [];
    const { serialized } = await this.createNamed({
      name: '',
      subject: params.subject,
      type: params.type,
      caveats,
      spaceId: params.spaceId,
      groupId: params.groupId,
      usageLimit: params.usageLimit,
      maxSize: params.maxSize,
      privileges: params.privileges,
      groupPrivileges: params.groupPrivileges,
      version,
    });
    return serialized;
  }

  /**
   * Stores a named token and serialises it. An empty name asks for the
   * generated one, `<type> <token id>` (as stored tokens were named when
   * names came in); should it be taken, it gets a random 6-hex suffix.
   */
  async createNamed(spec: NamedTokenSpec): Promise<{ record: TokenRecord; serialized: string }> {
    const id = newId();
    const generated = spec.name === '';
    const validUntil = earliestTime(spec.caveats);
    for (let attempt = 0; ; attempt++) {
      const name = generated ? `${spec.type} ${id}${attempt > 0 ? ` ${newId().slice(0, 6)}` : ''}` : spec.name;
      try {
        const record = await this.tokens.create({
          id,
          version: spec.version ?? 2,
          name,
          type: spec.type,
          subjectType: spec.subject.type,
          subjectId: spec.subject.id,
          caveats: spec.caveats,
          customMetadata: (spec.customMetadata ?? {}) as never,
          revoked: spec.revoked ?? false,
          spaceId: spec.spaceId ?? null,
          groupId: spec.groupId ?? null,
          validUntil,
          usageLimit: spec.usageLimit ?? null,
          maxSize: spec.maxSize ?? null,
          privileges: spec.privileges ?? 0n,
          groupPrivileges: spec.groupPrivileges ?? 0n,
        });
        return { record, serialized: this.serializeStored(record) };
      } catch (error) {
        if (!generated || attempt >= 3 || !(error instanceof TokenNameTakenError)) throw error;
      }
    }
  }

  /** A stored token serialised again: deterministic from the key, its identifier and its caveats. */
  serializeStored(record: TokenRecord): string {
    const location = this.config.TOKEN_LOCATION;
    const secret = this.secrets.tokenSecret;
    if (record.version === 1) {
      return mintV1Token({ id: record.id, type: record.type, location, secret, validUntil: record.validUntil });
    }
    const identifier = formatIdentifier({
      version: 2,
      id: record.id,
      persistence: { named: true },
      subject: { type: record.subjectType, id: record.subjectId },
      type: kindOf(record.type, record.spaceId ?? record.groupId),
    });
    return mintMacaroon({ identifier, caveats: record.caveats, location, secret });
  }

  /** A temporary token: nothing is stored; the subject's current generation is written into it. */
  async mintTemporary(subject: Subject, type: TokenKind, caveats: string[]): Promise<string> {
    const { generation } = await this.tokens.generation(subject);
    const identifier = formatIdentifier({ version: 2, id: newId(), persistence: { named: false, generation }, subject, type });
    return mintMacaroon({ identifier, caveats, location: this.config.TOKEN_LOCATION, secret: this.secrets.tokenSecret });
  }

  /** Verifies a serialised token for a use; throws TokenRejectedError with the reason. */
  async verify(serialized: unknown, use: TokenUse, context: VerifyContext): Promise<VerifiedToken> {
    return this.judge(await this.establish(serialized, use, context.now), use, context);
  }

  /**
   * What a token is, whatever the request: decoded, its state read, not
   * revoked, used up or expired, its subject present, its type fit for the
   * use, its signature good and its caveats all known.
   */
  private async establish(serialized: unknown, use: TokenUse, now: Date): Promise<Established> {
    const parsed = parseToken(serialized);
    if (!parsed) throw new TokenRejectedError('malformed', 'Provided token could not be understood.');
    const state = await this.stateOf(parsed);
    if (state.revoked) throw new TokenRejectedError(`token ${parsed.id} is revoked`, 'The token has been revoked.');
    if (use.use === 'consume' && state.usageLimit !== null && state.usageCount >= state.usageLimit) {
      throw new TokenRejectedError(`token ${parsed.id} has no uses left`);
    }
    if (state.rowValidUntil !== null && state.rowValidUntil <= now.getTime()) {
      throw new TokenRejectedError(`token ${parsed.id} expired`, 'The token has expired.');
    }
    if (!state.subjectExists) {
      throw new TokenRejectedError(`the subject of token ${parsed.id} is gone`, 'The token subject is invalid.');
    }
    const klass = fits(state.type, state.subject, use);
    if (!klass) throw new TokenRejectedError(`token ${parsed.id} is a ${state.type} token, not for ${use.use}`, 'Bad token type.');
    const bad = checkSignature(parsed, this.secrets.tokenSecret, this.config.TOKEN_LOCATION);
    if (bad) throw new TokenRejectedError(`token ${parsed.id}: ${bad}`, 'Provided token could not be validated.');
    const caveats = readCaveats(parsed.caveats, parsed.identifier.version === 1 ? state.type : null);
    return { id: parsed.id, version: parsed.identifier.version, state, klass, caveats };
  }

  /** Whether the token's caveats hold where it is used, and the service may use it. */
  private async judge(token: Established, use: TokenUse, context: VerifyContext): Promise<VerifiedToken> {
    const { state } = token;
    const verdict = await checkCaveats(token.caveats, token.klass, state.subject, context, {
      userInGroup: (groupId, userId) => this.tokens.userInGroup(groupId, userId),
    });
    if (use.use === 'bearer' || use.use === 'access') await this.checkService(state.subject, context.service);
    const rowSeconds = state.rowValidUntil === null ? null : Math.floor(state.rowValidUntil / 1000);
    const validUntil =
      verdict.validUntil === null ? rowSeconds : rowSeconds === null ? verdict.validUntil : Math.min(rowSeconds, verdict.validUntil);
    return {
      id: token.id,
      version: token.version,
      named: state.named,
      generation: state.generation,
      subject: state.subject,
      type: state.type,
      spaceId: state.spaceId,
      groupId: state.groupId,
      privileges: state.privileges,
      groupPrivileges: state.groupPrivileges,
      maxSize: state.maxSize,
      caveats: verdict.caveats,
      validUntil,
      timeOnly: verdict.timeOnly,
    };
  }

  /**
   * Checks a token given in a request body, consumed by the caller: any
   * failure is the one 400 invalid_token answer, with the reason in the log.
   */
  async checkBodyToken(serialized: string, type: TokenType, use: BodyTokenUse): Promise<VerifiedToken> {
    return this.answeringInvalidToken(`body ${type} token`, () => this.verify(serialized, { use: 'consume', type }, this.bodyContext(use)));
  }

  bodyContext(use: BodyTokenUse): VerifyContext {
    return {
      now: new Date(),
      peerIp: ipOf(use.peerIp),
      interface: 'rest',
      consumer: use.consumer,
      service: THIS_SERVICE,
      operation: null,
      allowDataAccess: false,
    };
  }

  /**
   * Runs work that uses a body token (typically the transaction consuming it);
   * a TokenRejectedError inside becomes the 400 invalid_token answer.
   */
  async answeringInvalidToken<T>(use: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof TokenRejectedError) {
        this.logger.debug(`${use}: ${error.message}`);
        this.metrics?.tokenRefused('body', error);
        throw ApiError.invalidToken();
      }
      throw error;
    }
  }

  /**
   * Records a use inside the caller's transaction; throws if another use took
   * the last one, or (temporary tokens) if they were revoked meanwhile.
   */
  async consume(tx: Tx, token: VerifiedToken, now = new Date()): Promise<void> {
    if (token.named) {
      if (!(await this.tokens.consume(tx, token.id, now))) {
        throw new TokenRejectedError(`token ${token.id} was used up or revoked concurrently`);
      }
      return;
    }
    const { generation } = await this.tokens.generation(token.subject, tx);
    if (generation !== token.generation) throw new TokenRejectedError(`temporary token ${token.id} was revoked`);
    if (token.validUntil !== null && token.validUntil * 1000 <= now.getTime()) {
      throw new TokenRejectedError(`temporary token ${token.id} expired`);
    }
  }

  /**
   * Whether `serialized` is a bearer token this service verified recently
   * (in the cache): one of its own tokens, so not the admin token.
   */
  isCachedBearer(serialized: string): boolean {
    return this.bearers.get(serialized) !== undefined;
  }

  /**
   * Resolves a bearer access token to its caller, or null (reason logged).
   * What a token is (its row or generation, signature, caveats as data) is
   * kept for TOKEN_CACHE_SECONDS once verified (see BearerCache); whether its
   * caveats hold is judged again for every request, unless they are only
   * time limits and no consumer or service token came (the verdict cannot
   * differ then). Revoking through this instance forgets it at once.
   */
  async authenticate(serialized: string, request: BearerRequest): Promise<Caller | null> {
    const plain = request.consumerToken === undefined && request.serviceToken === undefined;
    const cached = this.bearers.get(serialized);
    if (cached && plain && cached.timeOnly) return cached.caller;
    try {
      const now = new Date();
      const peerIp = ipOf(request.peerIp);
      const established = cached?.established ?? (await this.establish(serialized, { use: 'bearer' }, now));
      const consumer = request.consumerToken === undefined ? null : await this.proveIdentity(request.consumerToken, peerIp, now);
      const service = request.serviceToken === undefined ? THIS_SERVICE : await this.proveService(request.serviceToken, peerIp, now);
      const context: VerifyContext = {
        now,
        peerIp,
        interface: 'rest',
        consumer,
        service,
        operation: request.operation,
        allowDataAccess: false,
      };
      const token = await this.judge(established, { use: 'bearer' }, context);
      const caller: Caller =
        token.subject.type === 'user' ? { type: 'user', userId: token.subject.id } : { type: 'provider', providerId: token.subject.id };
      if (!cached) {
        this.bearers.set(serialized, {
          tokenId: token.id,
          subject: token.subject,
          caller,
          established,
          timeOnly: token.timeOnly,
          expiresAt: token.validUntil === null ? null : token.validUntil * 1000,
        });
      }
      return caller;
    } catch (error) {
      if (error instanceof TokenRejectedError) {
        this.logger.debug(`bearer ${error.message}`);
        this.metrics?.tokenRefused('bearer', error);
        return null;
      }
      throw error;
    }
  }

  /** The subject an identity token (or a provider's access token) proves. */
  async proveIdentity(serialized: string, peerIp: number | null, now: Date, iface: VerifyContext['interface'] = 'rest'): Promise<Subject> {
    const token = await this.verify(
      serialized,
      { use: 'identity' },
      { now, peerIp, interface: iface, consumer: null, service: THIS_SERVICE, operation: null, allowDataAccess: false },
    );
    return token.subject;
  }

  /** The service a provider's identity token proves: `opw-<id>`, or `opp-<id>` when prefixed so. */
  async proveService(serialized: string, peerIp: number | null, now: Date): Promise<ServiceSpec> {
    const panel = serialized.startsWith('opp-');
    const token = panel || serialized.startsWith('opw-') ? serialized.slice(4) : serialized;
    const subject = await this.proveIdentity(token, peerIp, now);
    if (subject.type !== 'provider') throw new TokenRejectedError('a service token must be a provider identity token');
    return { service: panel ? 'opp' : 'opw', id: subject.id };
  }

  /**
   * The service's right to act with a subject's access token: this service
   * always; a provider's worker only for a user it supports; a provider's
   * panel never (this service has no clusters); no other service may use a
   * provider's token.
   */
  private async checkService(subject: Subject, service: ServiceSpec): Promise<void> {
    if (service.service === 'ozw') return;
    if (subject.type === 'user' && service.service === 'opw' && (await this.tokens.providerSupportsUser(service.id, subject.id))) return;
    throw new TokenRejectedError(
      `service ${service.service}-${service.id} may not use tokens of ${subject.type} ${subject.id}`,
      'The service is not authorized to use this token.',
    );
  }

  /** Forgets one token in the bearer cache (revoked or deleted), here and on the other instances. */
  async forget(tokenId: string): Promise<void> {
    this.bearers.forget(tokenId);
    await this.revocations?.publish({ tokenId });
  }

  /** Forgets every cached token of a subject, here and on the other instances. */
  async forgetSubject(subject: Subject): Promise<void> {
    this.bearers.forgetSubject(subject);
    await this.revocations?.publish({ subject: { type: subject.type, id: subject.id } });
  }

  /** The subject's tokens, one page in id order. */
  async list(subject: Subject, page: PageRequest): Promise<Page<TokenRecord>> {
    return toPage(await this.tokens.listOf(subject, page), page.limit, (t) => t.id);
  }

  /** DELETE /user/tokens/{id}: revokes one of the subject's own tokens; it stops working with the next request. */
  async revoke(subject: Subject, id: string): Promise<void> {
    if (!(await this.tokens.revoke(subject, id))) throw ApiError.notFound('You have no token with this id.');
    await this.forget(id);
  }

  private async stateOf(parsed: ParsedToken): Promise<TokenState> {
    const identifier = parsed.identifier;
    if (identifier.version === 2 && !identifier.persistence.named) {
      const { generation, subjectExists } = await this.tokens.generation(identifier.subject);
      const made = identifier.persistence.generation;
      if (made < generation)
        throw new TokenRejectedError(`temporary token ${parsed.id} of a revoked generation`, 'The token has been revoked.');
      if (made > generation) throw new TokenRejectedError(`temporary token ${parsed.id} of a future generation`);
      return temporaryState(identifier, subjectExists);
    }
    const row = await this.tokens.storedState(parsed.id);
    if (!row) throw new TokenRejectedError(`unknown token ${parsed.id}`);
    if (row.version !== identifier.version) throw new TokenRejectedError(`token ${parsed.id} is not of version ${identifier.version}`);
    if (identifier.version === 2 && !sameAsRow(identifier, row)) {
      throw new TokenRejectedError(`token ${parsed.id} names another subject or type than its row`);
    }
    return { ...row, named: true, generation: null, rowValidUntil: row.validUntil };
  }
}

/** A token as established without looking at the request (what the bearer cache keeps). */
export interface Established {
  id: string;
  version: 1 | 2;
  state: TokenState;
  klass: CaveatClass;
  caveats: Caveat[];
}

interface TokenState extends Omit<StoredTokenState, 'validUntil' | 'id' | 'version'> {
  named: boolean;
  generation: number | null;
  /** The stored time limit (epoch ms), besides the caveats. */
  rowValidUntil: number | null;
}

function temporaryState(identifier: Extract<Identifier, { version: 2 }>, subjectExists: boolean): TokenState {
  const type = identifier.type;
  const kind = type.kind === 'invite' ? INVITE_KINDS[type.inviteType] : undefined;
  return {
    type: type.kind === 'access' ? 'access' : type.kind === 'identity' ? 'identity' : kind!.tokenType,
    subject: identifier.subject,
    spaceId: kind?.target === 'space' && type.kind === 'invite' ? type.targetId : null,
    groupId: kind?.target === 'group' && type.kind === 'invite' ? type.targetId : null,
    usageLimit: null,
    usageCount: 0,
    maxSize: null,
    privileges: kind?.privileges === 'space' ? SpacePrivileges.memberMask : 0n,
    groupPrivileges: kind?.privileges === 'group' ? GroupPrivileges.memberMask : 0n,
    revoked: false,
    subjectExists,
    named: false,
    generation: identifier.persistence.named ? null : identifier.persistence.generation,
    rowValidUntil: null,
  };
}

function sameAsRow(identifier: Extract<Identifier, { version: 2 }>, row: StoredTokenState): boolean {
  if (identifier.subject.type !== row.subject.type || identifier.subject.id !== row.subject.id) return false;
  const expected = kindOf(row.type, row.spaceId ?? row.groupId);
  return JSON.stringify(expected) === JSON.stringify(identifier.type);
}

/** The identifier's type of a stored token. */
export function kindOf(type: TokenType, targetId: string | null): TokenKind {
  if (type === 'access') return { kind: 'access' };
  if (type === 'identity') return { kind: 'identity' };
  const kind = inviteKindOfType(type);
  if (!kind || targetId === null) throw new Error(`a ${type} token has no version-2 form`);
  return { kind: 'invite', inviteType: kind.inviteType, targetId };
}

/** Which caveat set applies when a token of `type` serves `use`; null when it may not serve it. */
function fits(type: TokenType, subject: Subject, use: TokenUse): CaveatClass | null {
  switch (use.use) {
    case 'bearer':
    case 'access':
      return type === 'access' ? 'access' : null;
    case 'identity':
      if (type === 'identity') return 'identity';
      return type === 'access' && subject.type === 'provider' ? 'accessAsIdentity' : null;
    case 'invite': {
      const kind = inviteKindOfType(type);
      return kind && (use.inviteType === undefined || use.inviteType === kind.inviteType) ? 'invite' : null;
    }
    case 'consume':
      return type === use.type ? 'invite' : null;
  }
}

function earliestTime(caveats: readonly string[]): Date | null {
  const times = caveats.flatMap((c) => {
    const m = /^time < (\d{1,15})$/.exec(c);
    return m ? [Number(m[1])] : [];
  });
  return times.length > 0 ? new Date(Math.min(...times) * 1000) : null;
}

/** The client's address as an IPv4 number, or null (unknown, or IPv6). */
export function ipOf(address: string | undefined): number | null {
  return address === undefined ? null : parseIpv4(address);
}
