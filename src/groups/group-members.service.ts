import { Injectable } from '@nestjs/common';
import { AccessRepository } from '../access/access.repository.js';
import { type GroupPrivilege, GroupPrivileges } from '../access/privileges.js';
import { holdsGroup } from '../access/standing.js';
import type { Caller } from '../auth/caller.js';
import { ApiError } from '../common/api-error.js';
import { Idempotency } from '../common/idempotency/idempotency.service.js';
import { type Page, type PageRequest, toPage } from '../common/pagination/pagination.js';
import { Transactions } from '../database/transactions.js';
import { type Intermediary, intermediaries, privilegeChange } from '../spaces/members.service.js';
import { TokensService } from '../tokens/tokens.service.js';
import { GroupAccessService } from './access/group-access.service.js';
import type { GroupAccess, UserGroupAccess } from './access/group-access.js';
import type { CreateGroupDto, UpdateGroupPrivilegesDto } from './dto/group.dto.js';
import { GroupGraph } from './group-graph.service.js';
import { type GroupRecord, GroupsRepository } from './groups.repository.js';
import { groupOf, GroupsService } from './groups.service.js';

const page = async (rows: Promise<string[]>, request: PageRequest): Promise<Page<string>> => toPage(await rows, request.limit, (id) => id);
const notMember = () => ApiError.notFound('This user is not a member of the group.');
const notDirect = () => ApiError.notFound('This user is not a direct member of the group.');
const notChild = () => ApiError.notFound('This group is not a child of the group.');
const notParent = () => ApiError.notFound('This group is not a parent of the group.');

/** Who is in a group: its users, its child groups and its parents, with their privileges. */
@Injectable()
export class GroupMembersService {
  constructor(
    private readonly groups: GroupsRepository,
    private readonly graph: GroupGraph,
    private readonly access: GroupAccessService,
    private readonly standings: AccessRepository,
    private readonly groupsService: GroupsService,
    private readonly tokens: TokensService,
    private readonly transactions: Transactions,
    private readonly idempotency: Idempotency,
  ) {}

  // ---- users -----------------------------------------------------------------------

  users(access: GroupAccess, request: PageRequest, effective: boolean): Promise<Page<string>> {
    return page(this.groups.userIds(access.groupId, request, effective), request);
  }

  async user(access: GroupAccess, userId: string): Promise<{ userId: string; name: string }> {
    const user = await this.groups.effectiveUser(access.groupId, userId);
    if (!user) throw notMember();
    return user;
  }

  /** A direct member's stored privileges: one's own, or anyone's with group_view_privileges. */
  async userPrivileges(access: UserGroupAccess, userId: string): Promise<GroupPrivilege[]> {
    mayView(access, userId, 'group_view_privileges');
    const stored = await this.groups.userEdge(access.groupId, userId);
    if (stored === null) throw notDirect();
    return GroupPrivileges.names(stored);
  }

  async effectiveUserPrivileges(access: UserGroupAccess, userId: string): Promise<GroupPrivilege[]> {
    mayView(access, userId, 'group_view_privileges');
    const row = await this.groups.effectiveUserRow(access.groupId, userId);
    if (!row) throw notMember();
    return GroupPrivileges.names(row.privileges);
  }

  async userMembership(access: UserGroupAccess, userId: string): Promise<Intermediary[]> {
    mayView(access, userId, 'group_view');
    const row = await this.groups.effectiveUserRow(access.groupId, userId);
    if (!row) throw notMember();
    return intermediaries('group', row);
  }

  /**
   * PUT /groups/{id}/users/{uid}: a user holding group_add_user (through a
   * child group, typically) adds itself as a direct member; the
   * administrator adds anyone. Choosing the privileges needs group_set_privileges.
   */
  async addUser(access: GroupAccess, userId: string, privileges?: GroupPrivilege[]): Promise<void> {
    if (access.caller.type === 'user' && userId !== access.caller.userId) {
      throw ApiError.forbidden('Only the user itself may be added this way.');
    }
    const carried = privileges === undefined ? GroupPrivileges.memberMask : GroupPrivileges.mask(privileges);
    await this.transactions.run(async (tx) => {
      await this.graph.lock(tx, 'exclusive');
      const actor = await this.access.recheck(tx, access, { privilege: 'group_add_user', admin: true });
      if (privileges !== undefined && actor.caller.type === 'user' && !holdsGroup(actor.standing, 'group_set_privileges')) {
        throw ApiError.forbidden('Choosing the privileges needs the group_set_privileges privilege.');
      }
      if (!(await this.groups.userExists(tx, userId))) throw ApiError.notFound('There is no such user.');
      if ((await this.groups.userEdge(access.groupId, userId, tx)) !== null) {
        throw ApiError.alreadyExists('The user is already a direct member of the group.');
      }
      await this.graph.addUser(tx, access.groupId, userId, carried);
    });
  }

