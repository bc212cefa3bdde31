import pg from 'pg';

const ADMIN = `ARRAY['space_view','space_read_data','space_write_data','space_view_privileges','space_add_user',
  'space_remove_user','space_update','space_delete','space_set_privileges','space_add_support',
  'space_remove_support']::"SpacePrivilege"[]`;
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
    const { rows } = await client.query('SELECT count(*)::int AS n FROM spaces');
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
      await client.query(
        `INSERT INTO memberships (space_id, user_id, privileges, owner)
         SELECT md5('s' || g), md5('u' || ceil(g / ${PER_USER}.0)::int), ${ADMIN}, true
         FROM generate_series($1::int, $2::int) g`,
        [start, end],
      );
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
  await client.query(
    `INSERT INTO memberships (space_id, user_id, privileges, owner)
     SELECT md5('own' || g), $1, ${ADMIN}, true FROM generate_series(1, ${PER_USER}) g`,
    [userId],
  );
}
