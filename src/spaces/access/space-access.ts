import type { Caller } from '../../auth/caller.js';
import type { SpaceRecord } from '../../access/access.repository.js';
import type { SpacePrivilege } from '../../access/privileges.js';
import type { SpaceStanding } from '../../access/standing.js';

export type UserCaller = Extract<Caller, { type: 'user' }>;
export type ProviderCaller = Extract<Caller, { type: 'provider' }>;
export type AdminCaller = Extract<Caller, { type: 'admin' }>;

export const SPACE_REQUIREMENT = 'spaces:requirement';

/** What a route on `/spaces/{id}…` asks of its caller, checked before the body is validated. */
export interface SpaceRequirement {
  /** A user caller must hold this privilege (owners hold all). */
  privilege?: SpacePrivilege;
  /** A user caller must be an owner. */
  owner?: boolean;
  /** A provider that supports the space may call the route too. */
  providers?: boolean;
  /** The route reads the space: load it with the access check, in the same round trip. */
  load?: boolean;
  /** The administrator may call the route too (on any space). */
  admins?: boolean;
  /**
   * The route changes the space's fields: a user sending a Marketplace field
   * (whatever its value) needs space_manage_in_marketplace too.
   */
  spaceChange?: boolean;
  /** The route sets the support parameters of the provider named by `:pid`, decided field by field. */
  supportParameters?: boolean;
}

/** Proof that the caller may act on a space, with what they hold there. */
export type SpaceAccess = (
  | { spaceId: string; caller: UserCaller; standing: SpaceStanding }
  | { spaceId: string; caller: ProviderCaller; standing: null }
  | { spaceId: string; caller: AdminCaller; standing: null }
) & {
  /** The space itself, when the route asked for it (SpaceRequirement.load). */
  space?: SpaceRecord;
};

export type UserSpaceAccess = Extract<SpaceAccess, { caller: UserCaller }>;
