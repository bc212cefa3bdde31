/**
 * The statements that keep the effective-membership tables equal to what the
 * direct relations imply. Each effective row is a function of one direct row
 * and of the entity's direct member groups (the last hop decides):
 *
 *   eff(E, x).privileges = direct(E, x) | bit_or(hop(E, g)) over the direct
 *                          member groups g of E of which x is an effective member
 *   eff(E, x).via        = those groups g, in id order
 *   the row exists      ⇔ direct(E, x) exists or via is not empty
 *
 * One statement recomputes the rows of a set of entities × a set of subjects;
 * the entities must not depend on each other (none is an effective member of
 * another in the set), so callers run ancestors after descendants.
 */

interface Table {
  /** The effective table and its two key columns. */
  name: string;
  entity: string;
  subject: string;
  /** The direct relation of the same pair: table and its key columns. */
  direct: { name: string; entity: string; subject: string };
  /** The entity's direct member groups (the last hop), and the group column. */
  hop: { name: string; entity: string; group: string };
  /** Where "subject is an effective member of group g" is read. */
  within: { name: string; group: string; subject: string };
  /** The SQL type privileges are stored as. */
  mask: 'bigint' | 'integer';
  /** space_eff_users copies the direct membership's owner flag. */
  owner?: boolean;
}

export const SPACE_EFF_USERS: Table = {
  name: 'space_eff_users',
  entity: 'space_id',
  subject: 'user_id',
  direct: { name: 'memberships', entity: 'space_id', subject: 'user_id' },
  hop: { name: 'space_groups', entity: 'space_id', group: 'group_id' },
  within: { name: 'group_eff_users', group: 'group_id', subject: 'user_id' },
  mask: 'bigint',
  owner: true,
};

export const SPACE_EFF_GROUPS: Table = {
  name: 'space_eff_groups',
  entity: 'space_id',
  subject: 'group_id',
  direct: { name: 'space_groups', entity: 'space_id', subject: 'group_id' },
  hop: { name: 'space_groups', entity: 'space_id', group: 'group_id' },
  within: { name: 'group_eff_children', group: 'group_id', subject: 'child_id' },
  mask: 'bigint',
};

export const GROUP_EFF_USERS: Table = {
  name: 'group_eff_users',
  entity: 'group_id',
  subject: 'user_id',
  direct: { name: 'group_users', entity: 'group_id', subject: 'user_id' },
  hop: { name: 'group_children', entity: 'parent_id', group: 'child_id' },
  within: { name: 'group_eff_users', group: 'group_id', subject: 'user_id' },
  mask: 'integer',
};

export const GROUP_EFF_CHILDREN: Table = {
  name: 'group_eff_children',
  entity: 'group_id',
  subject: 'child_id',
  direct: { name: 'group_children', entity: 'parent_id', subject: 'child_id' },
  hop: { name: 'group_children', entity: 'parent_id', group: 'child_id' },
  within: { name: 'group_eff_children', group: 'group_id', subject: 'child_id' },
  mask: 'integer',
};

export type EffectiveTable = Table;

/**
 * Where a refresh takes its subjects from ($2): a list (text[]), or, read in
 * the statement itself, the effective users of a group or a group with its
 * descendants (so that thousands of ids never travel to the service and back).
 */
export type Subjects = 'list' | 'usersOf' | 'groupAndDescendantsOf';

const SUBJECTS: Record<Subjects, string> = {
  list: 'SELECT unnest($2::text[]) AS id',
  usersOf: 'SELECT user_id AS id FROM group_eff_users WHERE group_id = $2',
  groupAndDescendantsOf: 'SELECT $2::text AS id UNION ALL SELECT child_id FROM group_eff_children WHERE group_id = $2',
};

/** Recomputes `table`'s rows for entities $1 (text[]) × the subjects $2 names. */
export function refreshStatement(t: Table, subjects: Subjects = 'list'): string {
  const owner = t.owner ? ', d.owner' : '';
  return `WITH cand AS (
  SELECT e.id AS entity, s.id AS subject FROM unnest($1::text[]) AS e(id) CROSS JOIN (${SUBJECTS[subjects]}) AS s
), calc AS (
  SELECT c.entity, c.subject, d.privileges AS own${owner}, bit_or(h.privileges) AS inherited,
    array_agg(h.${t.hop.group} ORDER BY h.${t.hop.group}) FILTER (WHERE h.${t.hop.group} IS NOT NULL) AS via
  FROM cand c
  LEFT JOIN ${t.direct.name} d ON d.${t.direct.entity} = c.entity AND d.${t.direct.subject} = c.subject
  LEFT JOIN (${t.hop.name} h JOIN ${t.within.name} w ON w.${t.within.group} = h.${t.hop.group})
    ON h.${t.hop.entity} = c.entity AND w.${t.within.subject} = c.subject
  GROUP BY c.entity, c.subject, d.privileges${owner}
), gone AS (
  DELETE FROM ${t.name} t USING calc
  WHERE t.${t.entity} = calc.entity AND t.${t.subject} = calc.subject AND calc.own IS NULL AND calc.via IS NULL
)
INSERT INTO ${t.name} (${t.entity}, ${t.subject}, privileges, direct, via${t.owner ? ', owner' : ''})
SELECT entity, subject, coalesce(own, 0) | coalesce(inherited, 0), own IS NOT NULL, coalesce(via, '{}')${t.owner ? ', coalesce(owner, false)' : ''}
FROM calc WHERE own IS NOT NULL OR via IS NOT NULL
ON CONFLICT (${t.entity}, ${t.subject}) DO UPDATE
SET privileges = EXCLUDED.privileges, direct = EXCLUDED.direct, via = EXCLUDED.via${t.owner ? ', owner = EXCLUDED.owner' : ''}
WHERE (${t.name}.privileges, ${t.name}.direct, ${t.name}.via${t.owner ? `, ${t.name}.owner` : ''})
  IS DISTINCT FROM (EXCLUDED.privileges, EXCLUDED.direct, EXCLUDED.via${t.owner ? ', EXCLUDED.owner' : ''})`;
}

