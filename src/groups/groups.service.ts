import { Injectable } from '@nestjs/common';
import { AccessRepository } from '../access/access.repository.js';
import { mayInviteToGroup } from '../access/policy.js';
import { type GroupPrivilege, GroupPrivileges } from '../access/privileges.js';
import { ApiError } from '../common/api-error.js';
import { Idempotency } from '../common/idempotency/idempotency.service.js';
import { newId } from '../common/ids.js';
import { type Page, type PageRequest, toPage } from '../common/pagination/pagination.js';
import { Transactions, type Tx } from '../database/transactions.js';
import type { GroupType, TokenType } from '../generated/prisma/enums.js';
import type { UserCaller } from '../spaces/access/space-access.js';
import { TokenRejectedError } from '../tokens/token-rejected.error.js';
import type { VerifiedToken } from '../tokens/tokens.service.js';
import { TokensService } from '../tokens/tokens.service.js';
import { groupNotFound } from './access/group-access.service.js';
import type { GroupAccess } from './access/group-access.js';
import type { CreateGroupDto, UpdateGroupDto } from './dto/group.dto.js';
import { GroupGraph } from './group-graph.service.js';
import { type GroupRecord, GroupsRepository } from './groups.repository.js';

const page = async (rows: Promise<string[]>, request: PageRequest): Promise<Page<string>> => toPage(await rows, request.limit, (id) => id);

/** Groups themselves: creating, reading, renaming and deleting them, and a user's own groups. */
@Injectable()
export class GroupsService {
  constructor(
    private readonly groups: GroupsRepository,
    private readonly graph: GroupGraph,
    private readonly standings: AccessRepository,
    private readonly tokens: TokensService,
    private readonly transactions: Transactions,
    private readonly idempotency: Idempotency,
  ) {}

  /** POST /user/groups: the caller becomes the group's direct member with every group privilege. */
  async createForUser(caller: UserCaller, dto: CreateGroupDto): Promise<string> {
    const id = newId();
    await this.transactions.run(async (tx) => {
      await this.idempotency.record(tx, id);
      await this.groups.create(tx, { id, name: dto.name, type: dto.type ?? 'team', creatorId: caller.userId });
      await this.graph.addUser(tx, id, caller.userId, GroupPrivileges.allMask);
    });
    return id;
  }

  /** POST /groups (the administrator): a group without members. */
  async createEmpty(dto: CreateGroupDto): Promise<string> {
    const id = newId();
    await this.transactions.run(async (tx) => {
      await this.idempotency.record(tx, id);
      await this.groups.create(tx, { id, name: dto.name, type: dto.type ?? 'team', creatorId: null });
    });
    return id;
  }

  /** A new group made inside `tx` for a creation route, with `creatorId` its direct member holding every privilege. */
  async createWithin(tx: Tx, creatorId: string, dto: CreateGroupDto, member: boolean): Promise<string> {
    const id = newId();
    await this.groups.create(tx, { id, name: dto.name, type: dto.type ?? 'team', creatorId });
    if (member) await this.graph.addUser(tx, id, creatorId, GroupPrivileges.allMask);
    return id;
  }

  async get(groupId: string): Promise<GroupRecord> {
    const group = await this.groups.find(groupId);
    if (!group) throw groupNotFound();
    return group;
  }

  async update(access: GroupAccess, dto: UpdateGroupDto): Promise<void> {
    if (dto.name === undefined && dto.type === undefined) {
      throw ApiError.invalidRequest('Give at least one of name and type.');
    }
    const data: { name?: string; type?: GroupType } = {};
    if (dto.name !== undefined) data.name = dto.name;
    if (dto.type !== undefined) data.type = dto.type;
    if (!(await this.groups.update(access.groupId, data))) throw groupNotFound();
  }

  /** Deletes the group, its relations and its invites; what was reached through it is recomputed. */
  async delete(access: GroupAccess): Promise<void> {
    await this.transactions.run(async (tx) => {
      await this.graph.lock(tx, 'exclusive');
      if (!(await this.groups.find(access.groupId, tx))) throw groupNotFound();
      await this.graph.deleteGroup(tx, access.groupId);
    });
  }

