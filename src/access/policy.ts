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

/** Removing an owner, or granting or revoking ownership, takes an owner (or the administrator). */
export function mayManageOwners(actor: SpaceStanding | null, admin = false): boolean {
  return admin || (actor !== null && actor.owner);
}

/**
 * Who sees a space's real Marketplace contact email: the administrator, and
 * members holding space_view and space_manage_in_marketplace (owners hold
 * all). Everyone else, providers included, sees "".
 */
export function maySeeContactEmail(standing: SpaceStanding | null, admin: boolean): boolean {
  return admin || (holdsSpace(standing, 'space_view') && holdsSpace(standing, 'space_manage_in_marketplace'));
}

/**
 * The privileges a change of a space's fields needs beyond space_update:
 * sending advertisedInMarketplace or marketplaceContactEmail at all, whatever
 * the value, needs space_manage_in_marketplace.
 */
export function privilegesForSpaceChange(keys: readonly string[]): SpacePrivilege[] {
  const marketplace = keys.includes('advertisedInMarketplace') || keys.includes('marketplaceContactEmail');
  return marketplace ? ['space_update', 'space_manage_in_marketplace'] : ['space_update'];
}

/**
 * Whether a provider creating a space with a user's space creation token may
 * send these fields: it holds no space_manage_in_marketplace, so it may not
 * set the Marketplace fields.
 */
export function mayProviderCreateWith(keys: readonly string[]): boolean {
  return !keys.includes('advertisedInMarketplace') && !keys.includes('marketplaceContactEmail');
}

export type SupportParameterField = 'accountingEnabled' | 'dirStatsServiceEnabled' | 'dirStatsServiceStatus';

/** Who sets a support's parameters: a member (its standing), the supporting provider itself, another supporting provider, or the administrator. */
export type SupportParameterSetter =
  { kind: 'member'; standing: SpaceStanding } | { kind: 'provider'; itself: boolean } | { kind: 'admin' };

/**
 * May set one support parameter (given, not null): the provider itself sets
 * all three; a member with space_update and the administrator switch the
 * directory statistics; the administrator also accounting; the reported
 * status is the provider's alone.
 */
export function maySetSupportParameter(setter: SupportParameterSetter, field: SupportParameterField): boolean {
  switch (setter.kind) {
    case 'provider':
      return setter.itself;
    case 'admin':
      return field !== 'dirStatsServiceStatus';
    case 'member':
      return field === 'dirStatsServiceEnabled' && holdsSpace(setter.standing, 'space_update');
  }
}

/**
 * The privileges resolving a Marketplace membership request needs beyond the
 * route's space_manage_in_marketplace: a grant makes a member, so it also
 * needs space_add_user.
 */
export function privilegesForResolution(decision: 'grant' | 'reject'): SpacePrivilege[] {
  return decision === 'grant' ? ['space_manage_in_marketplace', 'space_add_user'] : ['space_manage_in_marketplace'];
}
