import { Injectable } from '@nestjs/common';
import { AccessRepository } from '../access/access.repository.js';
import { mayInviteToSpace } from '../access/policy.js';
import { type SpacePrivilege, SpacePrivileges } from '../access/privileges.js';
import { holdsSpace } from '../access/standing.js';
import { ApiError } from '../common/api-error.js';
import { Idempotency } from '../common/idempotency/idempotency.service.js';
import { newId } from '../common/ids.js';
import { type Page, type PageRequest, toPage } from '../common/pagination/pagination.js';
import { Transactions } from '../database/transactions.js';
import { notFound as spaceNotFound, SpaceAccessService } from '../spaces/access/space-access.service.js';
import type { SpaceAccess, UserSpaceAccess } from '../spaces/access/space-access.js';
import type { MintInviteTokenDto } from '../spaces/dto/invite.dto.js';
import { type Intermediary, intermediaries, MembersService, privilegeChange } from '../spaces/members.service.js';
import { type SpaceRecord, SpacesRepository } from '../spaces/spaces.repository.js';
import { futureDate } from '../spaces/token-limits.js';
import { TokensService } from '../tokens/tokens.service.js';
import { GroupAccessService } from './access/group-access.service.js';
import type { GroupAccess, UserGroupAccess } from './access/group-access.js';
import type { CreateGroupDto } from './dto/group.dto.js';
import type { UpdatePrivilegesDto } from '../spaces/dto/members.dto.js';
import { GroupGraph } from './group-graph.service.js';
import { type GroupRecord, GroupsRepository } from './groups.repository.js';
import { GroupsService } from './groups.service.js';

const page = async (rows: Promise<string[]>, request: PageRequest): Promise<Page<string>> => toPage(await rows, request.limit, (id) => id);
const notInSpace = () => ApiError.notFound('This group is not a member of the space.');
const notDirectInSpace = () => ApiError.notFound('This group is not a direct member of the space.');

/** Groups as members of spaces, seen from either side. */
@Injectable()
export class GroupSpacesService {
  constructor(
    private readonly groups: GroupsRepository,
    private readonly spaces: SpacesRepository,
    private readonly graph: GroupGraph,
    private readonly groupAccess: GroupAccessService,
    private readonly spaceAccess: SpaceAccessService,
    private readonly standings: AccessRepository,
    private readonly members: MembersService,
    private readonly groupsService: GroupsService,
    private readonly tokens: TokensService,
    private readonly transactions: Transactions,
    private readonly idempotency: Idempotency,
  ) {}

  // ---- from the group's side ---------------------------------------------------------

  spacesOfGroup(access: GroupAccess, request: PageRequest, effective: boolean): Promise<Page<string>> {
    return page(this.groups.spaceIdsOfGroup(access.groupId, request, effective), request);
  }

  /** A space the group is an effective member of. */
  async spaceOfGroup(access: GroupAccess, spaceId: string): Promise<SpaceRecord> {
    const space = (await this.standings.groupInSpace(spaceId, access.groupId)) && (await this.spaces.find(spaceId));
    if (!space) throw spaceNotFound();
    return space;
  }

  /**
   * POST /groups/{id}/spaces: a new space; the group gets every privilege in
   * it, and the caller becomes a direct member with every privilege and its owner.
   */
  async createSpace(access: UserGroupAccess, name: string): Promise<string> {
    const spaceId = newId();
    await this.transactions.run(async (tx) => {
      await this.graph.lock(tx, 'shared');
      await this.groupAccess.recheck(tx, access, { privilege: 'group_add_space' });
      await this.idempotency.record(tx, spaceId);
      await this.spaces.create(tx, {
        id: spaceId,
        name,
        creator: { type: 'user', id: access.caller.userId },
        owner: { userId: access.caller.userId, privileges: SpacePrivileges.allMask },
      });
      await this.graph.addToSpace(tx, spaceId, access.groupId, SpacePrivileges.allMask);
    });
    return spaceId;
  }

