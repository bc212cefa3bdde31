import { SpacePrivilege } from '../generated/prisma/enums.js';

/** Onezone's space privilege levels (DESIGN §3). */
export const MEMBER_PRIVILEGES: SpacePrivilege[] = ['space_view', 'space_read_data', 'space_write_data'];

export const MANAGER_PRIVILEGES: SpacePrivilege[] = [
  ...MEMBER_PRIVILEGES,
  'space_view_privileges',
  'space_add_user',
  'space_remove_user',
];

export const ADMIN_PRIVILEGES: SpacePrivilege[] = [
  ...MANAGER_PRIVILEGES,
  'space_update',
  'space_delete',
  'space_set_privileges',
  'space_add_support',
  'space_remove_support',
];

/** Every privilege name, in the canonical order lists are returned in. */
export const ALL_PRIVILEGES: SpacePrivilege[] = Object.values(SpacePrivilege);

const RANK = new Map(ALL_PRIVILEGES.map((p, i) => [p, i]));

/** A privilege set as a list in canonical order, without repeats. */
export function privilegeList(privileges: Iterable<SpacePrivilege>): SpacePrivilege[] {
  return [...new Set(privileges)].sort((a, b) => RANK.get(a)! - RANK.get(b)!);
}

export function isPrivilege(value: unknown): value is SpacePrivilege {
  return typeof value === 'string' && RANK.has(value as SpacePrivilege);
}

/** What a member may do: owners implicitly hold every privilege. */
export function effectivePrivileges(member: { owner: boolean; privileges: SpacePrivilege[] }): SpacePrivilege[] {
  return member.owner ? ALL_PRIVILEGES : privilegeList(member.privileges);
}
