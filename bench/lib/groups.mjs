import pg from 'pg';

const PREFIX = '/api/v3/onezone';

/**
 * A reader who reaches a space only through a chain of `depth` nested
 * groups: it is a member of the deepest, the shallowest is a member of the
 * space. Built through the API by `owner` (a user of the service).
 */
export async function chainReader(service, owner, depth = 5) {
  const id = (res) => res.headers.get('location').split('/').pop();
  const spaceId = await service.createSpace(owner.token, 'Read through groups');
  let group = id(await service.call('POST', '/user/groups', owner.token, { name: 'Chain 1' }));
  const top = group;
  for (let level = 2; level <= depth; level += 1) {
    group = id(await service.call('POST', `/groups/${group}/children`, owner.token, { name: `Chain ${level}` }));
  }
  const reader = await service.createUser('Chain reader');
  const { token } = await (await service.call('POST', `/groups/${group}/users/token`, owner.token, {})).json();
  await service.call('POST', '/user/groups/join', reader.token, { token });
  await service.call('PUT', `/spaces/${spaceId}/groups/${top}`, owner.token);
  return { reader, spaceId };
}

/**
 * The latency of adding a group with `users` effective users to a space
 * (PUT /spaces/{id}/groups/{gid}), `times` times, each followed by its
 * removal. The group's members are loaded straight into the database.
 */
export async function groupAdd(service, databaseUrl, owner, { users = 10_000, times = 30 } = {}) {
  const id = (res) => res.headers.get('location').split('/').pop();
  const groupId = id(await service.call('POST', '/user/groups', owner.token, { name: 'Big group' }));
  const spaceId = await service.createSpace(owner.token, 'Gets a big group');
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(
      `WITH u AS (INSERT INTO users (id, name) SELECT md5('big' || g), 'Member ' || g FROM generate_series(1, $1::int) g RETURNING id),
       d AS (INSERT INTO group_users (group_id, user_id, privileges) SELECT $2, id, 1 << 21 FROM u)
       INSERT INTO group_eff_users (group_id, user_id, privileges, direct, via) SELECT $2, id, 1 << 21, true, '{}' FROM u`,
      [users, groupId],
    );
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
  const add = [];
  const remove = [];
  for (let i = 0; i < times; i += 1) {
    let started = performance.now();
    await service.call('PUT', `/spaces/${spaceId}/groups/${groupId}`, owner.token);
    add.push(performance.now() - started);
    started = performance.now();
    await service.call('DELETE', `/spaces/${spaceId}/groups/${groupId}`, owner.token);
    remove.push(performance.now() - started);
  }
  return { users: users + 1, times, add: quantiles(add), remove: quantiles(remove) };
}

/** The plan of the access check (the loaded read's statement): index scans only, or not. */
export async function explainCheck(databaseUrl, spaceId, userId) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // Fresh statistics, as autovacuum would have them after the creations the bench made.
    await client.query('ANALYZE spaces, space_eff_users');
    const { rows } = await client.query(
      `EXPLAIN (FORMAT JSON) SELECT s.*, e.owner, e.privileges FROM spaces s
       JOIN space_eff_users e ON e.space_id = s.id AND e.user_id = $2 WHERE s.id = $1`,
      [spaceId, userId],
    );
    const nodes = [];
    const walk = (node) => {
      nodes.push(
        `${node['Node Type']}${node['Index Name'] ? ` on ${node['Index Name']}` : node['Relation Name'] ? ` on ${node['Relation Name']}` : ''}`,
      );
      for (const child of node.Plans ?? []) walk(child);
    };
    walk(rows[0]['QUERY PLAN'][0].Plan);
    return { nodes, indexScansOnly: nodes.every((n) => !/^(Seq Scan|Bitmap Heap Scan)/.test(n)) };
  } finally {
    await client.end();
  }
}

function quantiles(ms) {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] * 100) / 100;
  return { p50: at(0.5), p99: at(0.99), max: at(1) };
}

export { PREFIX };
