#!/usr/bin/env node
// A high-availability PostgreSQL cluster on this machine, from Debian's
// packages (patroni, etcd-server, haproxy): three etcd members, three
// PostgreSQL 15 instances managed by Patroni with synchronous replication,
// and HAProxy in front (one port to the leader, one to the replicas).
//
//   node scripts/ha.mjs up     (npm run ha:up)    prints DATABASE_URL=… last
//   node scripts/ha.mjs down   (npm run ha:down)  stops it, removes its data
//   node scripts/ha.mjs status                    Patroni's view of the members
//
// Everything lives under HA_DIR (default: a new temporary directory, whose
// path is remembered in .ha-dir for `down`). Ports are free ones picked at
// start. Patroni and PostgreSQL run as the `postgres` OS user.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { freePort } from './free-port.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const POINTER = path.join(ROOT, '.ha-dir');
const BIN_DIR = process.env.HA_PG_BIN_DIR ?? '/usr/lib/postgresql/15/bin';
const MEMBERS = ['pg1', 'pg2', 'pg3'];
const SUPERUSER_PASSWORD = 'ha-superuser';
const APP = { user: 'spaces', password: 'spaces-ha', database: 'spaces' };

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (message) => process.stderr.write(`ha: ${message}\n`);

function postgresIds() {
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

function chownTree(dir, { uid, gid }) {
  fs.chownSync(dir, uid, gid);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) chownTree(p, { uid, gid });
    else fs.chownSync(p, uid, gid);
  }
}

/** Starts a long-lived process detached from this one, its output in `logFile`; returns its pid. */
function launch(command, args, logFile, { asPostgres = false } = {}) {
  const out = fs.openSync(logFile, 'a');
  const [cmd, argv] = asPostgres
    ? ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', command, ...args]]
    : [command, args];
  const child = spawn(cmd, argv, { detached: true, stdio: ['ignore', out, out], env: { ...process.env, HOME: os.tmpdir() } });
  child.unref();
  fs.closeSync(out);
  return child.pid;
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function readState(dir = haDir()) {
  return JSON.parse(fs.readFileSync(path.join(dir, 'state.json'), 'utf8'));
}

function haDir() {
  if (process.env.HA_DIR) return path.resolve(process.env.HA_DIR);
  if (fs.existsSync(POINTER)) return fs.readFileSync(POINTER, 'utf8').trim();
  throw new Error('no HA_DIR given and no cluster recorded in .ha-dir');
}

/** Patroni's view of the cluster (GET /cluster on any member that answers). */
export async function clusterStatus(state) {
  for (const member of state.members) {
    try {
      const response = await fetch(`http://127.0.0.1:${member.restPort}/cluster`, { signal: AbortSignal.timeout(1500) });
      if (response.ok) return await response.json();
    } catch {
      // the next member
    }
  }
  return { members: [] };
}

/** One running leader, the others streaming, one of them the synchronous standby. */
export function isHealthy(cluster, expected = MEMBERS.length) {
  const members = cluster.members ?? [];
  const leaders = members.filter((m) => m.role === 'leader' && m.state === 'running');
  const replicas = members.filter((m) => m.role !== 'leader' && ['streaming', 'running'].includes(m.state));
  const sync = members.filter((m) => m.role === 'sync_standby');
  return leaders.length === 1 && replicas.length === expected - 1 && sync.length >= 1;
}

export async function waitHealthy(state, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await clusterStatus(state);
    if (isHealthy(last, state.members.length)) return last;
    await sleep(250);
  }
  throw new Error(`the cluster is not healthy after ${timeoutMs} ms: ${JSON.stringify(last)}`);
}

