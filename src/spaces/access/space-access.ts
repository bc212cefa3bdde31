import type { Caller } from '../../auth/caller.js';
import type { SpaceRecord } from '../../access/access.repository.js';
import type { SpacePrivilege } from '../../access/privileges.js';
import type { SpaceStanding } from '../../access/standing.js';
import type { ZonePrivilege } from '../../access/zone-privileges.js';

export type UserCaller = Extract<Caller, { type: 'user' }>;
export type ProviderCaller = Extract<Caller, { type: 'provider' }>;
export type AdminCaller = Extract<Caller, { type: 'admin' }>;

export const SPACE_REQUIREMENT = 'spaces:requirement';

/** What a route on `/spaces/{id}…` asks of its caller, checked before the body is validated. */
export interface SpaceRequirement {
  /** A user caller must hold this privilege (owners hold all). */
  privilege?: SpacePrivilege;
  /**
   * A user caller must hold this privilege unless the route's `:uid` is the
   * caller itself (one's own privileges or membership).
   */
  privilegeUnlessSelf?: SpacePrivilege;
  /** A user caller must be an owner. */
  owner?: boolean;
  /** A provider that supports the space may call the route too. */
  providers?: boolean;
  /** The route reads the space: load it with the access check, in the same round trip. */
  load?: boolean;
  /** The administrator may call the route too (on any space). */
  admins?: boolean;
  /**
   * The zone privileges that open the route on any space instead: the
   * administrator holds them all, a user may hold them.
   */
  zone?: readonly ZonePrivilege[];
  /**
   * The route changes the space's fields: a member sending a Marketplace
   * field (whatever its value) needs space_manage_in_marketplace too.
   */
  spaceChange?: boolean;
  /** The route sets the support parameters of the provider named by `:pid`, decided field by field. */
  supportParameters?: boolean;
}

/** What the caller may do beyond its membership, when it was read. */
interface ZoneStanding {
  /** The caller's zone privileges (the administrator: all), when read. */
  zone?: number;
  /** The route was allowed by zone privileges rather than by membership or support. */
  byZone?: boolean;
  /** The space itself, when the route asked for it (SpaceRequirement.load). */
  space?: SpaceRecord;
}

/** Proof that the caller may act on a space, with what they hold there. */
export type SpaceAccess = (
  | { spaceId: string; caller: UserCaller; standing: SpaceStanding | null }
  | { spaceId: string; caller: ProviderCaller; standing: null }
  | { spaceId: string; caller: AdminCaller; standing: null }
) &
  ZoneStanding;

/** A user's access through its membership (the routes only members may call). */
export type UserSpaceAccess = { spaceId: string; caller: UserCaller; standing: SpaceStanding } & ZoneStanding;
