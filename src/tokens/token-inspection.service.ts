import { Inject, Injectable, Logger } from '@nestjs/common';
import { type Caller, type Subject, subjectOf } from '../auth/caller.js';
import { ApiError } from '../common/api-error.js';
import type { AppConfig } from '../config/environment.js';
import { SPACES_CONFIG, SECRETS } from '../config/spaces-config.js';
import type { Secrets } from '../config/secrets.js';
import {
  type Caveat,
  caveatToJson,
  dataPathSpace,
  objectIdSpace,
  parseCaveat,
  parseIpv4,
  serializeCaveat,
  type ServiceSpec,
} from './caveats/caveats.js';
import { appendCaveats, checkSignature, type ParsedToken, parseToken, V1_TYPE_CAVEAT } from './token-codec.js';
import { INVITE_KINDS, isInviteType, typeJson, type TypeJson, UNSUPPORTED_INVITE_TYPES } from './token-kinds.js';
import { parseCaveats } from './token-requests.js';
import { TokenRejectedError } from './token-rejected.error.js';
import { TokenManagementService } from './token-management.service.js';
import { TokensRepository } from './tokens.repository.js';
import type { TokenType } from '../generated/prisma/enums.js';
import { type TokenUse, TokensService, type VerifiedToken } from './tokens.service.js';
import { THIS_SERVICE, type VerifyContext } from './verification.js';

export interface ExaminedToken {
  onezoneDomain: string;
  id: string;
  tokenId: string;
  persistence: 'named' | 'temporary';
  subject: { type: 'user' | 'oneprovider'; id: string };
  type: TypeJson;
  caveats: Record<string, unknown>[];
  target: { type: 'space' | 'group'; id: string } | null;
}

export interface VerifyRequest {
  token: string;
  peerIp?: string;
  interface?: string;
  serviceToken?: string;
  consumerToken?: string | null;
  allowDataAccessCaveats?: boolean;
  expectedInviteType?: string;
}

export interface VerifiedAnswer {
  subject: { type: 'user' | 'oneprovider'; id: string };
  ttl: number | null;
}

export interface InferredScope {
  validUntil: number | null;
  dataAccessScope: {
    readonly: boolean;
    spaces: Record<string, { name: string; supports: Record<string, { readonly: boolean }> }>;
    providers: Record<string, { name: string; domain: null; version: null; online: boolean }>;
  } | null;
}

const INTERFACES = new Set(['rest', 'oneclient', 'graphsync']);

export function subjectJson(subject: Subject): VerifiedAnswer['subject'] {
  return { type: subject.type === 'user' ? 'user' : 'oneprovider', id: subject.id };
}

/** The public token routes: examine, confine and the three verify routes. */
@Injectable()
export class TokenInspectionService {
  private readonly logger = new Logger(TokenInspectionService.name);

  constructor(
    private readonly tokens: TokensService,
    private readonly management: TokenManagementService,
    private readonly repository: TokensRepository,
    @Inject(SPACES_CONFIG) private readonly config: AppConfig,
    @Inject(SECRETS) private readonly secrets: Secrets,
  ) {}

  /**
   * Describes a genuine token (its signature holds), whether or not it can
   * still be used. Anything else is the one 400 invalid_token answer.
   */
  async examine(serialized: string): Promise<ExaminedToken> {
    return this.tokens.answeringInvalidToken('examined token', async () => {
      const parsed = this.genuine(serialized);
      const described = await this.describe(parsed);
      const caveats = parsed.caveats.flatMap((text): Caveat[] => {
        if (parsed.identifier.version === 1 && V1_TYPE_CAVEAT.test(text)) return [];
        const caveat = parseCaveat(text);
        if (!caveat) throw new TokenRejectedError(`unknown caveat in token ${parsed.id}`);
        return [caveat];
      });
      return {
        onezoneDomain: this.config.TOKEN_LOCATION,
        id: parsed.id,
        tokenId: parsed.id,
        persistence: described.named ? 'named' : 'temporary',
        subject: subjectJson(described.subject),
        type: typeJson(described.type, described.targetId),
        caveats: caveats.map(caveatToJson),
        target: described.targetId === null ? null : { type: described.target!, id: described.targetId },
      };
    });
  }