  async removeUser(access: UserGroupAccess, userId: string): Promise<void> {
    await this.transactions.run(async (tx) => {
      await this.graph.lock(tx, 'exclusive');
      await this.access.recheck(tx, access, { privilege: 'group_remove_user' });
      if ((await this.groups.userEdge(access.groupId, userId, tx)) === null) throw notDirect();
      await this.graph.removeUser(tx, access.groupId, userId);
    });
  }

  async setUserPrivileges(access: UserGroupAccess, userId: string, body: UpdateGroupPrivilegesDto): Promise<void> {
    const change = privilegeChange(GroupPrivileges, body);
    await this.transactions.run(async (tx) => {
      await this.graph.lock(tx, 'exclusive');
      await this.access.recheck(tx, access, { privilege: 'group_set_privileges' });
      const stored = await this.groups.userEdge(access.groupId, userId, tx);
      if (stored === null) throw notDirect();
      await this.graph.setUserPrivileges(tx, access.groupId, userId, (stored | change.grant) & ~change.revoke);
    });
  }

  // ---- children ----------------------------------------------------------------------

  children(access: GroupAccess, request: PageRequest, effective: boolean): Promise<Page<string>> {
    return page(this.groups.childIds(access.groupId, request, effective), request);
  }

  parents(access: GroupAccess, request: PageRequest, effective: boolean): Promise<Page<string>> {
    return page(this.groups.parentIds(access.groupId, request, effective), request);
  }

  /** GET …/children/{cid}: an effective child, seen with group_view in the parent or as an effective member of the child. */
  async child(caller: Caller, access: GroupAccess | null, groupId: string, childId: string): Promise<GroupRecord> {
    const sees =
      caller.type === 'admin' ||
      (access !== null && holdsGroup(access.standing, 'group_view')) ||
      (caller.type === 'user' && (await this.standings.groupStanding(childId, caller.userId)) !== null);
    if (!sees) throw ApiError.forbidden('Viewing a child group needs group_view in the parent, or membership of the child.');
    if (!(await this.standings.groupInGroup(groupId, childId))) throw notChild();
    return this.groupsService.get(childId);
  }

  /** GET …/parents/{pid}: an effective parent, seen by any effective member of the group. */
  async parent(access: GroupAccess, parentId: string): Promise<GroupRecord> {
    if (!(await this.standings.groupInGroup(parentId, access.groupId))) throw notParent();
    return this.groupsService.get(parentId);
  }

  async childPrivileges(access: GroupAccess, childId: string, effective: boolean): Promise<GroupPrivilege[]> {
    if (effective) {
      const row = await this.groups.effectiveChildRow(access.groupId, childId);
      if (!row) throw notChild();
      return GroupPrivileges.names(row.privileges);
    }
    const stored = await this.groups.childEdge(access.groupId, childId);
    if (stored === null) throw notChild();
    return GroupPrivileges.names(stored);
  }

  /** How a group is an effective child: seen with group_view in the parent, or as an effective member of the child. */
  async childMembership(caller: Caller, access: GroupAccess, childId: string): Promise<Intermediary[]> {
    const sees =
      caller.type === 'admin' ||
      holdsGroup(access.standing, 'group_view') ||
      (caller.type === 'user' && (await this.standings.groupStanding(childId, caller.userId)) !== null);
    if (!sees) throw ApiError.forbidden('Viewing a membership needs group_view in the parent, or membership of the child.');
    const row = await this.groups.effectiveChildRow(access.groupId, childId);
    if (!row) throw notChild();
    return intermediaries('group', row);
  }

  /** POST /groups/{id}/children: a new group, the caller its member with every privilege, a child with group_view. */
  async createChild(access: UserGroupAccess, dto: CreateGroupDto): Promise<string> {
    return this.transactions.run(async (tx) => {
      await this.graph.lock(tx, 'exclusive');
      await this.access.recheck(tx, access, { privilege: 'group_add_child' });
      const childId = await this.groupsService.createWithin(tx, access.caller.userId, dto, true);
      await this.idempotency.record(tx, childId);
      await this.graph.addChild(tx, access.groupId, childId, GroupPrivileges.memberMask);
      return childId;
    });
  }

