import pg from 'pg';

// Every space privilege (a creator's): the bitmask of the 39.
const ADMIN = `${(1n << 39n) - 1n}::bigint`;
const PER_USER = 100;

/**
 * Fills the database up to `total` spaces, 100 a user, the bench user among
 * them with exactly 100: loading more keeps every user's page the same size,
 * so that only the table grows. IDs are md5 hex, like the service's.
 */
export async function loadScale(databaseUrl, benchUserId, total) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // Only the spaces this loader made count (the bench makes a few of its own through the API).
    const { rows } = await client.query("SELECT count(*)::int AS n FROM spaces WHERE name LIKE 'Space %' OR name LIKE 'Own space %'");
    if (rows[0].n === 0) await ownSpaces(client, benchUserId);
    // Besides the bench user's, spaces are numbered from 1; space g belongs to user ceil(g / 100).
    const from = Math.max(rows[0].n, PER_USER) - PER_USER + 1;
    const to = total - PER_USER;
    if (to < from) return;
    const firstUser = Math.ceil(from / PER_USER);
    const lastUser = Math.ceil(to / PER_USER);
    const step = 100_000;
    await client.query(
      `INSERT INTO users (id, name) SELECT md5('u' || g), 'User ' || g FROM generate_series($1::int, $2::int) g
       ON CONFLICT DO NOTHING`,
      [firstUser, lastUser],
    );
    for (let start = from; start <= to; start += step) {
      const end = Math.min(to, start + step - 1);
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO spaces (id, name, creator_type, creator_id)
         SELECT md5('s' || g), 'Space ' || g, 'user', md5('u' || ceil(g / ${PER_USER}.0)::int)
         FROM generate_series($1::int, $2::int) g`,
        [start, end],
      );
      for (const table of ['memberships', 'space_eff_users']) {
        await client.query(
          `INSERT INTO ${table} (space_id, user_id, privileges, owner${table === 'memberships' ? '' : ', direct, via'})
           SELECT md5('s' || g), md5('u' || ceil(g / ${PER_USER}.0)::int), ${ADMIN}, true${table === 'memberships' ? '' : ", true, '{}'"}
           FROM generate_series($1::int, $2::int) g`,
          [start, end],
        );
      }
      await client.query('COMMIT');
    }
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}

/** The bench user's 100 spaces, counted in the total. */
async function ownSpaces(client, userId) {
  await client.query(
    `INSERT INTO spaces (id, name, creator_type, creator_id)
     SELECT md5('own' || g), 'Own space ' || g, 'user', $1 FROM generate_series(1, ${PER_USER}) g`,
    [userId],
  );
  for (const table of ['memberships', 'space_eff_users']) {
    await client.query(
      `INSERT INTO ${table} (space_id, user_id, privileges, owner${table === 'memberships' ? '' : ', direct, via'})
       SELECT md5('own' || g), $1, ${ADMIN}, true${table === 'memberships' ? '' : ", true, '{}'"} FROM generate_series(1, ${PER_USER}) g`,
      [userId],
    );
  }
}

/**
 * Groups at scale: `groups` groups of 10 users each (users 1…10 × groups),
 * each group a child of the one before it in runs of five, every fifth
 * group's run a member of one space. Their effective memberships are
 * computed from scratch with the service's own recomputation.
 */
export async function loadGroups(databaseUrl, groups) {
  const { FROM_SCRATCH } = await import('../../dist/access/effective-sql.js');
  const { GroupPrivileges, SpacePrivileges } = await import('../../dist/access/privileges.js');
  const view = String(GroupPrivileges.memberMask);
  const member = String(SpacePrivileges.memberMask);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO groups (id, name) SELECT md5('g' || g), 'Group ' || g FROM generate_series(1, $1::int) g ON CONFLICT DO NOTHING`,
      [groups],
    );
    await client.query(
      `INSERT INTO group_users (group_id, user_id, privileges)
       SELECT md5('g' || ceil(u / 10.0)::int), md5('u' || u), ${view} FROM generate_series(1, $1::int * 10) u
       WHERE EXISTS (SELECT 1 FROM users WHERE id = md5('u' || u)) ON CONFLICT DO NOTHING`,
      [groups],
    );
    await client.query(
      `INSERT INTO group_children (parent_id, child_id, privileges)
       SELECT md5('g' || g), md5('g' || (g + 1)), ${view} FROM generate_series(1, $1::int - 1) g WHERE g % 5 <> 0
       ON CONFLICT DO NOTHING`,
      [groups],
    );
    await client.query(
      `INSERT INTO space_groups (space_id, group_id, privileges)
       SELECT md5('s' || g), md5('g' || g), ${member} FROM generate_series(1, $1::int) g
       WHERE g % 5 = 1 AND EXISTS (SELECT 1 FROM spaces WHERE id = md5('s' || g)) ON CONFLICT DO NOTHING`,
      [groups],
    );
    for (const [table, columns, mask] of [
      ['group_eff_users', 'group_id, user_id', 'integer'],
      ['group_eff_children', 'group_id, child_id', 'integer'],
    ]) {
      await client.query(`DELETE FROM ${table}`);
      await client.query(
        `INSERT INTO ${table} (${columns}, privileges, direct, via)
         SELECT entity, subject, privileges::${mask}, direct, CASE WHEN via = '' THEN '{}' ELSE string_to_array(via, ',') END
         FROM (${FROM_SCRATCH[table]}) x`,
      );
    }
    // Only the spaces with groups change.
    await client.query(
      `INSERT INTO space_eff_users (space_id, user_id, privileges, owner, direct, via)
       SELECT entity, subject, privileges::bigint, owner, direct, CASE WHEN via = '' THEN '{}' ELSE string_to_array(via, ',') END
       FROM (${FROM_SCRATCH.space_eff_users}) x WHERE x.entity IN (SELECT space_id FROM space_groups)
       ON CONFLICT (space_id, user_id) DO UPDATE SET privileges = EXCLUDED.privileges, direct = EXCLUDED.direct, via = EXCLUDED.via`,
    );
    await client.query('DELETE FROM space_eff_groups');
    await client.query(
      `INSERT INTO space_eff_groups (space_id, group_id, privileges, direct, via)
       SELECT entity, subject, privileges::bigint, direct, CASE WHEN via = '' THEN '{}' ELSE string_to_array(via, ',') END
       FROM (${FROM_SCRATCH.space_eff_groups}) x`,
    );
    await client.query('COMMIT');
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}