  /** The same token with the caveats appended: no verification, anyone holding a token may narrow it. */
  async confine(serialized: string, caveatsJson: unknown): Promise<string> {
    const parsed = parseToken(serialized);
    if (!parsed) throw ApiError.invalidToken();
    const caveats = parseCaveats(caveatsJson, 'caveats', null);
    if (caveats.length === 0) throw ApiError.invalidRequest('caveats must hold at least one caveat.');
    if (caveats.some((c) => c.type === 'service')) {
      const described = await this.tokens.answeringInvalidToken('confined token', () => this.describe(parsed));
      await this.management.checkServiceCaveats(described.subject, caveats);
    }
    return appendCaveats(parsed, caveats.map(serializeCaveat));
  }

  async verifyAccess(request: VerifyRequest, caller: Caller | null, clientIp: string | undefined): Promise<VerifiedAnswer> {
    const context = await this.context(request, caller, clientIp, true);
    return this.answer(request.token, { use: 'access' }, context);
  }

  async verifyIdentity(request: VerifyRequest, caller: Caller | null, clientIp: string | undefined): Promise<VerifiedAnswer> {
    const context = await this.context(request, caller, clientIp, false);
    return this.answer(request.token, { use: 'identity' }, context);
  }

  async verifyInvite(request: VerifyRequest, caller: Caller | null, clientIp: string | undefined): Promise<VerifiedAnswer> {
    const expected = request.expectedInviteType;
    if (expected !== undefined && !isInviteType(expected) && !UNSUPPORTED_INVITE_TYPES.has(expected)) {
      throw ApiError.invalidRequest(`expectedInviteType must be an invite type (${Object.keys(INVITE_KINDS).join(', ')}).`);
    }
    const context = await this.context(request, caller, clientIp, false);
    if (expected !== undefined && !isInviteType(expected)) {
      throw new ApiError('invalid_token', `The token is not a ${expected} invite.`);
    }
    return this.answer(request.token, { use: 'invite', inviteType: expected }, context);
  }

  /**
   * What an access token lets its holder reach in the data plane: verified
   * as an access token, with service and interface caveats left out (they
   * say where, not what), data-access caveats allowed, and its own subject
   * as the consumer unless a consumer token says otherwise. For a user, the
   * spaces it may reach (narrowed by data.path and data.objectid caveats),
   * their supporting providers (narrowed by provider service caveats), and
   * whether it is read-only.
   */
  async inferScope(serialized: string, consumerToken: string | null | undefined, clientIp: string | undefined): Promise<InferredScope> {
    const now = new Date();
    const peerIp = clientIp === undefined ? null : parseIpv4(clientIp);
    let consumer: Subject | null;
    if (consumerToken === null) consumer = null;
    else if (consumerToken !== undefined)
      consumer = await this.proving('consumerToken', () => this.tokens.proveIdentity(consumerToken, peerIp, now));
    else {
      const parsed = parseToken(serialized);
      if (!parsed) throw ApiError.invalidToken();
      consumer = (await this.tokens.answeringInvalidToken('inferred token', () => this.describe(parsed))).subject;
    }
    const context: VerifyContext = {
      now,
      peerIp,
      interface: null,
      consumer,
      service: THIS_SERVICE,
      operation: null,
      allowDataAccess: true,
      inferring: true,
    };
    let verified: VerifiedToken;
    try {
      verified = await this.tokens.verify(serialized, { use: 'access' }, context);
    } catch (error) {
      if (error instanceof TokenRejectedError) throw new ApiError('invalid_token', error.description);
      throw error;
    }
    if (verified.subject.type !== 'user') return { validUntil: verified.validUntil, dataAccessScope: null };
    let spaces = await this.repository.userSpaces(verified.subject.id);
    for (const caveat of verified.caveats) {
      if (caveat.type === 'data.path' || caveat.type === 'data.objectid') {
        const named = new Set(caveat.whitelist.map((e) => (caveat.type === 'data.path' ? dataPathSpace(e) : objectIdSpace(e))));
        spaces = spaces.filter((space) => named.has(space.id));
      }
    }
    const providerAllowed = (providerId: string) =>
      verified.caveats.every(
        (c) => c.type !== 'service' || c.whitelist.some((e) => e.service === 'opw' && (e.id === '*' || e.id === providerId)),
      );
    const reachable = spaces.map((space) => ({ ...space, providers: space.providers.filter(providerAllowed) }));
    const providerIds = [...new Set(reachable.flatMap((space) => space.providers))].sort();
    const names = await this.repository.providerNames(providerIds);
    return {
      validUntil: verified.validUntil,
      dataAccessScope: {
        readonly: verified.caveats.some((c) => c.type === 'data.readonly'),
        spaces: Object.fromEntries(
          reachable.map((space) => [
            space.id,
            { name: space.name, supports: Object.fromEntries(space.providers.map((pid) => [pid, { readonly: false }])) },
          ]),
        ),
        providers: Object.fromEntries(
          providerIds.map((pid) => [pid, { name: names.get(pid) ?? pid, domain: null, version: null, online: false }]),
        ),
      },
    };
  }

