import { Inject, Injectable } from '@nestjs/common';
import { AccessRepository } from '../access/access.repository.js';
import { GroupPrivileges, SpacePrivileges } from '../access/privileges.js';
import { mayInviteToGroup, mayInviteToSpace, mayIssueSupport } from '../access/policy.js';
import type { Caller, Subject } from '../auth/caller.js';
import { ApiError } from '../common/api-error.js';
import { type Page, type PageRequest, toPage } from '../common/pagination/pagination.js';
import type { AppConfig } from '../config/environment.js';
import { SPACES_CONFIG } from '../config/spaces-config.js';
import { type Caveat, serializeCaveat } from './caveats/caveats.js';
import type { TokenKind } from './token-codec.js';
import { INVITE_KINDS } from './token-kinds.js';
import { parseCaveats, parseCustomMetadata, parsePrivileges, parseTokenType, parseUsageLimit } from './token-requests.js';
import { TokenNameTakenError, type TokenRecord, TokensRepository } from './tokens.repository.js';
import { TokensService } from './tokens.service.js';

/** The fields of a named token request (validated by its DTO, except those parsed here). */
export interface NamedTokenRequest {
  name: string;
  type?: unknown;
  caveats?: unknown;
  customMetadata?: unknown;
  revoked?: boolean;
  usageLimit?: unknown;
  privileges?: unknown;
}

export interface TemporaryTokenRequest {
  type?: unknown;
  caveats?: unknown;
}

export interface NamedTokenChange {
  name?: string;
  customMetadata?: unknown;
  revoked?: boolean;
}

/** Who may act on a subject's tokens: the subject itself and the administrator. */
function mayManage(caller: Caller, subject: Subject): boolean {
  if (caller.type === 'admin') return true;
  return caller.type === 'user'
    ? subject.type === 'user' && subject.id === caller.userId
    : subject.type === 'provider' && subject.id === caller.providerId;
}

const nameTaken = () => ApiError.alreadyExists('The subject already has a token of this name.');
const noToken = () => ApiError.notFound('There is no such token.');

/**
 * Named and temporary tokens as their subjects (and the administrator)
 * manage them: creation with its checks, lists, reads, changes, deletion and
 * the revocation of all temporary tokens.
 */
