import {
  blocksLeaving,
  mayInviteToGroup,
  mayInviteToSpace,
  mayIssueSupport,
  mayManageOwners,
  mayProviderCreateWith,
  maySeeContactEmail,
  maySetSupportParameter,
  privilegesForSpaceChange,
} from './policy.js';
import { GroupPrivileges, SpacePrivileges } from './privileges.js';
import { type GroupStanding, holdsGroup, holdsSpace, type SpaceStanding, spacePrivilegesOf } from './standing.js';

const space = (privileges: Parameters<typeof SpacePrivileges.mask>[0], extra: Partial<SpaceStanding> = {}): SpaceStanding => ({
  owner: false,
  direct: true,
  privileges: SpacePrivileges.mask(privileges),
  ...extra,
});
const group = (privileges: Parameters<typeof GroupPrivileges.mask>[0], direct = true): GroupStanding => ({
  direct,
  privileges: GroupPrivileges.mask(privileges),
});

const MEMBER = SpacePrivileges.memberMask;
const MANAGER = SpacePrivileges.mask(SpacePrivileges.manager);
const ALL = SpacePrivileges.allMask;

describe('holdsSpace', () => {
  it('is false without a standing', () => {
    expect(holdsSpace(null, 'space_view')).toBe(false);
  });

  it('reads the stored (or inherited) privileges of a member who is not an owner', () => {
    const member = space(['space_view', 'space_add_user']);
    expect(holdsSpace(member, 'space_view')).toBe(true);
    expect(holdsSpace(member, 'space_add_user')).toBe(true);
    expect(holdsSpace(member, 'space_delete')).toBe(false);
    expect(holdsSpace(space([], { direct: false, privileges: MANAGER }), 'space_add_group')).toBe(true);
  });

  it('gives an owner every privilege, whatever is stored', () => {
    const owner = space([], { owner: true });
    for (const p of SpacePrivileges.all) expect(holdsSpace(owner, p)).toBe(true);
    expect(spacePrivilegesOf(owner)).toBe(ALL);
    expect(spacePrivilegesOf(space(['space_view'], { owner: true }))).toBe(ALL);
    expect(spacePrivilegesOf(space(['space_view']))).toBe(SpacePrivileges.mask(['space_view']));
  });
});

describe('holdsGroup', () => {
  it('reads the privileges, nothing more', () => {
    expect(holdsGroup(null, 'group_view')).toBe(false);
    expect(holdsGroup(group(['group_view']), 'group_view')).toBe(true);
    expect(holdsGroup(group(['group_view']), 'group_add_user')).toBe(false);
    expect(holdsGroup(group(['group_add_user'], false), 'group_add_user')).toBe(true);
  });
});

describe('mayInviteToSpace', () => {
  it('needs the named privilege', () => {
    expect(mayInviteToSpace(null, 'space_add_user', MEMBER)).toBe(false);
    expect(mayInviteToSpace(space(['space_view']), 'space_add_user', MEMBER)).toBe(false);
    expect(mayInviteToSpace(space(['space_add_user']), 'space_add_user', MEMBER)).toBe(true);
    expect(mayInviteToSpace(space(['space_add_user']), 'space_add_group', MEMBER)).toBe(false);
    expect(mayInviteToSpace(space(['space_add_group']), 'space_add_group', MEMBER)).toBe(true);
  });

  it('carrying at most the member level needs nothing more', () => {
    const inviter = space(['space_add_user']);
    expect(mayInviteToSpace(inviter, 'space_add_user', 0n)).toBe(true);
    expect(mayInviteToSpace(inviter, 'space_add_user', SpacePrivileges.mask(['space_view']))).toBe(true);
    expect(mayInviteToSpace(inviter, 'space_add_user', MEMBER)).toBe(true);
  });

  it('carrying anything beyond the member level needs space_set_privileges too', () => {
    const inviter = space(['space_add_user']);
    const beyond = MEMBER | SpacePrivileges.mask(['space_view_privileges']);
    expect(mayInviteToSpace(inviter, 'space_add_user', beyond)).toBe(false);
    expect(mayInviteToSpace(inviter, 'space_add_user', MANAGER)).toBe(false);
    expect(mayInviteToSpace(inviter, 'space_add_user', ALL)).toBe(false);
    const admin = space(['space_add_user', 'space_set_privileges']);
    expect(mayInviteToSpace(admin, 'space_add_user', beyond)).toBe(true);
    expect(mayInviteToSpace(admin, 'space_add_user', ALL)).toBe(true);
    // space_set_privileges alone does not let one invite.
    expect(mayInviteToSpace(space(['space_set_privileges']), 'space_add_user', MEMBER)).toBe(false);
  });

  it('lets an owner invite with anything, whatever is stored', () => {
    const owner = space([], { owner: true });
    expect(mayInviteToSpace(owner, 'space_add_user', ALL)).toBe(true);
    expect(mayInviteToSpace(owner, 'space_add_group', MANAGER)).toBe(true);
  });
});

