import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { SpacePrivileges, type SpacePrivilege } from '../../src/access/privileges.js';
import { pgAdapter, pgliteAdapter } from '../../src/database/adapters.js';
import { applyMigrations, migrationNames } from '../../src/database/schema-engine.js';
import { ENV_RUN_ID, dropDatabase, migrationsUpTo, onPostgres, urlFor, withServer } from '../support/databases.js';

/** The last migration of the v1 access model (privileges as enum arrays, no groups). */
const V1_LAST = '20261122071354_idempotency_keys';

const V1_ALL = [
  'space_view',
  'space_read_data',
  'space_write_data',
  'space_view_privileges',
  'space_add_user',
  'space_remove_user',
  'space_update',
  'space_delete',
  'space_set_privileges',
  'space_add_support',
  'space_remove_support',
];
const V1_MANAGER = V1_ALL.slice(0, 6);
const V1_MEMBER = V1_ALL.slice(0, 3);

type Rows = Record<string, unknown>[];

interface Scratch {
  adapter(): ReturnType<typeof pgliteAdapter> | ReturnType<typeof pgAdapter>;
  query(sql: string, params?: unknown[]): Promise<Rows>;
  close(): Promise<void>;
}

/** An empty database: in-memory PGlite, or a new database on the PostgreSQL server when DATABASE_URL is set. */
async function scratch(): Promise<Scratch> {
  if (!onPostgres()) {
    const db = await PGlite.create();
    return {
      adapter: () => pgliteAdapter(db),
      query: async (sql, params) => (await db.query<Record<string, unknown>>(sql, params)).rows,
      close: () => db.close(),
    };
  }
  const name = `${process.env[ENV_RUN_ID] ?? 'spaces_test'}_v1_${randomBytes(4).toString('hex')}`;
  await withServer((c) => c.query(`CREATE DATABASE "${name}"`));
  const url = urlFor(name);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    adapter: () => pgAdapter(url, { max: 1 }),
    query: async (sql, params) => (await client.query(sql, params)).rows,
    close: async () => {
      await client.end();
      await dropDatabase(url);
    },
  };
}

const id = (c: string) => c.repeat(32);
const mask = (names: string[]) => SpacePrivileges.mask(names as SpacePrivilege[]);
const pgArray = (names: string[]) => `{${names.join(',')}}`;