/**
 * Every effective relation recomputed from the direct ones alone (recursive
 * queries over the whole graph): what the materialised tables must hold.
 * Columns: entity, subject, privileges (text), direct, via (text, comma-joined).
 */
export const FROM_SCRATCH: Record<'space_eff_users' | 'space_eff_groups' | 'group_eff_users' | 'group_eff_children', string> = {
  group_eff_users: `WITH RECURSIVE reach(group_id, user_id) AS (
    SELECT group_id, user_id FROM group_users
    UNION SELECT gc.parent_id, r.user_id FROM reach r JOIN group_children gc ON gc.child_id = r.group_id
  )
  ${scratch('reach', 'group_id', 'user_id', 'group_users', 'group_id', 'user_id', 'group_children', 'parent_id', 'child_id', 'reach')}`,
  group_eff_children: `WITH RECURSIVE below(group_id, child_id) AS (
    SELECT parent_id, child_id FROM group_children
    UNION SELECT gc.parent_id, b.child_id FROM below b JOIN group_children gc ON gc.child_id = b.group_id
  )
  ${scratch('below', 'group_id', 'child_id', 'group_children', 'parent_id', 'child_id', 'group_children', 'parent_id', 'child_id', 'below')}`,
  space_eff_users: `WITH RECURSIVE reach(group_id, user_id) AS (
    SELECT group_id, user_id FROM group_users
    UNION SELECT gc.parent_id, r.user_id FROM reach r JOIN group_children gc ON gc.child_id = r.group_id
  ), pairs(space_id, user_id) AS (
    SELECT space_id, user_id FROM memberships
    UNION SELECT sg.space_id, r.user_id FROM space_groups sg JOIN reach r ON r.group_id = sg.group_id
  )
  ${scratch('pairs', 'space_id', 'user_id', 'memberships', 'space_id', 'user_id', 'space_groups', 'space_id', 'group_id', 'reach', true)}`,
  space_eff_groups: `WITH RECURSIVE below(group_id, child_id) AS (
    SELECT parent_id, child_id FROM group_children
    UNION SELECT gc.parent_id, b.child_id FROM below b JOIN group_children gc ON gc.child_id = b.group_id
  ), pairs(space_id, group_id) AS (
    SELECT space_id, group_id FROM space_groups
    UNION SELECT sg.space_id, b.child_id FROM space_groups sg JOIN below b ON b.group_id = sg.group_id
  )
  ${scratch('pairs', 'space_id', 'group_id', 'space_groups', 'space_id', 'group_id', 'space_groups', 'space_id', 'group_id', 'below', false, 'child_id')}`,
};

function scratch(
  pairs: string,
  entity: string,
  subject: string,
  direct: string,
  directEntity: string,
  directSubject: string,
  hop: string,
  hopEntity: string,
  hopGroup: string,
  within: string,
  owner = false,
  withinSubject = subject,
): string {
  return `SELECT p.${entity} AS entity, p.${subject} AS subject,
    (coalesce(d.privileges, 0) | coalesce(v.privileges, 0))::text AS privileges,
    d.${directSubject} IS NOT NULL AS direct,
    coalesce(array_to_string(v.via, ','), '') AS via${owner ? ', coalesce(d.owner, false) AS owner' : ''}
  FROM ${pairs} p
  LEFT JOIN ${direct} d ON d.${directEntity} = p.${entity} AND d.${directSubject} = p.${subject}
  CROSS JOIN LATERAL (
    SELECT bit_or(h.privileges) AS privileges, array_agg(h.${hopGroup} ORDER BY h.${hopGroup}) AS via
    FROM ${hop} h JOIN ${within} w ON w.group_id = h.${hopGroup} AND w.${withinSubject} = p.${subject}
    WHERE h.${hopEntity} = p.${entity}
  ) v`;
}
