import { Injectable } from '@nestjs/common';
import { AccessRepository } from '../../access/access.repository.js';
import { holdsGroup } from '../../access/standing.js';
import type { Caller } from '../../auth/caller.js';
import { ApiError } from '../../common/api-error.js';
import type { Tx } from '../../database/transactions.js';
import { GroupsRepository } from '../groups.repository.js';
import type { GroupAccess, GroupRequirement, UserGroupAccess } from './group-access.js';

export function groupNotFound(): ApiError {
  return ApiError.notFound('The group does not exist or you are not allowed to see it.');
}

/**
 * Who may act on a group: an effective member (404 for anyone else, so that
 * a group's existence is not revealed), holding the route's privilege (403
 * otherwise); the administrator on the routes that allow it.
 */
@Injectable()
export class GroupAccessService {
  constructor(
    private readonly access: AccessRepository,
    private readonly groups: GroupsRepository,
  ) {}

  async authorize(caller: Caller, groupId: string, need: GroupRequirement, tx?: Tx): Promise<GroupAccess> {
    if (caller.type === 'admin' && need.admin) {
      if (!(await this.groups.find(groupId, tx))) throw groupNotFound();
      return { groupId, caller, standing: null };
    }
    if (caller.type !== 'user') throw groupNotFound();
    const standing = await this.access.groupStanding(groupId, caller.userId, tx);
    if (!standing) throw groupNotFound();
    if (need.privilege && !holdsGroup(standing, need.privilege)) {
      throw ApiError.forbidden(`This operation needs the ${need.privilege} privilege in the group.`);
    }
    return { groupId, caller, standing };
  }

  /** The caller's rights checked again inside `tx`, after the caller took the graph lock. */
  async recheck(tx: Tx, access: GroupAccess, need: GroupRequirement): Promise<GroupAccess> {
    return this.authorize(access.caller, access.groupId, need, tx);
  }

  /** As recheck, for a user caller. */
  async recheckUser(tx: Tx, access: UserGroupAccess, need: GroupRequirement): Promise<UserGroupAccess> {
    return (await this.authorize(access.caller, access.groupId, need, tx)) as UserGroupAccess;
  }

  /**
   * A second group in the path (`/…/{gid}`) the caller must see (effective
   * member, 404 otherwise) and hold `privilege` in (403 otherwise).
   */
  async other(caller: Caller, groupId: string, privilege?: GroupRequirement['privilege'], tx?: Tx): Promise<GroupAccess> {
    return this.authorize(caller, groupId, { privilege, admin: true }, tx);
  }
}
