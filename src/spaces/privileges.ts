import type { SpacePrivilege } from '../generated/prisma/enums.js';

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