function etcdArgs(state, i) {
  const e = state.etcd[i];
  return [
    '--name',
    e.name,
    '--data-dir',
    path.join(state.dir, e.name),
    '--listen-client-urls',
    `http://127.0.0.1:${e.clientPort}`,
    '--advertise-client-urls',
    `http://127.0.0.1:${e.clientPort}`,
    '--listen-peer-urls',
    `http://127.0.0.1:${e.peerPort}`,
    '--initial-advertise-peer-urls',
    `http://127.0.0.1:${e.peerPort}`,
    '--initial-cluster',
    state.etcd.map((m) => `${m.name}=http://127.0.0.1:${m.peerPort}`).join(','),
    '--initial-cluster-token',
    state.token,
    '--initial-cluster-state',
    'new',
    '--heartbeat-interval',
    '100',
    '--election-timeout',
    '1000',
    '--quota-backend-bytes',
    String(64 * 1024 * 1024),
    '--log-level',
    'warn',
  ];
}

function patroniConfig(state, member) {
  const hosts = state.etcd.map((e) => `127.0.0.1:${e.clientPort}`).join(',');
  const dir = path.join(state.dir, member.name);
  // JSON is YAML: no YAML writer needed.
  return JSON.stringify(
    {
      scope: 'spaces-ha',
      namespace: '/service/',
      name: member.name,
      log: { level: 'WARNING' },
      restapi: { listen: `127.0.0.1:${member.restPort}`, connect_address: `127.0.0.1:${member.restPort}` },
      etcd3: { hosts },
      bootstrap: {
        dcs: {
          // Failover in about 5 s on a killed leader (see the README's scaling section).
          ttl: 10,
          loop_wait: 2,
          retry_timeout: 4,
          primary_start_timeout: 0,
          maximum_lag_on_failover: 1048576,
          synchronous_mode: true,
          postgresql: {
            use_pg_rewind: true,
            use_slots: true,
            parameters: {
              max_connections: 50,
              shared_buffers: '16MB',
              max_wal_senders: 8,
              max_replication_slots: 8,
              wal_level: 'replica',
              hot_standby: 'on',
              wal_log_hints: 'on',
              wal_keep_size: '64MB',
              // A replica's queries are not cancelled by the leader's vacuum for up to 30 s.
              max_standby_streaming_delay: '30s',
              hot_standby_feedback: 'on',
            },
          },
        },
        initdb: [{ encoding: 'UTF8' }, { locale: 'C' }, 'data-checksums'],
        pg_hba: [
          'local all all trust',
          'host replication replicator 127.0.0.1/32 scram-sha-256',
          'host all all 127.0.0.1/32 scram-sha-256',
        ],
      },
      postgresql: {
        listen: `127.0.0.1:${member.pgPort}`,
        connect_address: `127.0.0.1:${member.pgPort}`,
        data_dir: path.join(dir, 'data'),
        bin_dir: BIN_DIR,
        pgpass: path.join(dir, 'pgpass'),
        authentication: {
          superuser: { username: 'postgres', password: SUPERUSER_PASSWORD },
          replication: { username: 'replicator', password: 'ha-replicator' },
          rewind: { username: 'postgres', password: SUPERUSER_PASSWORD },
        },
        parameters: { unix_socket_directories: path.join(dir, 'run'), max_connections: 50 },
      },
      tags: { nofailover: false, noloadbalance: false, clonefrom: false, nosync: false },
    },
    null,
    2,
  );
}

function haproxyConfig(state) {
  const servers = () => state.members.map((m) => `  server ${m.name} 127.0.0.1:${m.pgPort} maxconn 45 check port ${m.restPort}`).join('\n');
  const defaults = '  default-server inter 1s fastinter 500ms downinter 500ms fall 2 rise 1 on-marked-down shutdown-sessions';
  return `global
  maxconn 400
  log stderr format raw local0 warning

defaults
  mode tcp
  log global
  timeout connect 3s
  timeout client 30m
  timeout server 30m
  timeout check 1s

listen leader
  bind 127.0.0.1:${state.leaderPort}
  option httpchk GET /primary
  http-check expect status 200
${defaults}
${servers()}

listen replicas
  bind 127.0.0.1:${state.replicaPort}
  balance leastconn
  option httpchk GET /replica
  http-check expect status 200
${defaults}
${servers()}
`;
}

