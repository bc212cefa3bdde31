/**
 * Zone privileges: what a user may do over every space, whatever its
 * membership (Onezone's oz_* privileges that concern spaces and their users).
 * The administrator holds them all. A privilege's bit is its position in the
 * alphabetical list below, stored in the database: it must never change.
 */
export const ZONE_PRIVILEGES = [
  'oz_set_privileges',
  'oz_spaces_add_relationships',
  'oz_spaces_create',
  'oz_spaces_delete',
  'oz_spaces_list',
  'oz_spaces_list_relationships',
  'oz_spaces_remove_relationships',
  'oz_spaces_set_privileges',
  'oz_spaces_update',
  'oz_spaces_view',
  'oz_spaces_view_privileges',
  'oz_users_add_relationships',
  'oz_users_remove_relationships',
  'oz_users_view',
  'oz_view_privileges',
] as const;

export type ZonePrivilege = (typeof ZONE_PRIVILEGES)[number];

/** The privileges of a zone viewer: seeing, never changing. */
export const ZONE_VIEWER: readonly ZonePrivilege[] = ['oz_spaces_list', 'oz_spaces_list_relationships', 'oz_spaces_view', 'oz_users_view'];

const BIT = new Map<string, number>(ZONE_PRIVILEGES.map((p, i) => [p, 1 << i]));

export const ZonePrivileges = {
  all: ZONE_PRIVILEGES,
  allMask: (1 << ZONE_PRIVILEGES.length) - 1,

  isPrivilege(value: unknown): value is ZonePrivilege {
    return typeof value === 'string' && BIT.has(value);
  },

  mask(privileges: Iterable<ZonePrivilege>): number {
    let mask = 0;
    for (const p of privileges) mask |= BIT.get(p)!;
    return mask;
  },

  /** Alphabetically, as answers list them. */
  names(mask: number): ZonePrivilege[] {
    return ZONE_PRIVILEGES.filter((_, i) => (mask >> i) & 1);
  },

  hasAll(mask: number, privileges: readonly ZonePrivilege[]): boolean {
    return privileges.every((p) => (mask & BIT.get(p)!) !== 0);
  },
};
