import { GroupPrivileges, type GroupPrivilege, SpacePrivileges, type SpacePrivilege } from './privileges.js';
import { type GroupStanding, holdsGroup, holdsSpace, type SpaceStanding } from './standing.js';

/**
 * What a standing may do: pure rules, no database. Every decision about
 * rights that is more than "holds privilege P" is written here once.
 */

/**
 * May mint (and, at its use, still stand behind) an invite into a space that
 * carries `carried`: `need` (space_add_user or space_add_group), plus
 * space_set_privileges when it carries anything beyond the member level.
 */
export function mayInviteToSpace(standing: SpaceStanding | null, need: SpacePrivilege, carried: bigint): boolean {
  if (!holdsSpace(standing, need)) return false;
  return SpacePrivileges.withinMember(carried) || holdsSpace(standing, 'space_set_privileges');
}

/** The same for an invite into a group (`need`: group_add_user or group_add_child). */
export function mayInviteToGroup(standing: GroupStanding | null, need: GroupPrivilege, carried: bigint): boolean {
  if (!holdsGroup(standing, need)) return false;
  return GroupPrivileges.withinMember(carried) || holdsGroup(standing, 'group_set_privileges');
}

/** May stand behind a support token: space_add_support. */
export function mayIssueSupport(standing: SpaceStanding | null): boolean {
  return holdsSpace(standing, 'space_add_support');
}

/**
 * Whether a direct member may leave (or be removed from) a space: the last
 * owner may not while any other user is a direct or effective member.
 */
export function blocksLeaving(member: SpaceStanding, owners: number, othersRemain: boolean): boolean {
  return member.owner && owners === 1 && othersRemain;
}

/** Removing an owner, or granting or revoking ownership, takes an owner. */
export function mayManageOwners(actor: SpaceStanding | null): boolean {
  return actor !== null && actor.owner;
}
