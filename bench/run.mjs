#!/usr/bin/env node
/**
 * The benchmark (npm run bench): how close creating and reading spaces come
 * to the physical limit of the database work they need, and to the HTTP
 * stack's own floor. One run, one machine, figures printed and written to
 * bench/results/latest.json. Beside the service, the raw stack
 * (bench/reference/server.mjs: Node's http and the same SQL, nothing else)
 * answers the same creation and read.
 *
 *   npm run bench                     PostgreSQL (a database of its own, dropped after)
 *   npm run bench -- --embedded       the embedded PGlite database
 *   npm run bench -- --scale 1000000  GET latencies at 10,000 spaces and at 1,000,000
 *
 * Options: --duration <s> (10) a measure a round, --rounds <n> (3), --warmup <s> (3),
 * --connections <n> (32), --rate-limit <n> (0: the rate limit off, as the
 * targets are set; 1000000000, say, counts each request against a limit never
 * reached, to see what counting costs), --raw-driver pg|prepared (pg: the raw
 * stack sends its statements through pg's own prepared-statement query;
 * prepared: through the service's PreparedQuery, PostgreSQL only).
 * BENCH_DATABASE_URL names the PostgreSQL server (default postgresql://postgres@127.0.0.1:5432/postgres).
 * BENCH_DATABASE_REPLICA_URL names its replicas (e.g. the HA cluster's replica port, npm run ha:up):
 * the service then runs with DATABASE_REPLICA_URL on the run's database there, and
 * `--only lists` measures a user's spaces list (GET /user/spaces) read from them.
 * METRICS_ENABLED and the OTEL_* variables reach the service as they are set
 * here, to measure what metrics and tracing cost:
 *   METRICS_ENABLED=false npm run bench                   without /metrics
 *   OTEL_EXPORTER_OTLP_ENDPOINT=http://… npm run bench    every request traced
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { creationRequest, measureHttp } from './lib/http.mjs';
import { openLimit } from './lib/limit.mjs';
import { ReferenceServer } from './lib/reference.mjs';
import { chainReader, explainCheck, groupAdd } from './lib/groups.mjs';
import { loadGroups, loadScale } from './lib/scale.mjs';
import { ServiceUnderTest } from './lib/service.mjs';
import { report, TARGETS } from './lib/report.mjs';
import { createDatabase, dropDatabase, replicaOf } from './lib/postgres.mjs';

const { values: opts } = parseArgs({
  options: {
    embedded: { type: 'boolean', default: false },
    scale: { type: 'string' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '32' },
    rounds: { type: 'string', default: '3' },
    only: { type: 'string' },
    // RATE_LIMIT for the service: 0 (off, as the targets are set), or a limit checked on every request.
    'rate-limit': { type: 'string', default: '0' },
    // How the raw stack sends its statements on PostgreSQL (bench/reference/server.mjs).
    'raw-driver': { type: 'string', default: 'pg' },
  },
});
// --only creation|reads|lists|floor: one measure alone, while working on it (no ratios, nothing written).
const only = opts.only;
const duration = Number(opts.duration);
const warmup = Number(opts.warmup);
const connections = Number(opts.connections);
const rounds = Number(opts.rounds);
const rateLimit = opts['rate-limit'];
if (!/^\d+$/.test(rateLimit)) throw new Error('--rate-limit takes a whole number of requests (0: off)');
const rawDriver = opts['raw-driver'];
if (rawDriver !== 'pg' && rawDriver !== 'prepared') throw new Error('--raw-driver takes pg or prepared');
if (rawDriver !== 'pg' && opts.embedded) throw new Error('--raw-driver prepared runs on PostgreSQL only');
const scale = opts.scale === undefined ? undefined : Number(opts.scale);
if (scale !== undefined && (!Number.isInteger(scale) || scale < 20_000)) {
  throw new Error('--scale takes a whole number of spaces, at least 20000');
}
if (scale !== undefined && opts.embedded) throw new Error('--scale runs on PostgreSQL only');

const POOL_SIZE = 10; // the service's default DATABASE_POOL_SIZE
const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const mode = scale !== undefined ? 'scale' : opts.embedded ? 'embedded' : 'postgresql';

async function main() {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'spaces-bench-'));
  const databaseUrl = opts.embedded ? undefined : await createDatabase();
  const service = new ServiceUnderTest(root, {
    DATA_DIR: dataDir,
    ...(databaseUrl && { DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: String(POOL_SIZE) }),
    // Every list from the replicas once measured (the bench user's own writes come before the measure).
    ...(databaseUrl && replicaOf(databaseUrl) && { DATABASE_REPLICA_URL: replicaOf(databaseUrl), DATABASE_REPLICA_FRESH_SECONDS: '0' }),
    ADMIN_TOKEN: `bench-admin-${randomBytes(12).toString('hex')}`,
    TOKEN_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    // Off by default, as the targets are set (the raw stack counts nothing); --rate-limit to count.
    RATE_LIMIT: rateLimit,
    ...Object.fromEntries(Object.entries(process.env).filter(([name]) => name === 'METRICS_ENABLED' || name.startsWith('OTEL_'))),
  });
  try {
    await service.start();
    const user = await service.createUser('Bench user');
    const http = { connections, duration, warmup, rssOf: () => service.rss() };
    const results = {
      mode,
      date: new Date().toISOString(),
      machine: machine(),
      connections,
      duration,
      warmup,
      rateLimit: Number(rateLimit),
      rawDriver,
    };

    if (only) {
      const measure =
        only === 'creation'
          ? measureHttp(service.url('/api/v3/onezone/user/spaces'), {
              ...http,
              ...creationRequest({ authorization: `Bearer ${user.token}` }),
            })
          : only === 'floor'
            ? measureHttp(service.url('/health/live'), { ...http, expect: 200 })
            : only === 'lists'
              ? (await service.createSpace(user.token, 'Listed'),
                measureHttp(service.url('/api/v3/onezone/user/spaces'), {
                  ...http,
                  headers: { authorization: `Bearer ${user.token}` },
                  expect: 200,
                }))
              : measureHttp(service.url(`/api/v3/onezone/spaces/${await service.createSpace(user.token, 'Read me')}`), {
                  ...http,
                  headers: { authorization: `Bearer ${user.token}` },
                  expect: 200,
                });
      console.log(only, await measure);
      return;
    }
    if (scale !== undefined) {
      results.scale = await runScale(service, databaseUrl, user, http);
    } else {
      Object.assign(results, await runRounds(service, dataDir, databaseUrl, user, http));
    }
    results.targets = TARGETS.check(results);
    await mkdir(path.join(root, 'bench', 'results'), { recursive: true });
    const json = `${JSON.stringify(results, null, 2)}\n`;
    await writeFile(path.join(root, 'bench', 'results', 'latest.json'), json);
    await writeFile(path.join(root, 'bench', 'results', `latest-${mode}.json`), json);
    report(results);
  } finally {
    await service.stop();
    if (databaseUrl) await dropDatabase(databaseUrl);
    await rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * The measures in turn (the limit, the service's creations and reads each
 * beside the raw stack's, the floor), `rounds` times (warm-up in the first round
 * only). Each figure is the median over the rounds, and each ratio the median
 * of the rounds' ratios, so that one slow moment of a shared machine does not
 * decide the result.
 */