@Injectable()
export class TokenManagementService {
  constructor(
    private readonly tokens: TokensService,
    private readonly repository: TokensRepository,
    private readonly access: AccessRepository,
    @Inject(SPACES_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * The subject a route names, once the caller may act on it: 403 for anyone
   * else, then 404 when there is no such user or provider.
   */
  async subjectFor(caller: Caller, subject: Subject, alsoAllowed = false): Promise<Subject> {
    if (!mayManage(caller, subject) && !alsoAllowed)
      throw ApiError.forbidden("Only the subject and the administrator may manage a subject's tokens.");
    if (!(await this.repository.subjectExists(subject))) {
      throw ApiError.notFound(subject.type === 'user' ? 'There is no such user.' : 'There is no such provider.');
    }
    return subject;
  }

  /** Whether `caller` is a provider supporting user `userId` (may read the user's temporary generation and token statuses). */
  async supportsUser(caller: Caller, subject: Subject): Promise<boolean> {
    return caller.type === 'provider' && subject.type === 'user' && this.repository.providerSupportsUser(caller.providerId, subject.id);
  }

  async createNamed(subject: Subject, request: NamedTokenRequest): Promise<{ tokenId: string; token: string }> {
    const now = new Date();
    const kind = parseTokenType(request.type);
    const caveats = parseCaveats(request.caveats, 'caveats', { kind, now });
    const customMetadata = request.customMetadata === undefined ? {} : parseCustomMetadata(request.customMetadata);
    const invite = await this.inviteFields(subject, kind, request);
    await this.checkServiceCaveats(subject, caveats);
    try {
      const { record, serialized } = await this.tokens.createNamed({
        name: request.name,
        subject,
        type: kind.kind === 'access' ? 'access' : kind.kind === 'identity' ? 'identity' : INVITE_KINDS[kind.inviteType].tokenType,
        caveats: caveats.map(serializeCaveat),
        customMetadata,
        revoked: request.revoked ?? false,
        ...invite,
      });
      return { tokenId: record.id, token: serialized };
    } catch (error) {
      if (error instanceof TokenNameTakenError) throw nameTaken();
      throw error;
    }
  }

  async createTemporary(subject: Subject, request: TemporaryTokenRequest): Promise<string> {
    const now = new Date();
    const kind = parseTokenType(request.type);
    const caveats = parseCaveats(request.caveats, 'caveats', { kind, now });
    const times = caveats.flatMap((c) => (c.type === 'time' ? [c.validUntil] : []));
    if (times.length === 0) throw ApiError.invalidRequest('A temporary token needs a time caveat.');
    const max = this.config.TEMPORARY_TOKEN_MAX_TTL;
    if (Math.min(...times) - Math.floor(now.getTime() / 1000) > max) {
      throw ApiError.invalidRequest(`A temporary token may live at most ${max} seconds (TEMPORARY_TOKEN_MAX_TTL).`);
    }
    await this.inviteFields(subject, kind, {});
    await this.checkServiceCaveats(subject, caveats);
    return this.tokens.mintTemporary(subject, kind, caveats.map(serializeCaveat));
  }

  /**
   * An invite's target, usage limit and carried privileges, checked in
   * order: the subject may invite at all (a provider may not), the target
   * exists and the subject is in it (one answer for both), the subject holds
   * the inviting privilege (and the set-privileges one for custom privileges).
   */
  private async inviteFields(
    subject: Subject,
    kind: TokenKind,
    request: Pick<NamedTokenRequest, 'usageLimit' | 'privileges'>,
  ): Promise<{ spaceId?: string; groupId?: string; usageLimit?: number | null; privileges?: bigint; groupPrivileges?: bigint }> {
    if (kind.kind !== 'invite') {
      if (request.usageLimit !== undefined) throw ApiError.invalidRequest('usageLimit is for named invite tokens only.');
      if (request.privileges !== undefined) throw ApiError.invalidRequest('privileges is for named invite tokens only.');
      return {};
    }
    const invite = INVITE_KINDS[kind.inviteType];
    if (request.privileges !== undefined && invite.privileges === null) {
      throw ApiError.invalidRequest(`privileges is not accepted for ${kind.inviteType} invites.`);
    }
    const usageLimit = parseUsageLimit(request.usageLimit);
    const custom = request.privileges === undefined ? null : parsePrivileges(request.privileges, invite.privileges!);
    if (subject.type !== 'user') throw ApiError.forbidden('Providers may not create invite tokens.');
    const notInTarget = ApiError.invalidRequest(
      `type.inviteToken.${invite.targetKey} does not name a ${invite.target} the subject is a member of.`,
    );
    if (!/^[0-9a-f]{32}$/.test(kind.targetId)) throw notInTarget;
    if (invite.target === 'space') {
      const standing = await this.access.spaceStanding(kind.targetId, subject.id);
      if (!standing) throw notInTarget;
      const carried = custom ?? SpacePrivileges.memberMask;
      const allowed =
        invite.inviteType === 'supportSpace' ? mayIssueSupport(standing) : mayInviteToSpace(standing, invite.inviting as never, carried);
      if (!allowed) throw ApiError.forbidden(inviteRefusal(invite.inviting, custom !== null, 'space_set_privileges'));
      return {
        spaceId: kind.targetId,
        usageLimit,
        ...(invite.privileges === 'space' && { privileges: carried }),
      };
    }
    const standing = await this.access.groupStanding(kind.targetId, subject.id);
    if (!standing) throw notInTarget;
    const carried = custom ?? GroupPrivileges.memberMask;
    if (!mayInviteToGroup(standing, invite.inviting as never, carried)) {
      throw ApiError.forbidden(inviteRefusal(invite.inviting, custom !== null, 'group_set_privileges'));
    }
    return { groupId: kind.targetId, usageLimit, groupPrivileges: carried };
  }

  /**
   * Service caveats must name services that may use the subject's tokens:
   * this service always; for a user, providers supporting them (or any
   * provider, `opw-*`).
   */
  async checkServiceCaveats(subject: Subject, caveats: readonly Caveat[]): Promise<void> {
    for (const caveat of caveats) {
      if (caveat.type !== 'service') continue;
      for (const entry of caveat.whitelist) {
        if (entry.service === 'ozw') continue;
        const ok =
          subject.type === 'user' &&
          entry.service === 'opw' &&
          (entry.id === '*' || (await this.repository.providerSupportsUser(entry.id, subject.id)));
        if (!ok) {
          throw ApiError.invalidRequest(`service ${entry.service}-${entry.id} may not use tokens of this ${subject.type}.`);
        }
      }
    }
  }

  /** The named tokens' ids, one page in id order (every subject's when `subject` is null). */
  async listNamed(subject: Subject | null, page: PageRequest): Promise<Page<string>> {
    return toPage(
      (await this.repository.listOf(subject, page)).map((t) => t.id),
      page.limit,
      (id) => id,
    );
  }

  async byName(subject: Subject, name: string): Promise<TokenRecord> {
    const record = await this.repository.findByName(subject, name);
    if (!record) throw ApiError.notFound('The subject has no token of this name.');
    return record;
  }

  /** A named token the caller may see: its subject's, or any for the administrator (404 otherwise, whoever owns it). */
  async byId(caller: Caller, id: string, alsoSupportingProvider = false): Promise<TokenRecord> {
    const record = /^[0-9a-f]{32}$/.test(id) ? await this.repository.findById(id) : null;
    if (!record) throw noToken();
    const subject: Subject = { type: record.subjectType, id: record.subjectId };
    if (mayManage(caller, subject)) return record;
    if (alsoSupportingProvider && (await this.supportsUser(caller, subject))) return record;
    throw noToken();
  }

  async change(caller: Caller, id: string, change: NamedTokenChange): Promise<void> {
    if (change.name === undefined && change.customMetadata === undefined && change.revoked === undefined) {
      throw ApiError.invalidRequest('Give at least one of name, customMetadata and revoked.');
    }
    const customMetadata = change.customMetadata === undefined ? undefined : parseCustomMetadata(change.customMetadata);
    const record = await this.byId(caller, id);
    try {
      if (
        !(await this.repository.update(record.id, { name: change.name, revoked: change.revoked, customMetadata: customMetadata as never }))
      ) {
        throw noToken();
      }
    } catch (error) {
      if (error instanceof TokenNameTakenError) throw nameTaken();
      throw error;
    }
    if (change.revoked !== undefined) await this.tokens.forget(record.id);
  }

  async remove(caller: Caller, id: string): Promise<void> {
    const record = await this.byId(caller, id);
    if (!(await this.repository.remove(record.id))) throw noToken();
    await this.tokens.forget(record.id);
  }

  /** Deletes every named token of the subject, legacy ones included. */
  async removeAll(subject: Subject): Promise<void> {
    await this.repository.removeAllOf(subject);
    await this.tokens.forgetSubject(subject);
  }

  async generation(subject: Subject): Promise<number> {
    return (await this.repository.generation(subject)).generation;
  }

  /** Revokes every temporary token of the subject. */
  async revokeTemporary(subject: Subject): Promise<void> {
    await this.repository.bumpGeneration(subject);
    await this.tokens.forgetSubject(subject);
  }
}

function inviteRefusal(inviting: string, custom: boolean, setPrivileges: string): string {
  return custom
    ? `Inviting needs ${inviting}, and granting privileges other than the member level needs ${setPrivileges}.`
    : `Inviting needs the ${inviting} privilege.`;
}
