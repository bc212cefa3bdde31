#!/usr/bin/env node
/**
 * Where a request's CPU goes (npm run bench:profile): the service as `npm start`
 * runs it, with V8's sampling profiler on, under one measure's load; then the
 * profile's self time is attributed to the layer each function belongs to
 * (by the file it is defined in) and divided by the requests answered.
 *
 *   npm run bench:profile                        creation and reads, PostgreSQL
 *   npm run bench:profile -- --measure reads     one measure
 *   npm run bench:profile -- --embedded          the embedded database (PGlite's work is then in the process)
 *
 * Options: --duration <s> (10), --connections <n> (32), --top <n> (0: the
 * heaviest functions as well), --keep (leave the .cpuprofile files in
 * bench/results/profiles/ to open in a profiler's viewer), --raw (the raw
 * stack's CPU per request under the same load), --profile-raw (with --raw:
 * the raw stack profiled as well, its layers and functions printed beside).
 * The figures are µs of the service process's CPU per request (its CPU time
 * over the requests answered, divided among layers by the profile's samples); PostgreSQL's own work is in its processes and not counted here.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { creationRequest, measureHttp, measureTarget } from './lib/http.mjs';
import { createDatabase, dropDatabase } from './lib/postgres.mjs';
import { cpuMicros, ServiceUnderTest } from './lib/service.mjs';
import { ReferenceServer } from './lib/reference.mjs';
import { LAYERS, attribute } from './lib/layers.mjs';

const { values: opts } = parseArgs({
  options: {
    embedded: { type: 'boolean', default: false },
    measure: { type: 'string' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '32' },
    top: { type: 'string', default: '0' },
    keep: { type: 'boolean', default: false },
    // CPU time and req/s only, no profiler: comparing builds (--main <path to a built main.js>).
    'no-profile': { type: 'boolean', default: false },
    // The raw stack's CPU time per request for the same measure, beside the service's.
    raw: { type: 'boolean', default: false },
    // With --raw: profile the raw stack too, and print its layers and heaviest functions beside the service's.
    'profile-raw': { type: 'boolean', default: false },
    // Two saved runs (bench/results/profile-*.json, copied aside) side by side: --compare before.json,after.json
    compare: { type: 'string' },
    main: { type: 'string' },
    // More of the service's environment, NAME=value[,NAME=value…] (METRICS_ENABLED=false, say).
    env: { type: 'string' },
    // One creation with an Idempotency-Key before the load: what the process does once a client has sent one.
    'after-idempotent': { type: 'boolean', default: false },
  },
});
const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const measures = opts.measure ? opts.measure.split(',') : ['creation', 'reads'];
const duration = Number(opts.duration);
const connections = Number(opts.connections);

async function profileOne(measure) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'spaces-profile-'));
  const profileDir = path.join(dataDir, 'profile');
  const databaseUrl = opts.embedded ? undefined : await createDatabase();
  const service = new ServiceUnderTest(
    root,
    {
      DATA_DIR: path.join(dataDir, 'data'),
      ...(databaseUrl && { DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: '10' }),
      ADMIN_TOKEN: `bench-admin-${randomBytes(12).toString('hex')}`,
      TOKEN_SECRET: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'info',
      RATE_LIMIT: '1000000000',
      ...Object.fromEntries(
        (opts.env ?? '')
          .split(',')
          .filter(Boolean)
          .map((pair) => pair.split(/=(.*)/s).slice(0, 2)),
      ),
    },
    {
      extraFlags: opts['no-profile'] ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--cpu-prof-interval=200'],
      ...(opts.main && { main: opts.main }),
    },
  );
  try {
    await service.start();
    const user = await service.createUser('Profile user');
    const auth = { authorization: `Bearer ${user.token}` };
    const load = { connections, duration, warmup: 0, rssOf: () => service.rss() };
    const { url, ...rest } = await measureTarget(service, user.token, measure);
    if (opts['after-idempotent']) {
      const { expect: _, ...keyed } = creationRequest({ ...auth, 'idempotency-key': `profile-${randomBytes(8).toString('hex')}` });
      const response = await fetch(service.url('/api/v3/onezone/user/spaces'), keyed);
      if (response.status !== 201) throw new Error(`the idempotent creation answered ${response.status}`);
    }
    await measureHttp(url, { ...load, ...rest, duration: 3 }); // warm-up, outside the window
    // The profile's clock is the system's monotonic clock, in µs: the same as hrtime's.
    const from = Number(process.hrtime.bigint() / 1000n);
    const cpuFrom = service.cpuMicros();
    const figures = await measureHttp(url, { ...load, ...rest });
    const cpu = service.cpuMicros() - cpuFrom;
    const to = Number(process.hrtime.bigint() / 1000n);
    const raw =
      opts.raw && measure !== 'floor' ? await rawCpu(measure, databaseUrl, path.join(dataDir, 'reference'), user.userId) : undefined;
    await service.stop();
    if (opts['no-profile'])
      return {
        measure,
        figures,
        raw,
        loadRequests: figures.requests,
        cpuPerRequest: cpu / figures.requests,
        busy: 0,
        layers: {},
        functions: [],
      };
    const [file] = (await readdir(profileDir)).filter((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error('the service wrote no profile');
    const profile = JSON.parse(await readFile(path.join(profileDir, file), 'utf8'));
    const result = {
      measure,
      figures,
      raw,
      loadRequests: figures.requests,
      cpuPerRequest: cpu / figures.requests,
      ...attribute(profile, opts.main ? path.dirname(path.dirname(path.resolve(opts.main))) : root, { from, to }),
    };
    if (opts.keep) {
      const keepDir = path.join(root, 'bench', 'results', 'profiles');
      await mkdir(keepDir, { recursive: true });
      await rename(path.join(profileDir, file), path.join(keepDir, `${opts.embedded ? 'embedded' : 'postgresql'}-${measure}.cpuprofile`));
    }
    return result;
  } finally {
    await service.stop();
    if (databaseUrl) await dropDatabase(databaseUrl);
    await rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * The reference server's CPU time per request (bench/reference/server.mjs)
 * under the same load; with --profile-raw, its profile's layers as well.
 */
