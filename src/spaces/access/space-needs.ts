import type { SpaceRequirement } from './space-access.js';

/**
 * What each route on one space asks: the privilege in the space (or being a
 * supporting provider), or the zone privileges that open it on every space.
 * The routes declare these, and the changes check them again under the
 * space's lock.
 */
export const SPACE_NEEDS = {
  get: { privilege: 'space_view', providers: true, load: true, zone: ['oz_spaces_view'] },
  update: { privilege: 'space_update', spaceChange: true, zone: ['oz_spaces_update'] },
  delete: { privilege: 'space_delete', zone: ['oz_spaces_delete'] },
  users: { privilege: 'space_view', providers: true, zone: ['oz_spaces_list_relationships'] },
  user: { privilege: 'space_view', providers: true, zone: ['oz_users_view'] },
  addUser: { privilege: 'space_add_user', zone: ['oz_spaces_add_relationships', 'oz_users_add_relationships'] },
  removeUser: { privilege: 'space_remove_user', zone: ['oz_spaces_remove_relationships', 'oz_users_remove_relationships'] },
  userPrivileges: { privilegeUnlessSelf: 'space_view_privileges', zone: ['oz_spaces_view_privileges'] },
  setPrivileges: { privilege: 'space_set_privileges', zone: ['oz_spaces_set_privileges'] },
  owners: { privilege: 'space_view', providers: true, zone: ['oz_spaces_view'] },
  manageOwners: { owner: true, zone: ['oz_spaces_set_privileges'] },
  effectiveUsers: { privilege: 'space_view', providers: true, zone: ['oz_spaces_list_relationships'] },
  effectiveUser: { privilege: 'space_view', providers: true, zone: ['oz_users_view'] },
  effectivePrivileges: { providers: true, privilegeUnlessSelf: 'space_view_privileges', zone: ['oz_spaces_view_privileges'] },
  membership: { providers: true, privilegeUnlessSelf: 'space_view', zone: ['oz_spaces_list_relationships'] },
  providers: { privilege: 'space_view', providers: true, zone: ['oz_spaces_list_relationships'] },
  removeSupport: { privilege: 'space_remove_support', zone: ['oz_spaces_remove_relationships'] },
  supportParameters: { providers: true, supportParameters: true, zone: ['oz_spaces_update'] },
  /** The Marketplace requests to join the space: who sent them, what they say. */
  membershipRequests: { privilege: 'space_manage_in_marketplace', zone: ['oz_spaces_view'] },
  /** Resolving one: no zone privilege opens it (a grant also needs space_add_user, see policy.ts). */
  resolveMembershipRequest: { privilege: 'space_manage_in_marketplace' },
} as const satisfies Record<string, SpaceRequirement>;
