/**
 * The privilege catalogue: Onezone's 39 space and 23 group privileges, their
 * member/manager/admin levels, and the bitmasks they are stored as.
 *
 * A privilege's bit is its position in the alphabetical list below; that
 * position is stored in the database and must never change (new privileges
 * would take new bits). Lists in answers are alphabetical, so a mask read
 * bit by bit comes out in answer order.
 */

export const SPACE_PRIVILEGES = [
  'space_add_group',
  'space_add_harvester',
  'space_add_support',
  'space_add_user',
  'space_cancel_eviction',
  'space_cancel_replication',
  'space_create_archives',
  'space_delete',
  'space_manage_archives',
  'space_manage_atm_workflow_executions',
  'space_manage_datasets',
  'space_manage_in_marketplace',
  'space_manage_qos',
  'space_manage_shares',
  'space_manage_views',
  'space_query_views',
  'space_read_data',
  'space_recall_archives',
  'space_register_files',
  'space_remove_archives',
  'space_remove_group',
  'space_remove_harvester',
  'space_remove_support',
  'space_remove_user',
  'space_schedule_atm_workflow_executions',
  'space_schedule_eviction',
  'space_schedule_replication',
  'space_set_privileges',
  'space_update',
  'space_view',
  'space_view_archives',
  'space_view_atm_workflow_executions',
  'space_view_changes_stream',
  'space_view_privileges',
  'space_view_qos',
  'space_view_statistics',
  'space_view_transfers',
  'space_view_views',
  'space_write_data',
] as const;

export const GROUP_PRIVILEGES = [
  'group_add_atm_inventory',
  'group_add_child',
  'group_add_cluster',
  'group_add_harvester',
  'group_add_parent',
  'group_add_space',
  'group_add_user',
  'group_create_handle',
  'group_create_handle_service',
  'group_delete',
  'group_leave_cluster',
  'group_leave_handle',
  'group_leave_handle_service',
  'group_leave_parent',
  'group_leave_space',
  'group_remove_atm_inventory',
  'group_remove_child',
  'group_remove_harvester',
  'group_remove_user',
  'group_set_privileges',
  'group_update',
  'group_view',
  'group_view_privileges',
] as const;

export type SpacePrivilege = (typeof SPACE_PRIVILEGES)[number];
export type GroupPrivilege = (typeof GROUP_PRIVILEGES)[number];

/** One kind of privilege (space or group): its names, levels and masks. */
export class PrivilegeCatalogue<P extends string> {
  private readonly bit: ReadonlyMap<string, bigint>;
  readonly all: readonly P[];
  readonly member: readonly P[];
  readonly manager: readonly P[];
  readonly admin: readonly P[];
  /** Every privilege's bit set. */
  readonly allMask: bigint;
  readonly memberMask: bigint;

  constructor(names: readonly P[], member: readonly P[], managerExtra: readonly P[]) {
    this.all = names;
    this.bit = new Map(names.map((p, i) => [p, 1n << BigInt(i)]));
    this.member = this.list(member);
    this.manager = this.list([...member, ...managerExtra]);
    this.admin = names;
    this.allMask = this.mask(names);
    this.memberMask = this.mask(member);
    if (this.manager.length === names.length) throw new Error('a privilege level lists every privilege');
  }

  isPrivilege(value: unknown): value is P {
    return typeof value === 'string' && this.bit.has(value);
  }

  /** The bitmask of a list of privileges (repeats are harmless). */
  mask(privileges: Iterable<P>): bigint {
    let mask = 0n;
    for (const p of privileges) {
      const bit = this.bit.get(p);
      if (bit === undefined) throw new Error(`unknown privilege ${p}`);
      mask |= bit;
    }
    return mask;
  }

  /** The privileges of a mask, alphabetically (as answers list them). */
  names(mask: bigint): P[] {
    return this.all.filter((_, i) => (mask >> BigInt(i)) & 1n);
  }

  /** A privilege set as a list, alphabetically and without repeats. */
  list(privileges: Iterable<P>): P[] {
    return this.names(this.mask(privileges));
  }

  has(mask: bigint, privilege: P): boolean {
    return (mask & this.bit.get(privilege)!) !== 0n;
  }

  /** True when every privilege of `mask` is in the member level. */
  withinMember(mask: bigint): boolean {
    return (mask & ~this.memberMask) === 0n;
  }

  /** `{member, manager, admin}`, each cumulative. */
  levels(): { member: P[]; manager: P[]; admin: P[] } {
    return { member: [...this.member], manager: [...this.manager], admin: [...this.admin] };
  }
}

export const SpacePrivileges = new PrivilegeCatalogue<SpacePrivilege>(
  SPACE_PRIVILEGES,
  ['space_view', 'space_read_data', 'space_write_data', 'space_view_transfers'],
  [
    'space_view_privileges',
    'space_add_user',
    'space_remove_user',
    'space_add_group',
    'space_remove_group',
    'space_add_harvester',
    'space_remove_harvester',
    'space_register_files',
    'space_manage_shares',
    'space_view_views',
    'space_query_views',
    'space_view_statistics',
    'space_view_changes_stream',
    'space_schedule_replication',
    'space_view_qos',
    'space_manage_datasets',
    'space_view_archives',
    'space_create_archives',
    'space_manage_archives',
    'space_view_atm_workflow_executions',
    'space_schedule_atm_workflow_executions',
  ],
);

export const GroupPrivileges = new PrivilegeCatalogue<GroupPrivilege>(
  GROUP_PRIVILEGES,
  ['group_view'],
  [
    'group_view_privileges',
    'group_add_user',
    'group_remove_user',
    'group_add_parent',
    'group_leave_parent',
    'group_add_child',
    'group_remove_child',
    'group_add_harvester',
    'group_remove_harvester',
    'group_add_atm_inventory',
    'group_remove_atm_inventory',
  ],
);