describe('the groups migration converts v1 access data', () => {
  let db: Scratch;
  let v1Dir: string;

  const SPACE = id('s');
  const users = {
    owner: { id: id('a'), v1: V1_ALL, owner: true },
    manager: { id: id('b'), v1: V1_MANAGER, owner: false },
    member: { id: id('c'), v1: V1_MEMBER, owner: false },
    viewer: { id: id('d'), v1: ['space_view'], owner: false },
    managerPlus: { id: id('e'), v1: [...V1_MANAGER, 'space_delete'], owner: false },
    memberPlus: { id: id('f'), v1: [...V1_MEMBER, 'space_update'], owner: false },
    nothing: { id: id('0'), v1: [], owner: false },
  };
  const tokens = {
    memberInvite: { id: id('1'), type: 'user_join_space', v1: V1_MEMBER },
    managerInvite: { id: id('2'), type: 'user_join_space', v1: V1_MANAGER },
    adminInvite: { id: id('3'), type: 'user_join_space', v1: V1_ALL },
    support: { id: id('4'), type: 'support_space', v1: [] as string[] },
  };

  beforeAll(async () => {
    db = await scratch();
    v1Dir = await migrationsUpTo(V1_LAST);
    const applied = await applyMigrations(db.adapter(), v1Dir);
    expect(applied[applied.length - 1]).toBe(V1_LAST);
    expect(applied).not.toContain('20261201083234_groups');

    await db.query(
      `INSERT INTO users (id, name) VALUES ${Object.values(users)
        .map((_, i) => `($${i + 1}, 'User ${i}')`)
        .join(', ')}`,
      Object.values(users).map((u) => u.id),
    );
    await db.query(`INSERT INTO spaces (id, name, creator_type, creator_id) VALUES ($1, 'Old space', 'user', $2)`, [SPACE, users.owner.id]);
    await db.query(`INSERT INTO providers (id, name) VALUES ($1, 'Old provider')`, [id('p')]);
    await db.query(`INSERT INTO supports (space_id, provider_id, size) VALUES ($1, $2, 10)`, [SPACE, id('p')]);
    for (const u of Object.values(users)) {
      await db.query(`INSERT INTO memberships (space_id, user_id, privileges, owner) VALUES ($1, $2, $3::"SpacePrivilege"[], $4)`, [
        SPACE,
        u.id,
        pgArray(u.v1),
        u.owner,
      ]);
    }
    for (const t of Object.values(tokens)) {
      await db.query(
        `INSERT INTO tokens (id, type, subject_type, subject_id, space_id, usage_limit, privileges)
         VALUES ($1, $2::"TokenType", 'user', $3, $4, 1, $5::"SpacePrivilege"[])`,
        [t.id, t.type, users.owner.id, SPACE, pgArray(t.v1)],
      );
    }

    const rest = await applyMigrations(db.adapter());
    expect(rest).toEqual((await migrationNames()).filter((n) => n > V1_LAST));
    expect(rest).toContain('20261201083234_groups');
    // The schema engine runs twice (WASM, one migration history each).
  }, 180_000);

  afterAll(async () => {
    await db?.close();
    if (v1Dir) await rm(v1Dir, { recursive: true, force: true });
  });

  async function membership(userId: string): Promise<{ privileges: bigint; owner: boolean }> {
    const [row] = await db.query('SELECT privileges::text AS privileges, owner FROM memberships WHERE space_id = $1 AND user_id = $2', [
      SPACE,
      userId,
    ]);
    return { privileges: BigInt(row.privileges as string), owner: row.owner as boolean };
  }

  it('stores privileges as a bigint bitmask column', async () => {
    const columns = await db.query(
      `SELECT table_name, data_type, is_nullable FROM information_schema.columns
       WHERE column_name = 'privileges' AND table_name IN ('memberships', 'tokens') ORDER BY table_name`,
    );
    expect(columns).toEqual([
      { table_name: 'memberships', data_type: 'bigint', is_nullable: 'NO' },
      { table_name: 'tokens', data_type: 'bigint', is_nullable: 'NO' },
    ]);
  });

  it('61. a set holding every v1 privilege gets all 39', async () => {
    expect(await membership(users.owner.id)).toEqual({ privileges: SpacePrivileges.allMask, owner: true });
    expect(SpacePrivileges.names((await membership(users.owner.id)).privileges)).toHaveLength(39);
  });

  it('a set holding the v1 manager level gets the manager level (25), keeping what else it held', async () => {
    const manager = await membership(users.manager.id);
    expect(manager).toEqual({ privileges: mask(SpacePrivileges.manager as string[]), owner: false });
    expect(SpacePrivileges.names(manager.privileges)).toEqual([...SpacePrivileges.manager]);
    const plus = await membership(users.managerPlus.id);
    expect(SpacePrivileges.names(plus.privileges)).toEqual(SpacePrivileges.list([...SpacePrivileges.manager, 'space_delete']));
    expect(SpacePrivileges.names(plus.privileges)).toHaveLength(26);
  });

  it('61. a set holding the v1 member level gets space_view_transfers, keeping what else it held', async () => {
    const member = await membership(users.member.id);
    expect(member).toEqual({ privileges: SpacePrivileges.memberMask, owner: false });
    expect(SpacePrivileges.names(member.privileges)).toEqual(['space_read_data', 'space_view', 'space_view_transfers', 'space_write_data']);
    expect(SpacePrivileges.names((await membership(users.memberPlus.id)).privileges)).toEqual([
      'space_read_data',
      'space_update',
      'space_view',
      'space_view_transfers',
      'space_write_data',
    ]);
  });

  it('61. any other set (such as [space_view] alone) is kept as it was', async () => {
    expect(SpacePrivileges.names((await membership(users.viewer.id)).privileges)).toEqual(['space_view']);
    expect((await membership(users.nothing.id)).privileges).toBe(0n);
  });

  it('1. gives an existing space empty descriptive fields and keeps its creator; 42. its supports start with both parameters off', async () => {
    const [space] = await db.query(
      `SELECT description, organization_name, array_to_string(tags, ',') AS tags, advertised_in_marketplace,
              marketplace_contact_email, creator_type::text AS creator_type, creator_id FROM spaces WHERE id = $1`,
      [SPACE],
    );
    expect(space).toEqual({
      description: '',
      organization_name: '',
      tags: '',
      advertised_in_marketplace: false,
      marketplace_contact_email: '',
      creator_type: 'user',
      creator_id: users.owner.id,
    });
    const [support] = await db.query(
      `SELECT accounting_enabled, dir_stats_service_enabled, dir_stats_service_status::text AS status FROM supports WHERE space_id = $1`,
      [SPACE],
    );
    expect(support).toEqual({ accounting_enabled: false, dir_stats_service_enabled: false, status: 'disabled' });
    const [user] = await db.query('SELECT oz_privileges FROM users WHERE id = $1', [users.owner.id]);
    expect(Number(user.oz_privileges)).toBe(0);
  });

  it("converts invite tokens' privileges the same way", async () => {
    const rows = await db.query('SELECT id, type::text AS type, privileges::text AS privileges, group_privileges FROM tokens ORDER BY id');
    const byId = new Map(rows.map((r) => [r.id, { ...r, privileges: BigInt(r.privileges as string) }]));
    expect(byId.get(tokens.memberInvite.id)).toEqual({
      id: tokens.memberInvite.id,
      type: 'user_join_space',
      privileges: SpacePrivileges.memberMask,
      group_privileges: 0,
    });
    expect(SpacePrivileges.names(byId.get(tokens.memberInvite.id)!.privileges)).toEqual([...SpacePrivileges.member]);
    expect(byId.get(tokens.managerInvite.id)?.privileges).toBe(mask(SpacePrivileges.manager as string[]));
    expect(byId.get(tokens.adminInvite.id)?.privileges).toBe(SpacePrivileges.allMask);
    expect(byId.get(tokens.support.id)?.privileges).toBe(0n);
  });

  it('copies every membership into space_eff_users: direct, through no group, with its privileges and ownership', async () => {
    const rows = await db.query(
      `SELECT space_id, user_id, privileges::text AS privileges, owner, direct, array_length(via, 1) AS via
       FROM space_eff_users ORDER BY user_id`,
    );
    const expected = await Promise.all(
      Object.values(users)
        .map((u) => u.id)
        .sort()
        .map(async (userId) => {
          const m = await membership(userId);
          return { space_id: SPACE, user_id: userId, privileges: m.privileges.toString(), owner: m.owner, direct: true, via: null };
        }),
    );
    expect(rows).toEqual(expected);
    const [{ owners }] = await db.query('SELECT count(*)::int AS owners FROM space_eff_users WHERE owner');
    expect(owners).toBe(1);
  });

  it('leaves nothing for a second run to apply', async () => {
    expect(await applyMigrations(db.adapter())).toEqual([]);
  });
});