  private async answer(token: string, use: TokenUse, context: VerifyContext): Promise<VerifiedAnswer> {
    try {
      const verified = await this.tokens.verify(token, use, context);
      const now = Math.floor(context.now.getTime() / 1000);
      return { subject: subjectJson(verified.subject), ttl: verified.validUntil === null ? null : Math.max(0, verified.validUntil - now) };
    } catch (error) {
      if (error instanceof TokenRejectedError) {
        this.logger.debug(`verified token: ${error.message}`);
        throw new ApiError('invalid_token', error.description);
      }
      throw error;
    }
  }

  /**
   * The verify routes' context: the peer IP given or the client's, the
   * interface given or none, the service a service token proves or this one,
   * the consumer a consumer token proves, else the authenticated caller.
   */
  private async context(
    request: VerifyRequest,
    caller: Caller | null,
    clientIp: string | undefined,
    access: boolean,
  ): Promise<VerifyContext> {
    const now = new Date();
    let peerIp: number | null;
    if (request.peerIp !== undefined) {
      peerIp = parseIpv4(request.peerIp);
      if (peerIp === null || request.peerIp.includes(':')) throw ApiError.invalidRequest('peerIp must be an IPv4 address.');
    } else peerIp = clientIp === undefined ? null : parseIpv4(clientIp);
    if (request.interface !== undefined && !INTERFACES.has(request.interface)) {
      throw ApiError.invalidRequest('interface must be one of rest, oneclient, graphsync.');
    }
    const iface = (request.interface ?? null) as VerifyContext['interface'];
    let service: ServiceSpec = THIS_SERVICE;
    if (access && request.serviceToken !== undefined) {
      service = await this.proving('serviceToken', () => this.tokens.proveService(request.serviceToken!, peerIp, now));
    }
    let consumer: Subject | null;
    if (request.consumerToken === null) consumer = null;
    else if (request.consumerToken !== undefined) {
      consumer = await this.proving('consumerToken', () => this.tokens.proveIdentity(request.consumerToken!, peerIp, now));
    } else consumer = callerSubject(caller);
    return {
      now,
      peerIp,
      interface: iface,
      consumer,
      service,
      operation: null,
      allowDataAccess: access && request.allowDataAccessCaveats === true,
    };
  }

  private async proving<T>(field: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof TokenRejectedError) {
        this.logger.debug(`${field}: ${error.message}`);
        throw new ApiError('invalid_token', `The ${field} could not be validated.`);
      }
      throw error;
    }
  }

  private genuine(serialized: string): ParsedToken {
    const parsed = parseToken(serialized);
    if (!parsed) throw new TokenRejectedError('malformed');
    const bad = checkSignature(parsed, this.secrets.tokenSecret, this.config.TOKEN_LOCATION);
    if (bad) throw new TokenRejectedError(`token ${parsed.id}: ${bad}`);
    return parsed;
  }

  /** What a token is: from its identifier (v2), or its row (v1). */
  private async describe(parsed: ParsedToken): Promise<{
    named: boolean;
    subject: Subject;
    type: TokenType;
    targetId: string | null;
    target: 'space' | 'group' | null;
  }> {
    const identifier = parsed.identifier;
    if (identifier.version === 2) {
      const type = identifier.type;
      const invite = type.kind === 'invite' ? INVITE_KINDS[type.inviteType] : undefined;
      return {
        named: identifier.persistence.named,
        subject: identifier.subject,
        type: type.kind === 'access' ? 'access' : type.kind === 'identity' ? 'identity' : invite!.tokenType,
        targetId: type.kind === 'invite' ? type.targetId : null,
        target: invite?.target ?? null,
      };
    }
    const row = await this.repository.storedState(parsed.id);
    if (!row) throw new TokenRejectedError(`unknown token ${parsed.id}`);
    const targetId = row.groupId ?? row.spaceId;
    return {
      named: true,
      subject: row.subject,
      type: row.type,
      targetId,
      target: row.groupId !== null ? 'group' : row.spaceId !== null ? 'space' : null,
    };
  }
}

function callerSubject(caller: Caller | null): Subject | null {
  return !caller || caller.type === 'admin' ? null : subjectOf(caller);
}