  /** POST /groups/{id}/spaces/join: the group joins the space a group_join_space token is for. */
  async joinSpace(access: UserGroupAccess, serialized: string, peerIp?: string): Promise<string> {
    const token = await this.tokens.checkBodyToken(serialized, 'group_join_space', {
      consumer: { type: 'user', id: access.caller.userId },
      peerIp,
    });
    const spaceId = token.spaceId;
    if (spaceId === null) throw ApiError.invalidToken();
    await this.tokens.answeringInvalidToken('group space invite', () =>
      this.transactions.run(async (tx) => {
        await this.idempotency.record(tx, spaceId);
        await this.graph.lock(tx, 'shared');
        await this.groupAccess.recheck(tx, access, { privilege: 'group_add_space' });
        await this.members.checkIssuer(tx, spaceId, token.subject.id, 'space_add_group', token.privileges);
        if ((await this.groups.spaceEdge(spaceId, access.groupId, tx)) !== null) {
          throw ApiError.alreadyExists('The group is already a member of this space.');
        }
        await this.tokens.consume(tx, token);
        await this.graph.addToSpace(tx, spaceId, access.groupId, token.privileges);
      }),
    );
    return spaceId;
  }

  /** DELETE /groups/{id}/spaces/{sid}: the group leaves a space (never blocked by owner rules). */
  async leaveSpace(access: UserGroupAccess, spaceId: string): Promise<void> {
    await this.transactions.run(async (tx) => {
      await this.graph.lock(tx, 'shared');
      await this.groupAccess.recheck(tx, access, { privilege: 'group_leave_space' });
      if ((await this.groups.spaceEdge(spaceId, access.groupId, tx)) === null) {
        throw ApiError.notFound('The group is not a direct member of this space.');
      }
      await this.graph.removeFromSpace(tx, spaceId, access.groupId);
    });
  }

  // ---- from the space's side -----------------------------------------------------------

  groupsOfSpace(access: SpaceAccess, request: PageRequest, effective: boolean): Promise<Page<string>> {
    return page(this.groups.groupIdsOfSpace(access.spaceId, request, effective), request);
  }

  /** An effective group of the space: seen with space_view, by an effective member of the group, or by a supporting provider. */
  async groupOfSpace(access: SpaceAccess, groupId: string): Promise<GroupRecord> {
    await this.maySeeGroup(access, groupId);
    if (!(await this.standings.groupInSpace(access.spaceId, groupId))) throw notInSpace();
    return this.groupsService.get(groupId);
  }

  private async maySeeGroup(access: SpaceAccess, groupId: string): Promise<void> {
    if (access.caller.type !== 'user' || holdsSpace(access.standing, 'space_view')) return;
    if (await this.standings.groupStanding(groupId, access.caller.userId)) return;
    throw ApiError.forbidden('Viewing a group of the space needs space_view, or membership of the group.');
  }

  async groupPrivileges(access: SpaceAccess, groupId: string, effective: boolean): Promise<SpacePrivilege[]> {
    if (effective) {
      const row = await this.groups.effectiveSpaceGroupRow(access.spaceId, groupId);
      if (!row) throw notInSpace();
      return SpacePrivileges.names(row.privileges);
    }
    const stored = await this.groups.spaceEdge(access.spaceId, groupId);
    if (stored === null) throw notDirectInSpace();
    return SpacePrivileges.names(stored);
  }

  async groupMembership(access: SpaceAccess, groupId: string): Promise<Intermediary[]> {
    await this.maySeeGroup(access, groupId);
    const row = await this.groups.effectiveSpaceGroupRow(access.spaceId, groupId);
    if (!row) throw notInSpace();
    return intermediaries('space', row);
  }

