import type { GroupPrivilege } from '../../access/privileges.js';
import type { GroupStanding } from '../../access/standing.js';
import type { AdminCaller, UserCaller } from '../../spaces/access/space-access.js';

export const GROUP_REQUIREMENT = 'groups:requirement';

/** What a route on `/groups/{id}…` asks of its caller (a user; the administrator where `admin` says so). */
export interface GroupRequirement {
  /** A user caller must hold this privilege in the group (effectively). */
  privilege?: GroupPrivilege;
  /** The administrator may call the route too. */
  admin?: boolean;
}

/** Proof that the caller may act on a group, with what it holds there (nothing, for the administrator). */
export type GroupAccess =
  { groupId: string; caller: UserCaller; standing: GroupStanding } | { groupId: string; caller: AdminCaller; standing: null };

export type UserGroupAccess = Extract<GroupAccess, { caller: UserCaller }>;
