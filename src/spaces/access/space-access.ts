import type { Caller } from '../../auth/caller.js';
import type { SpacePrivilege } from '../../generated/prisma/enums.js';
import type { SpaceRecord } from '../spaces.repository.js';

export type UserCaller = Extract<Caller, { type: 'user' }>;
export type ProviderCaller = Extract<Caller, { type: 'provider' }>;

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
}

/** Proof that the caller may act on a space, with what they hold there. */
export type SpaceAccess = (
  | { spaceId: string; caller: UserCaller; owner: boolean; privileges: ReadonlySet<SpacePrivilege> }
  | { spaceId: string; caller: ProviderCaller; owner: false; privileges: ReadonlySet<SpacePrivilege> }
) & {
  /** The space itself, when the route asked for it (SpaceRequirement.load). */
  space?: SpaceRecord;
};

export type UserSpaceAccess = Extract<SpaceAccess, { caller: UserCaller }>;