async function runRounds(service, dataDir, databaseUrl, user, http) {
  // The raw stack, started once: the same statements on the same database (embedded: its own PGlite).
  const raw = new ReferenceServer({
    databaseUrl,
    dataDir: path.join(dataDir, 'reference'),
    poolSize: POOL_SIZE,
    userId: user.userId,
    driver: rawDriver,
  });
  try {
    await raw.start();
    return await measureRounds(service, raw, dataDir, databaseUrl, user, http);
  } finally {
    await raw.stop();
  }
}

async function measureRounds(service, raw, dataDir, databaseUrl, user, http) {
  const rawHttp = { ...http, rssOf: () => raw.rss() };
  const rawSpaceId = await raw.createSpace('Read me');
  const limit = await openLimit({
    databaseUrl,
    dataDir: path.join(dataDir, 'limit'),
    poolSize: POOL_SIZE,
    connections,
    duration,
    userId: user.userId,
  });
  const auth = { authorization: `Bearer ${user.token}` };
  // A named token with two caveats, one of which depends on the request: judged on every request.
  const confined = await service.namedToken(user.token, 'bench confined', [
    { type: 'time', validUntil: Math.floor(Date.now() / 1000) + 86_400 },
    { type: 'ip', whitelist: ['127.0.0.0/8'] },
  ]);
  const spaceId = await service.createSpace(user.token, 'Read me');
  const chain = await chainReader(service, user, 5);
  const measures = {
    limit: (w) => limit.measure(w),
    creation: (w) =>
      measureHttp(service.url('/api/v3/onezone/user/spaces'), {
        ...http,
        warmup: w,
        ...creationRequest(auth),
      }),
    confinedCreation: (w) =>
      measureHttp(service.url('/api/v3/onezone/user/spaces'), {
        ...http,
        warmup: w,
        ...creationRequest({ authorization: `Bearer ${confined}` }),
      }),
    rawCreation: (w) =>
      measureHttp(raw.url('/user/spaces'), {
        ...rawHttp,
        warmup: w,
        ...creationRequest(raw.headers),
      }),
    reads: (w) => measureHttp(service.url(`/api/v3/onezone/spaces/${spaceId}`), { ...http, warmup: w, headers: auth, expect: 200 }),
    rawReads: (w) => measureHttp(raw.url(`/spaces/${rawSpaceId}`), { ...rawHttp, warmup: w, headers: raw.headers, expect: 200 }),
    groupReads: (w) =>
      measureHttp(service.url(`/api/v3/onezone/spaces/${chain.spaceId}`), {
        ...http,
        warmup: w,
        headers: { authorization: `Bearer ${chain.reader.token}` },
        expect: 200,
      }),
    floor: (w) => measureHttp(service.url('/health/live'), { ...http, warmup: w, expect: 200 }),
  };
  const done = [];
  try {
    for (let i = 0; i < rounds; i += 1) {
      const round = {};
      for (const [name, measure] of Object.entries(measures)) round[name] = await measure(i === 0 ? warmup : 0);
      done.push(round);
    }
  } finally {
    await limit.close();
  }
  const summary = Object.fromEntries(Object.keys(measures).map((name) => [name, combine(done.map((r) => r[name]))]));
  return {
    rounds: done,
    ...summary,
    ratios: {
      creationToLimit: median(done.map((r) => r.creation.rps / r.limit.rps)),
      creationToRaw: median(done.map((r) => r.creation.rps / r.rawCreation.rps)),
      confinedCreationToCreation: median(done.map((r) => r.confinedCreation.rps / r.creation.rps)),
      readsToFloor: median(done.map((r) => r.reads.rps / r.floor.rps)),
      readsToRaw: median(done.map((r) => r.reads.rps / r.rawReads.rps)),
      groupReadsToReads: median(done.map((r) => r.groupReads.rps / r.reads.rps)),
      groupReadsP99ToReads: median(done.map((r) => r.groupReads.p99 / r.reads.p99)),
    },
    // PostgreSQL only: the plan of the check, and adding a group of 10,000 users to a space.
    ...(databaseUrl && {
      explain: await explainCheck(databaseUrl, chain.spaceId, chain.reader.userId),
      groupAdd: await groupAdd(service, databaseUrl, user, { users: 10_000, times: Math.max(5, Math.min(30, duration * 3)) }),
    }),
    // The service's; the raw measures' rssMaxMB is the reference server's.
    rssMaxMB: Math.max(
      ...done.flatMap((r) => [r.creation.rssMaxMB, r.confinedCreation.rssMaxMB, r.reads.rssMaxMB, r.groupReads.rssMaxMB, r.floor.rssMaxMB]),
    ),
  };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** One measure over the rounds: median figures, all errors, the largest RSS. */
function combine(runs) {
  return {
    rps: median(runs.map((r) => r.rps)),
    requests: runs.reduce((n, r) => n + r.requests, 0),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    errors: runs.reduce((n, r) => n + r.errors, 0),
    ...(runs[0].rssMaxMB !== undefined && { rssMaxMB: Math.max(...runs.map((r) => r.rssMaxMB)) }),
  };
}

/** GET latencies with 10,000 spaces, then with `scale` spaces: 100 spaces a user in both. */
async function runScale(service, databaseUrl, user, http) {
  const reads = async (label) => {
    const { spaceId } = await service.sampleSpace(user.token);
    return {
      label,
      list: await measureHttp(service.url('/api/v3/onezone/user/spaces?limit=100'), {
        ...http,
        headers: { authorization: `Bearer ${user.token}` },
        expect: 200,
      }),
      get: await measureHttp(service.url(`/api/v3/onezone/spaces/${spaceId}`), {
        ...http,
        headers: { authorization: `Bearer ${user.token}` },
        expect: 200,
      }),
      groupGet: await measureHttp(service.url(`/api/v3/onezone/spaces/${chain.spaceId}`), {
        ...http,
        headers: { authorization: `Bearer ${chain.reader.token}` },
        expect: 200,
      }),
    };
  };
  const chain = await chainReader(service, user, 5);
  const load = async (spaces) => {
    const started = Date.now();
    await loadScale(databaseUrl, user.userId, spaces);
    return (Date.now() - started) / 1000;
  };
  const smallLoad = await load(10_000);
  const small = await reads('10k');
  const bigLoad = await load(scale);
  const groupsStarted = Date.now();
  await loadGroups(databaseUrl, 1_000);
  const groupsLoad = (Date.now() - groupsStarted) / 1000;
  const big = await reads(String(scale));
  return {
    spaces: scale,
    loadSeconds: { small: smallLoad, big: bigLoad, groups: groupsLoad },
    groups: 1_000,
    small,
    big,
    p99Ratio: { list: big.list.p99 / small.list.p99, get: big.get.p99 / small.get.p99 },
    groupReadVsDirect: { rps: big.groupGet.rps / big.get.rps, p99: big.groupGet.p99 / big.get.p99 },
  };
}

function machine() {
  return { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version };
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