describe('mayInviteToGroup', () => {
  const VIEW = GroupPrivileges.memberMask;

  it('needs the named privilege', () => {
    expect(mayInviteToGroup(null, 'group_add_user', VIEW)).toBe(false);
    expect(mayInviteToGroup(group(['group_view']), 'group_add_user', VIEW)).toBe(false);
    expect(mayInviteToGroup(group(['group_add_user']), 'group_add_user', VIEW)).toBe(true);
    expect(mayInviteToGroup(group(['group_add_user']), 'group_add_child', VIEW)).toBe(false);
    expect(mayInviteToGroup(group(['group_add_child']), 'group_add_child', 0n)).toBe(true);
  });

  it('carrying beyond group_view needs group_set_privileges too', () => {
    const carried = GroupPrivileges.mask(['group_view', 'group_add_user']);
    expect(mayInviteToGroup(group(['group_add_user']), 'group_add_user', carried)).toBe(false);
    expect(mayInviteToGroup(group(['group_add_user', 'group_set_privileges']), 'group_add_user', carried)).toBe(true);
    expect(mayInviteToGroup(group(['group_add_child', 'group_set_privileges']), 'group_add_child', GroupPrivileges.allMask)).toBe(true);
    expect(mayInviteToGroup(group(['group_set_privileges']), 'group_add_user', VIEW)).toBe(false);
  });
});

describe('mayIssueSupport and mayManageOwners', () => {
  it('support tokens need space_add_support (an owner has it)', () => {
    expect(mayIssueSupport(null)).toBe(false);
    expect(mayIssueSupport(space(SpacePrivileges.manager))).toBe(false);
    expect(mayIssueSupport(space(['space_add_support']))).toBe(true);
    expect(mayIssueSupport(space([], { owner: true }))).toBe(true);
  });

  it('managing owners takes an owner: every privilege is not enough', () => {
    expect(mayManageOwners(null)).toBe(false);
    expect(mayManageOwners(space(SpacePrivileges.all))).toBe(false);
    expect(mayManageOwners(space([], { owner: true }))).toBe(true);
  });
});

describe('blocksLeaving', () => {
  const owner = space([], { owner: true });
  const member = space(SpacePrivileges.all);

  it('blocks the last owner while anyone else remains', () => {
    expect(blocksLeaving(owner, 1, true)).toBe(true);
  });

  it('lets the last owner leave when alone', () => {
    expect(blocksLeaving(owner, 1, false)).toBe(false);
  });

  it('lets an owner leave when another owner remains', () => {
    expect(blocksLeaving(owner, 2, true)).toBe(false);
    expect(blocksLeaving(owner, 3, false)).toBe(false);
  });

  it('never blocks a member who is not an owner, whatever it holds', () => {
    expect(blocksLeaving(member, 1, true)).toBe(false);
    expect(blocksLeaving(member, 0, true)).toBe(false);
    expect(blocksLeaving(space([]), 1, false)).toBe(false);
  });
});

describe('the Marketplace fields', () => {
  it('show the contact email to the administrator and to members with space_view and space_manage_in_marketplace', () => {
    expect(maySeeContactEmail(null, true)).toBe(true);
    expect(maySeeContactEmail(space(['space_view', 'space_manage_in_marketplace']), false)).toBe(true);
    expect(maySeeContactEmail(space([], { owner: true }), false)).toBe(true);
    expect(maySeeContactEmail(space(['space_manage_in_marketplace']), false)).toBe(false);
    expect(maySeeContactEmail(space(['space_view', 'space_update']), false)).toBe(false);
    expect(maySeeContactEmail(null, false)).toBe(false);
  });

  it('need space_manage_in_marketplace to be sent at all, beside space_update', () => {
    expect(privilegesForSpaceChange(['name', 'description', 'tags'])).toEqual(['space_update']);
    expect(privilegesForSpaceChange(['advertisedInMarketplace'])).toEqual(['space_update', 'space_manage_in_marketplace']);
    expect(privilegesForSpaceChange(['marketplaceContactEmail'])).toEqual(['space_update', 'space_manage_in_marketplace']);
  });

  it("are not a provider's to set when it creates a space", () => {
    expect(mayProviderCreateWith(['name', 'token', 'size', 'description', 'tags'])).toBe(true);
    expect(mayProviderCreateWith(['name', 'advertisedInMarketplace'])).toBe(false);
    expect(mayProviderCreateWith(['marketplaceContactEmail'])).toBe(false);
  });
});

describe('maySetSupportParameter', () => {
  const fields = ['accountingEnabled', 'dirStatsServiceEnabled', 'dirStatsServiceStatus'] as const;
  const allowed = (setter: Parameters<typeof maySetSupportParameter>[0]) => fields.filter((f) => maySetSupportParameter(setter, f));

  it('lets the supporting provider set all three, and another provider none', () => {
    expect(allowed({ kind: 'provider', itself: true })).toEqual([...fields]);
    expect(allowed({ kind: 'provider', itself: false })).toEqual([]);
  });

  it('lets the administrator switch accounting and the statistics, never report the status', () => {
    expect(allowed({ kind: 'admin' })).toEqual(['accountingEnabled', 'dirStatsServiceEnabled']);
  });

  it('lets a member with space_update (an owner too) switch only the statistics', () => {
    expect(allowed({ kind: 'member', standing: space(['space_update']) })).toEqual(['dirStatsServiceEnabled']);
    expect(allowed({ kind: 'member', standing: space([], { owner: true }) })).toEqual(['dirStatsServiceEnabled']);
    expect(allowed({ kind: 'member', standing: space(['space_view']) })).toEqual([]);
  });
});
