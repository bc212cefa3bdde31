import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openEmbedded } from './embedded.mjs';

// Every space privilege (a creator's), as the service stores it: a bitmask of the 39.
const ADMIN = String((1n << 39n) - 1n);
const SELECT_TOKEN = 'SELECT * FROM tokens WHERE id = $1';
const INSERT_SPACE = 'INSERT INTO spaces (id, name, creator_type, creator_id) VALUES ($1, $2, $3, $4)';
const INSERT_OWNER = 'INSERT INTO memberships (space_id, user_id, privileges, owner) VALUES ($1, $2, $3::bigint, true)';
const INSERT_EFFECTIVE_OWNER =
  "INSERT INTO space_eff_users (space_id, user_id, privileges, owner, direct, via) VALUES ($1, $2, $3::bigint, true, true, '{}')";

/**
 * The physical limit of a creation: the database work POST /user/spaces
 * needs (the bearer token's row, then the space, its owner membership and
 * the owner's effective membership in one transaction), issued straight to the database at the same concurrency,
 * with the service's pool size and prepared statements, and nothing else.
 */
export async function openLimit(options) {
  return options.databaseUrl ? postgresLimit(options) : embeddedLimit(options);
}

/** Named, so each connection prepares it once: the limit gets what the service's hot statements get. */
const prepared = (name, text) => (values) => ({ name: `limit_${name}`, text, values });

async function postgresLimit({ databaseUrl, poolSize, connections, duration, userId }) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize });
  const selectToken = prepared('select_token', SELECT_TOKEN);
  const insertSpace = prepared('insert_space', INSERT_SPACE);
  const insertOwner = prepared('insert_owner', INSERT_OWNER);
  const insertEffectiveOwner = prepared('insert_effective_owner', INSERT_EFFECTIVE_OWNER);
  {
    const { rows } = await pool.query("SELECT id FROM tokens WHERE subject_id = $1 AND type = 'access'", [userId]);
    const tokenId = rows[0].id;
    const create = async () => {
      await pool.query(selectToken([tokenId]));
      const client = await pool.connect();
      try {
        const id = randomBytes(16).toString('hex');
        await client.query('BEGIN');
        await client.query(insertSpace([id, 'Bench space', 'user', userId]));
        await client.query(insertOwner([id, userId, ADMIN]));
        await client.query(insertEffectiveOwner([id, userId, ADMIN]));
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      } finally {
        client.release();
      }
    };
    return {
      measure: (warmup) => drive(create, { connections, duration, warmup }),
      close: () => pool.end(),
    };
  }
}

/** On PGlite: a fresh database of the same schema, in this process, as the service holds its own. */
async function embeddedLimit({ dataDir, connections, duration }) {
  const db = await openEmbedded(dataDir);
  {
    const userId = randomBytes(16).toString('hex');
    const tokenId = randomBytes(16).toString('hex');
    await db.query('INSERT INTO users (id, name) VALUES ($1, $2)', [userId, 'Bench user']);
    // Tokens have a name since tokens v2 (the migration names older ones after their type and id).
    await db.query("INSERT INTO tokens (id, type, subject_type, subject_id, name) VALUES ($1, 'access', 'user', $2, $3)", [
      tokenId,
      userId,
      `access ${tokenId}`,
    ]);
    const create = async () => {
      await db.query(SELECT_TOKEN, [tokenId]);
      const id = randomBytes(16).toString('hex');
      await db.transaction(async (tx) => {
        await tx.query(INSERT_SPACE, [id, 'Bench space', 'user', userId]);
        await tx.query(INSERT_OWNER, [id, userId, ADMIN]);
        await tx.query(INSERT_EFFECTIVE_OWNER, [id, userId, ADMIN]);
      });
    };
    return {
      measure: (warmup) => drive(create, { connections, duration, warmup }),
      close: () => db.close(),
    };
  }
}

/** `connections` loops calling `op` back to back: a warm-up, then the measured run. */
async function drive(op, { connections, duration, warmup }) {
  const run = async (seconds, latencies) => {
    const deadline = performance.now() + seconds * 1000;
    let errors = 0;
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (performance.now() < deadline) {
          const started = performance.now();
          try {
            await op();
            latencies?.push(performance.now() - started);
          } catch (error) {
            if (errors === 0) console.error('limit: an operation failed:', error.message);
            errors += 1;
          }
        }
      }),
    );
    return errors;
  };
  if (warmup > 0) await run(warmup);
  const latencies = [];
  const started = performance.now();
  const errors = await run(duration, latencies);
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return {
    rps: latencies.length / elapsed,
    requests: latencies.length,
    p50: round(at(0.5)),
    p99: round(at(0.99)),
    errors,
  };
}

const round = (ms) => Math.round(ms * 100) / 100;
