#!/usr/bin/env node
/**
 * Two builds side by side, at the same moment (npm run bench:pair -- <dist A> <dist B>):
 * each build runs as `npm start` runs it, on a PostgreSQL database of its own,
 * and both are loaded at once with the same measure (16 connections each), so
 * that whatever else the shared machine does at that moment weighs on both.
 * Prints each build's CPU time per request (user and system, from /proc),
 * its req/s and p99, and B/A of the CPU, for `--pairs` runs of `--duration` seconds, then the median of B/A.
 * Alternating runs (bench/ab.sh) compare builds measured at different moments,
 * whose figures on this machine differ by up to ±25% from one to the next.
 *
 *   node bench/pair.mjs /path/to/A /path/to/B [--measure reads|creation|floor] [--pairs 5] [--duration 5]
 *   node bench/pair.mjs . . --b-flags="--max-semi-space-size=16"   one build, B with Node flags after npm start's
 *   node bench/pair.mjs . . --b-env=RATE_LIMIT=0                    one build, B with more settings
 *
 * Each path is a directory holding a built dist/ (with the node_modules and prisma it runs with).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { measureHttp, measureTarget } from './lib/http.mjs';
import { createDatabase, dropDatabase } from './lib/postgres.mjs';
import { ServiceUnderTest } from './lib/service.mjs';

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    measure: { type: 'string', default: 'reads' },
    pairs: { type: 'string', default: '5' },
    duration: { type: 'string', default: '5' },
    connections: { type: 'string', default: '16' },
    'b-flags': { type: 'string', default: '' },
    // More of B's environment, NAME=value[,NAME=value…] (RATE_LIMIT=0, say).
    'b-env': { type: 'string', default: '' },
  },
});
if (positionals.length !== 2) throw new Error('usage: node bench/pair.mjs <dist A> <dist B> [--measure reads|creation|floor]');
const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const connections = Number(opts.connections);
const duration = Number(opts.duration);

/** One build, started and given a user and a space; `load(seconds)` runs the measure and returns its CPU µs a request. */
async function start(dir, extraFlags = [], env = {}) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'spaces-pair-'));
  const databaseUrl = await createDatabase();
  const service = new ServiceUnderTest(
    root,
    {
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_SIZE: '10',
      ADMIN_TOKEN: `bench-admin-${randomBytes(12).toString('hex')}`,
      TOKEN_SECRET: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'info',
      RATE_LIMIT: '1000000000',
      ...env,
    },
    { main: path.resolve(dir, 'dist/main.js'), extraFlags },
  );
  await service.start();
  const user = await service.createUser('Pair user');
  const { url, ...rest } = await measureTarget(service, user.token, opts.measure);
  return {
    async load(seconds) {
      const from = service.cpuMicros();
      const figures = await measureHttp(url, { connections, duration: seconds, warmup: 0, rssOf: () => service.rss(), ...rest });
      if (figures.errors > 0) throw new Error(`${dir}: ${figures.errors} unexpected answers`);
      return { cpu: (service.cpuMicros() - from) / figures.requests, rps: figures.rps, p99: figures.p99 };
    },
    async stop() {
      await service.stop();
      await dropDatabase(databaseUrl);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

const bEnv = Object.fromEntries(
  opts['b-env']
    .split(',')
    .filter(Boolean)
    .map((pair) => pair.split(/=(.*)/s).slice(0, 2)),
);
const [a, b] = [await start(positionals[0]), await start(positionals[1], opts['b-flags'].split(' ').filter(Boolean), bEnv)];
try {
  await Promise.all([a.load(3), b.load(3)]); // warm-up
  const ratios = [];
  console.log(`${opts.measure}: CPU µs a request (req/s, p99), A = ${positionals[0]}, B = ${positionals[1]}`);
  for (let i = 0; i < Number(opts.pairs); i += 1) {
    const [x, y] = await Promise.all([a.load(duration), b.load(duration)]);
    ratios.push(y.cpu / x.cpu);
    console.log(
      `A ${x.cpu.toFixed(0)} (${x.rps.toFixed(0)}, p99 ${x.p99} ms)  B ${y.cpu.toFixed(0)} (${y.rps.toFixed(0)}, p99 ${y.p99} ms)  B/A ${(y.cpu / x.cpu).toFixed(3)}`,
    );
  }
  const sorted = [...ratios].sort((p, q) => p - q);
  console.log(
    `median B/A ${sorted[Math.floor(sorted.length / 2)].toFixed(3)} (from ${sorted[0].toFixed(3)} to ${sorted.at(-1).toFixed(3)})`,
  );
} finally {
  await Promise.all([a.stop(), b.stop()]);
}
