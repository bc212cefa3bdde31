import type { GroupPrivilege, SpacePrivilege } from '../access/privileges.js';
import type { TokenType } from '../generated/prisma/enums.js';

/** The invite types this service issues and consumes (Onezone's names). */
export type InviteType = 'userJoinSpace' | 'groupJoinSpace' | 'supportSpace' | 'userJoinGroup' | 'groupJoinGroup';

export interface InviteKind {
  inviteType: InviteType;
  /** Written into the token's identifier. */
  code: string;
  /** The identifier's parameters segment: Onezone writes `ge` for support invites. */
  parameters: '' | 'ge';
  /** The stored type of a named invite. */
  tokenType: TokenType;
  target: 'space' | 'group';
  targetKey: 'spaceId' | 'groupId';
  /** The privilege the inviter needs in the target. */
  inviting: SpacePrivilege | GroupPrivilege;
  /** Which catalogue the privileges a joiner gets come from; null when the invite carries none. */
  privileges: 'space' | 'group' | null;
}

export const INVITE_KINDS: Record<InviteType, InviteKind> = {
  userJoinSpace: {
    inviteType: 'userJoinSpace',
    code: 'ujs',
    parameters: '',
    tokenType: 'user_join_space',
    target: 'space',
    targetKey: 'spaceId',
    inviting: 'space_add_user',
    privileges: 'space',
  },
  groupJoinSpace: {
    inviteType: 'groupJoinSpace',
    code: 'gjs',
    parameters: '',
    tokenType: 'group_join_space',
    target: 'space',
    targetKey: 'spaceId',
    inviting: 'space_add_group',
    privileges: 'space',
  },
  supportSpace: {
    inviteType: 'supportSpace',
    code: 'ssp',
    parameters: 'ge',
    tokenType: 'support_space',
    target: 'space',
    targetKey: 'spaceId',
    inviting: 'space_add_support',
    privileges: null,
  },
  userJoinGroup: {
    inviteType: 'userJoinGroup',
    code: 'ujg',
    parameters: '',
    tokenType: 'user_join_group',
    target: 'group',
    targetKey: 'groupId',
    inviting: 'group_add_user',
    privileges: 'group',
  },
  groupJoinGroup: {
    inviteType: 'groupJoinGroup',
    code: 'gjg',
    parameters: '',
    tokenType: 'group_join_group',
    target: 'group',
    targetKey: 'groupId',
    inviting: 'group_add_child',
    privileges: 'group',
  },
};

/** Onezone's other invite types: known names, refused here (this service has no harvesters, clusters or inventories). */
export const UNSUPPORTED_INVITE_TYPES: ReadonlySet<string> = new Set([
  'harvesterJoinSpace',
  'registerOneprovider',
  'userJoinCluster',
  'groupJoinCluster',
  'userJoinHarvester',
  'groupJoinHarvester',
  'spaceJoinHarvester',
  'userJoinAtmInventory',
  'groupJoinAtmInventory',
]);

export function inviteKindByCode(code: string): InviteKind | undefined {
  return Object.values(INVITE_KINDS).find((k) => k.code === code);
}

export function inviteKindOfType(type: TokenType): InviteKind | undefined {
  return Object.values(INVITE_KINDS).find((k) => k.tokenType === type);
}

export function isInviteType(value: unknown): value is InviteType {
  return typeof value === 'string' && Object.hasOwn(INVITE_KINDS, value);
}

/** A token's type as the API shows it: an object with exactly one key. */
export type TypeJson =
  | { accessToken: Record<string, never> }
  | { identityToken: Record<string, never> }
  | { inviteToken: { inviteType: InviteType; spaceId?: string; groupId?: string; parameters: Record<string, never> } }
  | { spaceCreationToken: Record<string, never> }
  | { providerSupportToken: Record<string, never> };

export function typeJson(type: TokenType, targetId: string | null): TypeJson {
  switch (type) {
    case 'access':
      return { accessToken: {} };
    case 'identity':
      return { identityToken: {} };
    case 'space_creation':
      return { spaceCreationToken: {} };
    case 'provider_support':
      return { providerSupportToken: {} };
    default: {
      const kind = inviteKindOfType(type)!;
      return { inviteToken: { inviteType: kind.inviteType, [kind.targetKey]: targetId, parameters: {} } };
    }
  }
}