  /** POST /groups/{id}/parents: a new group the caller creates, with this group its child holding every privilege. */
  async createParent(access: UserGroupAccess, dto: CreateGroupDto): Promise<string> {
    return this.transactions.run(async (tx) => {
      await this.graph.lock(tx, 'exclusive');
      await this.access.recheck(tx, access, { privilege: 'group_add_parent' });
      const parentId = await this.groupsService.createWithin(tx, access.caller.userId, dto, false);
      await this.idempotency.record(tx, parentId);
      await this.graph.addChild(tx, parentId, access.groupId, GroupPrivileges.allMask);
      return parentId;
    });
  }

  /** PUT /groups/{id}/children/{cid}: group_add_child here and group_add_parent in the child. */
  async addChild(access: GroupAccess, childId: string, privileges?: GroupPrivilege[]): Promise<void> {
    const carried = privileges === undefined ? GroupPrivileges.memberMask : GroupPrivileges.mask(privileges);
    await this.transactions.run(async (tx) => {
      await this.graph.lock(tx, 'exclusive');
      const actor = await this.access.recheck(tx, access, { privilege: 'group_add_child', admin: true });
      await this.access.other(access.caller, childId, 'group_add_parent', tx);
      if (privileges !== undefined && actor.caller.type === 'user' && !holdsGroup(actor.standing, 'group_set_privileges')) {
        throw ApiError.forbidden('Choosing the privileges needs the group_set_privileges privilege.');
      }
      if ((await this.groups.childEdge(access.groupId, childId, tx)) !== null) {
        throw ApiError.alreadyExists('The group is already a child of this group.');
      }
      await this.graph.addChild(tx, access.groupId, childId, carried);
    });
  }

  async removeChild(access: UserGroupAccess, childId: string): Promise<void> {
    await this.transactions.run(async (tx) => {
      await this.graph.lock(tx, 'exclusive');
      await this.access.recheck(tx, access, { privilege: 'group_remove_child' });
      if ((await this.groups.childEdge(access.groupId, childId, tx)) === null) throw notChild();
      await this.graph.removeChild(tx, access.groupId, childId);
    });
  }

  /** DELETE /groups/{id}/parents/{pid}: the group leaves a parent (group_leave_parent). */
  async leaveParent(access: UserGroupAccess, parentId: string): Promise<void> {
    await this.transactions.run(async (tx) => {
      await this.graph.lock(tx, 'exclusive');
      await this.access.recheck(tx, access, { privilege: 'group_leave_parent' });
      if ((await this.groups.childEdge(parentId, access.groupId, tx)) === null) throw notParent();
      await this.graph.removeChild(tx, parentId, access.groupId);
    });
  }

  async setChildPrivileges(access: UserGroupAccess, childId: string, body: UpdateGroupPrivilegesDto): Promise<void> {
    const change = privilegeChange(GroupPrivileges, body);
    await this.transactions.run(async (tx) => {
      await this.graph.lock(tx, 'exclusive');
      await this.access.recheck(tx, access, { privilege: 'group_set_privileges' });
      const stored = await this.groups.childEdge(access.groupId, childId, tx);
      if (stored === null) throw notChild();
      await this.graph.setChildPrivileges(tx, access.groupId, childId, (stored | change.grant) & ~change.revoke);
    });
  }

  /**
   * POST /groups/{id}/parents/join: the group joins the parent a
   * group_join_group token is for. A cycle is 400 invalid_request and keeps
   * the token; any token failure is 400 invalid_token.
   */
  async joinParent(access: UserGroupAccess, serialized: string, peerIp?: string): Promise<string> {
    const token = await this.tokens.checkBodyToken(serialized, 'group_join_group', {
      consumer: { type: 'user', id: access.caller.userId },
      peerIp,
    });
    const parentId = groupOf(token);
    await this.tokens.answeringInvalidToken('group-to-group invite', () =>
      this.transactions.run(async (tx) => {
        await this.idempotency.record(tx, parentId);
        await this.groupsService.checkIssuer(tx, token, 'group_add_child');
        await this.access.recheck(tx, access, { privilege: 'group_add_parent' });
        if ((await this.groups.childEdge(parentId, access.groupId, tx)) !== null) {
          throw ApiError.alreadyExists('The group is already a child of that group.');
        }
        await this.tokens.consume(tx, token);
        await this.graph.addChild(tx, parentId, access.groupId, BigInt(token.groupPrivileges));
      }),
    );
    return parentId;
  }
}

/** One's own, or with `privilege` in the group. */
function mayView(access: GroupAccess, userId: string, privilege: GroupPrivilege): void {
  if (access.caller.type === 'admin') return;
  if (userId !== access.caller.userId && !holdsGroup(access.standing, privilege)) {
    throw ApiError.forbidden(`Viewing another member needs the ${privilege} privilege.`);
  }
}
