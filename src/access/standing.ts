import { GroupPrivileges, type GroupPrivilege, SpacePrivileges, type SpacePrivilege } from './privileges.js';

/**
 * What a user is in a space: an effective member (directly, through groups,
 * or both), an owner or not, with the union of the privileges of its last
 * hops. Null (no standing) when the user is not an effective member.
 */
export interface SpaceStanding {
  /** A direct member (memberships row); owners always are. */
  direct: boolean;
  owner: boolean;
  /** Stored direct privileges ∪ those of the groups it comes through (bitmask). */
  privileges: bigint;
}

/** What a user (or a group) is in a group. */
export interface GroupStanding {
  direct: boolean;
  privileges: bigint;
}

/** The space privileges a standing gives: an owner holds every one, whatever is stored. */
export function spacePrivilegesOf(standing: SpaceStanding): bigint {
  return standing.owner ? SpacePrivileges.allMask : standing.privileges;
}

export function holdsSpace(standing: SpaceStanding | null, privilege: SpacePrivilege): boolean {
  return standing !== null && SpacePrivileges.has(spacePrivilegesOf(standing), privilege);
}

export function holdsGroup(standing: GroupStanding | null, privilege: GroupPrivilege): boolean {
  return standing !== null && GroupPrivileges.has(standing.privileges, privilege);
}