export function databaseUrl(state, port = state.leaderPort) {
  return `postgresql://${APP.user}:${APP.password}@127.0.0.1:${port}/${APP.database}`;
}

/** The superuser, for checks from outside the service. */
export function superuserUrl(state, port = state.leaderPort) {
  return `postgresql://postgres:${SUPERUSER_PASSWORD}@127.0.0.1:${port}/${APP.database}`;
}

function record(state) {
  fs.writeFileSync(path.join(state.dir, 'state.json'), JSON.stringify(state, null, 2));
}

export async function up({ dir: given = process.env.HA_DIR } = {}) {
  const started = Date.now();
  const ids = postgresIds();
  const dir = given ? path.resolve(given) : fs.mkdtempSync(path.join(os.tmpdir(), 'spaces-ha-'));
  fs.mkdirSync(dir, { recursive: true });
  fs.chmodSync(dir, 0o755);
  const ports = [];
  for (let i = 0; i < 14; i++) {
    let port;
    do port = await freePort();
    while (ports.includes(port));
    ports.push(port);
  }
  const state = {
    dir,
    token: `spaces-ha-${process.pid}-${Date.now()}`,
    etcd: [0, 1, 2].map((i) => ({ name: `etcd${i + 1}`, clientPort: ports[i * 2], peerPort: ports[i * 2 + 1] })),
    members: MEMBERS.map((name, i) => ({ name, pgPort: ports[6 + i * 2], restPort: ports[7 + i * 2] })),
    leaderPort: ports[12],
    replicaPort: ports[13],
    pids: { etcd: [], patroni: {}, haproxy: null },
  };
  if (!given) fs.writeFileSync(POINTER, `${dir}\n`);
  for (const m of state.members) {
    fs.mkdirSync(path.join(dir, m.name, 'run'), { recursive: true });
    fs.writeFileSync(path.join(dir, `${m.name}.yml`), patroniConfig(state, m));
  }
  fs.writeFileSync(path.join(dir, 'haproxy.cfg'), haproxyConfig(state));
  chownTree(dir, ids);

  for (let i = 0; i < 3; i++) {
    state.pids.etcd.push(launch('etcd', etcdArgs(state, i), path.join(dir, `etcd${i + 1}.log`), { asPostgres: true }));
  }
  record(state);
  await waitFor(
    async () => {
      const response = await fetch(`http://127.0.0.1:${state.etcd[0].clientPort}/health`, { signal: AbortSignal.timeout(1000) });
      return response.ok && (await response.json()).health === 'true';
    },
    30_000,
    'etcd quorum',
  );

  for (const m of state.members) {
    state.pids.patroni[m.name] = launch('patroni', [path.join(dir, `${m.name}.yml`)], path.join(dir, `${m.name}.log`), {
      asPostgres: true,
    });
    record(state);
    if (m === state.members[0]) {
      // The first member bootstraps alone; the others then clone from it.
      await waitFor(
        async () => (await clusterStatus(state)).members?.some((x) => x.role === 'leader' && x.state === 'running'),
        60_000,
        'a leader',
      );
    }
  }
  state.pids.haproxy = launch('haproxy', ['-db', '-f', path.join(dir, 'haproxy.cfg')], path.join(dir, 'haproxy.log'));
  record(state);
  await waitHealthy(state);

  // The application's role and database (Patroni 3.0 has no bootstrap users).
  await waitFor(
    async () => {
      const admin = new pg.Client({
        connectionString: `postgresql://postgres:${SUPERUSER_PASSWORD}@127.0.0.1:${state.leaderPort}/postgres`,
        connectionTimeoutMillis: 2000,
      });
      try {
        await admin.connect();
        const exists = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [APP.user]);
        // CREATEDB: the bench makes a database of its own (BENCH_DATABASE_URL=the printed DATABASE_URL).
        if (exists.rowCount === 0) await admin.query(`CREATE ROLE ${APP.user} LOGIN CREATEDB PASSWORD '${APP.password}'`);
        const db = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [APP.database]);
        if (db.rowCount === 0) await admin.query(`CREATE DATABASE ${APP.database} OWNER ${APP.user}`);
        return true;
      } finally {
        await admin.end().catch(() => undefined);
      }
    },
    30_000,
    'the application database',
  );
  log(`up in ${((Date.now() - started) / 1000).toFixed(1)} s under ${dir}`);
  log(`replicas: ${databaseUrl(state, state.replicaPort)}`);
  return state;
}