  all(request: PageRequest): Promise<Page<string>> {
    return page(this.groups.all(request), request);
  }

  /** The user's groups: direct, or effective (through other groups too). */
  ofUser(caller: UserCaller, request: PageRequest, effective: boolean): Promise<Page<string>> {
    return page(this.groups.groupsOfUser(caller.userId, request, effective), request);
  }

  /** A group the user is an effective member of. */
  async ofUserOne(caller: UserCaller, groupId: string): Promise<GroupRecord> {
    if (!(await this.standings.groupStanding(groupId, caller.userId))) throw groupNotFound();
    return this.get(groupId);
  }

  /** DELETE /user/groups/{gid}: the caller leaves a group it is a direct member of (the last member may). */
  async leave(caller: UserCaller, groupId: string): Promise<void> {
    await this.transactions.run(async (tx) => {
      await this.graph.lock(tx, 'exclusive');
      if ((await this.groups.userEdge(groupId, caller.userId, tx)) === null) {
        throw ApiError.notFound('You are not a direct member of this group.');
      }
      await this.graph.removeUser(tx, groupId, caller.userId);
    });
  }

  /** POST /user/groups/join: the token's use and the membership in one transaction; a failure consumes nothing. */
  async join(caller: UserCaller, serialized: string, peerIp?: string): Promise<string> {
    const token = await this.tokens.checkBodyToken(serialized, 'user_join_group', {
      consumer: { type: 'user', id: caller.userId },
      peerIp,
    });
    const groupId = groupOf(token);
    await this.tokens.answeringInvalidToken('group invite', () =>
      this.transactions.run(async (tx) => {
        await this.idempotency.record(tx, groupId);
        await this.checkIssuer(tx, token, 'group_add_user');
        if ((await this.groups.userEdge(groupId, caller.userId, tx)) !== null) {
          throw ApiError.alreadyExists('You are already a member of this group.');
        }
        await this.tokens.consume(tx, token);
        await this.graph.addUser(tx, groupId, caller.userId, BigInt(token.groupPrivileges));
      }),
    );
    return groupId;
  }

  /**
   * Under the exclusive graph lock: the group still exists and the invite's
   * issuer may still invite with what it carries (else the token fails).
   */
  async checkIssuer(tx: Tx, token: VerifiedToken, need: 'group_add_user' | 'group_add_child'): Promise<void> {
    const groupId = groupOf(token);
    await this.graph.lock(tx, 'exclusive');
    if (!(await this.groups.find(groupId, tx))) throw new TokenRejectedError(`group ${groupId} is gone`);
    const issuer = await this.standings.groupStanding(groupId, token.subject.id, tx);
    if (!mayInviteToGroup(issuer, need, BigInt(token.groupPrivileges))) {
      throw new TokenRejectedError(`issuer ${token.subject.id} may no longer invite to group ${groupId}`);
    }
  }

  /** An invite token to the group (user_join_group or group_join_group). */
  async mintInvite(
    access: Extract<GroupAccess, { caller: UserCaller }>,
    type: Extract<TokenType, 'user_join_group' | 'group_join_group'>,
    dto: { privileges?: GroupPrivilege[]; usageLimit?: number },
    validUntil: Date | null,
  ): Promise<string> {
    const carried = dto.privileges === undefined ? GroupPrivileges.memberMask : GroupPrivileges.mask(dto.privileges);
    const need = type === 'user_join_group' ? 'group_add_user' : 'group_add_child';
    if (!mayInviteToGroup(access.standing, need, carried)) {
      throw ApiError.forbidden('Granting more than group_view needs the group_set_privileges privilege.');
    }
    return this.tokens.issue({
      type,
      subject: { type: 'user', id: access.caller.userId },
      groupId: access.groupId,
      groupPrivileges: carried,
      usageLimit: dto.usageLimit ?? 1,
      validUntil,
    });
  }
}

/** The group an invite is for (a token without one fails). */
export function groupOf(token: VerifiedToken): string {
  if (token.groupId === null) throw ApiError.invalidToken();
  return token.groupId;
}