  /** POST /spaces/{id}/groups: a new group, the caller its member with every privilege, the group a member of the space. */
  async createGroup(access: UserSpaceAccess, dto: CreateGroupDto): Promise<string> {
    return this.transactions.run(async (tx) => {
      await this.graph.lock(tx, 'exclusive');
      await this.spaceAccess.lock(tx, access, { privilege: 'space_add_group' });
      const groupId = await this.groupsService.createWithin(tx, access.caller.userId, dto, true);
      await this.idempotency.record(tx, groupId);
      await this.graph.addToSpace(tx, access.spaceId, groupId, SpacePrivileges.memberMask);
      return groupId;
    });
  }

  /**
   * PUT /spaces/{id}/groups/{gid}: space_add_group in the space and
   * group_add_space in the group (404 when the caller cannot see the group);
   * choosing the privileges needs space_set_privileges. The administrator
   * adds any group. Never makes an owner.
   */
  async addGroup(access: SpaceAccess, groupId: string, privileges?: SpacePrivilege[]): Promise<void> {
    if (access.caller.type === 'provider') throw ApiError.forbidden('Providers cannot add groups to spaces.');
    const carried = privileges === undefined ? SpacePrivileges.memberMask : SpacePrivileges.mask(privileges);
    await this.transactions.run(async (tx) => {
      await this.graph.lock(tx, 'shared');
      const actor = await this.spaceAccess.lock(tx, access, { privilege: 'space_add_group', admins: true });
      await this.groupAccess.other(access.caller, groupId, 'group_add_space', tx);
      if (actor.caller.type === 'user' && privileges !== undefined && !holdsSpace(actor.standing, 'space_set_privileges')) {
        throw ApiError.forbidden('Choosing the privileges needs the space_set_privileges privilege.');
      }
      if ((await this.groups.spaceEdge(access.spaceId, groupId, tx)) !== null) {
        throw ApiError.alreadyExists('The group is already a member of this space.');
      }
      await this.graph.addToSpace(tx, access.spaceId, groupId, carried);
    });
  }

  async removeGroup(access: UserSpaceAccess, groupId: string): Promise<void> {
    await this.transactions.run(async (tx) => {
      await this.graph.lock(tx, 'shared');
      await this.spaceAccess.lock(tx, access, { privilege: 'space_remove_group' });
      if ((await this.groups.spaceEdge(access.spaceId, groupId, tx)) === null) throw notDirectInSpace();
      await this.graph.removeFromSpace(tx, access.spaceId, groupId);
    });
  }

  async setGroupPrivileges(access: UserSpaceAccess, groupId: string, body: UpdatePrivilegesDto): Promise<void> {
    const change = privilegeChange(SpacePrivileges, body);
    await this.transactions.run(async (tx) => {
      await this.graph.lock(tx, 'shared');
      await this.spaceAccess.lock(tx, access, { privilege: 'space_set_privileges' });
      const stored = await this.groups.spaceEdge(access.spaceId, groupId, tx);
      if (stored === null) throw notDirectInSpace();
      await this.graph.setSpacePrivileges(tx, access.spaceId, groupId, (stored | change.grant) & ~change.revoke);
    });
  }

  /** POST /spaces/{id}/groups/token: a group_join_space invite (space_add_group; beyond the member level also space_set_privileges). */
  async mintInvite(access: UserSpaceAccess, dto: MintInviteTokenDto): Promise<string> {
    const carried = dto.privileges === undefined ? SpacePrivileges.memberMask : SpacePrivileges.mask(dto.privileges);
    if (!mayInviteToSpace(access.standing, 'space_add_group', carried)) {
      throw ApiError.forbidden('Granting more than member privileges needs the space_set_privileges privilege.');
    }
    return this.tokens.issue({
      type: 'group_join_space',
      subject: { type: 'user', id: access.caller.userId },
      spaceId: access.spaceId,
      privileges: carried,
      usageLimit: dto.usageLimit ?? 1,
      validUntil: futureDate(dto.validUntil),
    });
  }
}