async function waitFor(check, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (error) {
      lastError = error;
    }
    await sleep(250);
  }
  throw new Error(`timed out waiting for ${what}${lastError ? `: ${lastError.message}` : ''}`);
}

async function stop(pids, timeoutMs = 20_000) {
  const live = pids.filter((pid) => pid && alive(pid));
  for (const pid of live) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // gone
    }
  }
  const deadline = Date.now() + timeoutMs;
  while (live.some(alive) && Date.now() < deadline) await sleep(100);
  for (const pid of live.filter(alive)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
}

/** The postmasters still running from this cluster's data directories. */
function postmasters(state) {
  return state.members
    .map((m) => {
      try {
        return Number(fs.readFileSync(path.join(state.dir, m.name, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
      } catch {
        return 0;
      }
    })
    .filter((pid) => pid && alive(pid));
}

export async function down({ dir = haDir() } = {}) {
  const started = Date.now();
  let state;
  try {
    state = readState(dir);
  } catch {
    state = undefined;
  }
  if (state) {
    await stop([state.pids.haproxy]);
    const cluster = await clusterStatus(state);
    const leader = cluster.members?.find((m) => m.role === 'leader')?.name;
    const patroni = state.pids.patroni;
    await stop(
      Object.entries(patroni)
        .filter(([name]) => name !== leader)
        .map(([, pid]) => pid),
    );
    await stop(Object.values(patroni));
    await stop(postmasters(state), 10_000);
    await stop(state.pids.etcd);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  if (fs.existsSync(POINTER) && fs.readFileSync(POINTER, 'utf8').trim() === dir) fs.rmSync(POINTER);
  log(`down in ${((Date.now() - started) / 1000).toFixed(1)} s (${dir} removed)`);
}

/** The current leader's name and its postmaster's pid. */
export async function leader(state) {
  const cluster = await clusterStatus(state);
  const member = cluster.members?.find((m) => m.role === 'leader');
  if (!member) return undefined;
  const pid = Number(fs.readFileSync(path.join(state.dir, member.name, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
  return { name: member.name, pid, cluster };
}

/** A planned switchover to another member (patronictl), returned when it was asked. */
export function switchover(state, from, to) {
  execFileSync(
    'setpriv',
    [
      '--reuid=postgres',
      '--regid=postgres',
      '--init-groups',
      'patronictl',
      '-c',
      path.join(state.dir, `${from}.yml`),
      'switchover',
      '--leader',
      from,
      '--candidate',
      to,
      '--force',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HOME: os.tmpdir() } },
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const command = process.argv[2];
  try {
    if (command === 'up') {
      let state;
      try {
        state = await up();
      } catch (error) {
        log(`start failed: ${error.message}; stopping what started`);
        await down().catch(() => undefined);
        throw error;
      }
      process.stdout.write(`DATABASE_REPLICA_URL=${databaseUrl(state, state.replicaPort)}\n`);
      process.stdout.write(`DATABASE_URL=${databaseUrl(state)}\n`);
    } else if (command === 'down') {
      await down();
    } else if (command === 'status') {
      process.stdout.write(`${JSON.stringify(await clusterStatus(readState()), null, 2)}\n`);
    } else {
      throw new Error('usage: ha.mjs up | down | status');
    }
    process.exit(0);
  } catch (error) {
    log(error.stack ?? String(error));
    process.exit(1);
  }
}
