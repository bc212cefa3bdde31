import { GROUP_PRIVILEGES, GroupPrivileges, SPACE_PRIVILEGES, SpacePrivileges } from './privileges.js';

const alphabetical = (list: readonly string[]) => [...list].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

describe('the privilege catalogue', () => {
  it('has the 39 space privileges and the 23 group privileges, alphabetically and without repeats', () => {
    expect(SPACE_PRIVILEGES).toHaveLength(39);
    expect(GROUP_PRIVILEGES).toHaveLength(23);
    for (const list of [SPACE_PRIVILEGES, GROUP_PRIVILEGES]) {
      expect([...list]).toEqual(alphabetical(list));
      expect(new Set(list).size).toBe(list.length);
    }
    expect(SpacePrivileges.all).toBe(SPACE_PRIVILEGES);
    expect(GroupPrivileges.all).toBe(GROUP_PRIVILEGES);
  });

  it('has space levels of 4, 25 and 39 privileges, each alphabetical and containing the one below', () => {
    expect(SpacePrivileges.member).toEqual(['space_read_data', 'space_view', 'space_view_transfers', 'space_write_data']);
    expect(SpacePrivileges.manager).toHaveLength(25);
    expect(SpacePrivileges.admin).toHaveLength(39);
    expect(SpacePrivileges.manager).toEqual(
      expect.arrayContaining([
        ...SpacePrivileges.member,
        'space_view_privileges',
        'space_add_user',
        'space_remove_user',
        'space_add_group',
        'space_remove_group',
      ]),
    );
    for (const p of ['space_update', 'space_delete', 'space_set_privileges', 'space_add_support', 'space_remove_support']) {
      expect(SpacePrivileges.manager).not.toContain(p);
    }
    const levels = SpacePrivileges.levels();
    expect(levels).toEqual({ member: SpacePrivileges.member, manager: SpacePrivileges.manager, admin: SpacePrivileges.admin });
    for (const level of Object.values(levels)) expect(level).toEqual(alphabetical(level));
    expect(SpacePrivileges.manager).toEqual(expect.arrayContaining(SpacePrivileges.member));
    expect(SpacePrivileges.admin).toEqual(expect.arrayContaining(SpacePrivileges.manager));
  });

  it('has group levels of 1, 12 and 23 privileges', () => {
    expect(GroupPrivileges.member).toEqual(['group_view']);
    expect(GroupPrivileges.manager).toHaveLength(12);
    expect(GroupPrivileges.admin).toHaveLength(23);
    expect(GroupPrivileges.manager).toEqual(alphabetical(GroupPrivileges.manager));
    expect(GroupPrivileges.manager).toEqual(expect.arrayContaining(['group_view', 'group_view_privileges', 'group_add_user']));
    for (const p of ['group_set_privileges', 'group_delete', 'group_update']) expect(GroupPrivileges.manager).not.toContain(p);
  });

  it('levels() gives copies: changing one does not change the catalogue', () => {
    const levels = SpacePrivileges.levels();
    levels.member.push('space_delete');
    expect(SpacePrivileges.member).toHaveLength(4);
  });

  it('gives each privilege the bit of its alphabetical position', () => {
    SPACE_PRIVILEGES.forEach((p, i) => expect(SpacePrivileges.mask([p])).toBe(1n << BigInt(i)));
    GROUP_PRIVILEGES.forEach((p, i) => expect(GroupPrivileges.mask([p])).toBe(1n << BigInt(i)));
    expect(SpacePrivileges.mask(['space_add_group'])).toBe(1n);
    expect(SpacePrivileges.mask(['space_write_data'])).toBe(1n << 38n);
    expect(SpacePrivileges.allMask).toBe((1n << 39n) - 1n);
    expect(GroupPrivileges.allMask).toBe((1n << 23n) - 1n);
    // A group mask fits a 32-bit integer column; a space mask needs a bigint.
    expect(GroupPrivileges.allMask).toBeLessThan(2n ** 31n);
    expect(SpacePrivileges.memberMask).toBe(SpacePrivileges.mask(SpacePrivileges.member));
    expect(SpacePrivileges.memberMask).toBe(344134320128n);
    expect(GroupPrivileges.memberMask).toBe(1n << 21n);
  });

  it('turns a list into a mask and back: alphabetical, without repeats', () => {
    const list = ['space_write_data', 'space_delete', 'space_add_group', 'space_delete'] as const;
    const mask = SpacePrivileges.mask(list);
    expect(SpacePrivileges.names(mask)).toEqual(['space_add_group', 'space_delete', 'space_write_data']);
    expect(SpacePrivileges.list(list)).toEqual(['space_add_group', 'space_delete', 'space_write_data']);
    expect(SpacePrivileges.mask([])).toBe(0n);
    expect(SpacePrivileges.names(0n)).toEqual([]);
    expect(SpacePrivileges.names(SpacePrivileges.allMask)).toEqual([...SPACE_PRIVILEGES]);
    for (const level of [SpacePrivileges.member, SpacePrivileges.manager, SpacePrivileges.admin]) {
      expect(SpacePrivileges.names(SpacePrivileges.mask(level))).toEqual([...level]);
    }
    for (const level of [GroupPrivileges.member, GroupPrivileges.manager, GroupPrivileges.admin]) {
      expect(GroupPrivileges.names(GroupPrivileges.mask(level))).toEqual([...level]);
    }
    // Every single bit and a few mixed masks go round.
    for (let i = 0; i < 39; i += 1) {
      const m = 1n << BigInt(i);
      expect(SpacePrivileges.mask(SpacePrivileges.names(m))).toBe(m);
    }
    for (const m of [0b1011n, 549314733387n, SpacePrivileges.allMask - 1n]) {
      expect(SpacePrivileges.mask(SpacePrivileges.names(m))).toBe(m);
    }
  });

  it('ignores bits beyond the catalogue when reading a mask', () => {
    expect(SpacePrivileges.names(1n << 39n)).toEqual([]);
    expect(GroupPrivileges.names((1n << 23n) | 1n)).toEqual(['group_add_atm_inventory']);
  });

  it('refuses unknown names', () => {
    expect(() => SpacePrivileges.mask(['space_fly' as never])).toThrow('unknown privilege space_fly');
    expect(() => GroupPrivileges.mask(['space_view' as never])).toThrow(/unknown privilege/);
    expect(SpacePrivileges.isPrivilege('space_view')).toBe(true);
    expect(SpacePrivileges.isPrivilege('group_view')).toBe(false);
    expect(SpacePrivileges.isPrivilege(7)).toBe(false);
    expect(GroupPrivileges.isPrivilege('group_view')).toBe(true);
  });

  it('has(): one privilege of a mask', () => {
    const mask = SpacePrivileges.mask(['space_view', 'space_delete']);
    expect(SpacePrivileges.has(mask, 'space_view')).toBe(true);
    expect(SpacePrivileges.has(mask, 'space_delete')).toBe(true);
    expect(SpacePrivileges.has(mask, 'space_update')).toBe(false);
    expect(SpacePrivileges.has(0n, 'space_view')).toBe(false);
  });

  it('withinMember(): true only when nothing beyond the member level is set', () => {
    expect(SpacePrivileges.withinMember(0n)).toBe(true);
    expect(SpacePrivileges.withinMember(SpacePrivileges.memberMask)).toBe(true);
    expect(SpacePrivileges.withinMember(SpacePrivileges.mask(['space_view', 'space_view_transfers']))).toBe(true);
    expect(SpacePrivileges.withinMember(SpacePrivileges.mask(['space_view', 'space_view_privileges']))).toBe(false);
    expect(SpacePrivileges.withinMember(SpacePrivileges.mask(SpacePrivileges.manager))).toBe(false);
    expect(SpacePrivileges.withinMember(SpacePrivileges.allMask)).toBe(false);
    expect(GroupPrivileges.withinMember(GroupPrivileges.mask(['group_view']))).toBe(true);
    expect(GroupPrivileges.withinMember(GroupPrivileges.mask(['group_view', 'group_add_user']))).toBe(false);
  });
});
