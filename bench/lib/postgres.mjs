import { randomBytes } from 'node:crypto';
import pg from 'pg';

const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

function withDatabase(name) {
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  return url.toString();
}

async function onServer(sql) {
  const client = new pg.Client({ connectionString: SERVER });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A database of the run's own; the service migrates it at start. */
export async function createDatabase() {
  const name = `spaces_bench_${randomBytes(6).toString('hex')}`;
  await onServer(`CREATE DATABASE "${name}"`);
  return withDatabase(name);
}

/** The run's database on the replicas (BENCH_DATABASE_REPLICA_URL), if they are named. */
export function replicaOf(url) {
  const replicas = process.env.BENCH_DATABASE_REPLICA_URL;
  if (!replicas) return undefined;
  const replica = new URL(replicas);
  replica.pathname = new URL(url).pathname;
  return replica.toString();
}

export async function dropDatabase(url) {
  const name = new URL(url).pathname.slice(1);
  await onServer(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}