async function rawCpu(measure, databaseUrl, dataDir, userId) {
  const profileDir = path.join(dataDir, 'profile');
  const profiled = opts['profile-raw'];
  const raw = new ReferenceServer({
    databaseUrl,
    dataDir,
    poolSize: 10,
    userId,
    execArgv: profiled ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--cpu-prof-interval=200'] : [],
  });
  await raw.start();
  let result;
  const window = {};
  try {
    const load = { connections, duration, warmup: 0, rssOf: () => raw.rss() };
    const request =
      measure === 'creation'
        ? { url: raw.url('/user/spaces'), ...creationRequest(raw.headers) }
        : { url: raw.url(`/spaces/${await raw.createSpace('Read me')}`), headers: raw.headers, expect: 200 };
    const { url, ...rest } = request;
    await measureHttp(url, { ...load, ...rest, duration: 3 });
    const from = cpuMicros(raw.child.pid);
    window.from = Number(process.hrtime.bigint() / 1000n);
    const figures = await measureHttp(url, { ...load, ...rest });
    window.to = Number(process.hrtime.bigint() / 1000n);
    result = { rps: figures.rps, cpuPerRequest: (cpuMicros(raw.child.pid) - from) / figures.requests };
  } finally {
    await raw.stop(); // the profile is written as it exits
  }
  if (!profiled) return result;
  const [file] = (await readdir(profileDir)).filter((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error('the reference server wrote no profile');
  const profile = JSON.parse(await readFile(path.join(profileDir, file), 'utf8'));
  return { ...result, ...attribute(profile, root, window) };
}

function print(results) {
  const us = (r, layer) => ((r.layers[layer] ?? 0) / r.busy) * r.cpuPerRequest;
  const cell = (r, layer) => (r.busy ? `${us(r, layer).toFixed(0)} (${((100 * (r.layers[layer] ?? 0)) / r.busy).toFixed(1)}%)` : '–');
  // Each measure's column, then its raw stack's where that was profiled (--profile-raw).
  const columns = results.flatMap((r) => [
    { title: `${r.measure} µs/request (share)`, r },
    ...(r.raw?.busy ? [{ title: `raw ${r.measure}`, r: r.raw }] : []),
  ]);
  const lines = [`| layer | ${columns.map((c) => c.title).join(' | ')} |`, `|---|${columns.map(() => '---').join('|')}|`];
  for (const layer of LAYERS) {
    if (columns.every((c) => !c.r.layers[layer])) continue;
    lines.push(`| ${layer} | ${columns.map((c) => cell(c.r, layer)).join(' | ')} |`);
  }
  lines.push(`| **all** (the process's CPU time per request) | ${columns.map((c) => `**${c.r.cpuPerRequest.toFixed(0)}**`).join(' | ')} |`);
  lines.push(`| req/s under the profiler | ${columns.map((c) => (c.r.figures ?? c.r).rps.toFixed(0)).join(' | ')} |`);
  if (results.some((r) => r.raw && !r.raw.busy)) {
    lines.push(
      `| the raw stack: CPU µs/request (req/s) | ${results.map((r) => (r.raw ? `${r.raw.cpuPerRequest.toFixed(0)} (${r.raw.rps.toFixed(0)})` : '–')).join(' | ')} |`,
    );
  }
  console.log(lines.join('\n'));
  const top = Number(opts.top);
  if (top > 0) {
    for (const { title, r } of columns) {
      console.log(`\n${title.replace(' µs/request (share)', '')}: the heaviest functions (self µs/request)`);
      for (const f of r.functions.slice(0, top))
        console.log(`  ${((f.self / r.busy) * r.cpuPerRequest).toFixed(1).padStart(6)}  ${f.layer} · ${f.name}`);
    }
  }
}

/** Two saved runs of the same measures as one table: each layer before and after. */
function compare([before, after]) {
  const us = (r, layer) => (r.busy ? ((r.layers[layer] ?? 0) / r.busy) * r.cpuPerRequest : 0);
  const lines = [
    `| layer | ${before.map((r) => `${r.measure} before | after`).join(' | ')} |`,
    `|---|${before.map(() => '---|---').join('|')}|`,
  ];
  for (const layer of LAYERS) {
    if ([...before, ...after].every((r) => !r.layers[layer])) continue;
    lines.push(`| ${layer} | ${before.map((r, i) => `${us(r, layer).toFixed(0)} | ${us(after[i], layer).toFixed(0)}`).join(' | ')} |`);
  }
  const total = (r) => `**${r.cpuPerRequest.toFixed(0)}**`;
  lines.push(`| **all** | ${before.map((r, i) => `${total(r)} | ${total(after[i])}`).join(' | ')} |`);
  const raw = (r) => (r.raw ? r.raw.cpuPerRequest.toFixed(0) : '–');
  lines.push(`| the raw stack, all | ${before.map((r, i) => `${raw(r)} | ${raw(after[i])}`).join(' | ')} |`);
  console.log(lines.join('\n'));
}

if (opts.compare) {
  compare(await Promise.all(opts.compare.split(',').map(async (file) => JSON.parse(await readFile(file, 'utf8')))));
  process.exit(0);
}

const results = [];
for (const measure of measures) {
  results.push(await profileOne(measure));
}
print(results);
await mkdir(path.join(root, 'bench', 'results'), { recursive: true });
await writeFile(
  path.join(root, 'bench', 'results', `profile-${opts.embedded ? 'embedded' : 'postgresql'}.json`),
  `${JSON.stringify(
    results.map(({ functions, ...r }) => ({ ...r, functions: functions.slice(0, 40) })),
    null,
    2,
  )}\n`,
);
