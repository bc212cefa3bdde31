#!/usr/bin/env node
/**
 * What metrics and tracing cost, as the service's own CPU time per request
 * (npm run build first): three instances of the service on one PostgreSQL
 * database, with metrics (the default), without (METRICS_ENABLED=false), and
 * traced (every request, exported over OTLP to a sink on loopback that drops
 * the spans). Rounds take turns across the three; each sends a fixed number
 * of requests with autocannon and reads the instance's CPU time from
 * /proc/<pid>/stat. CPU time a request, rather than req/s, because it hardly
 * moves when other work shares the machine: req/s on a busy machine say more
 * about the neighbours than about the service.
 *
 *   node bench/observability-cost.mjs [--rounds 5] [--requests 4000]
 *   node bench/observability-cost.mjs --config off2=METRICS_ENABLED=false --config on=
 *
 * --config NAME=K=V,K=V (repeatable) runs those instances instead, each against
 * the "no metrics" one; two with the same settings show the method's own spread.
 * Each figure is printed as the medians' ratio and as the median of the rounds'
 * ratios (a round's instances run back to back, so slow drifts of the machine
 * cancel out).
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { createDatabase, dropDatabase } from './lib/postgres.mjs';
import { ServiceUnderTest } from './lib/service.mjs';

const { values: opts } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    requests: { type: 'string', default: '4000' },
    // Instead of the three: NAME=K=V,K=V (repeatable); "no metrics" stays the baseline.
    config: { type: 'string', multiple: true },
  },
});
const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const TICK = 1 / 100; // seconds a clock tick (USER_HZ)

/** utime + stime of a process, in seconds. */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK;
}

const sink = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
});
sink.listen(0, '127.0.0.1');
await new Promise((r) => sink.once('listening', r));

const databaseUrl = await createDatabase();
const secrets = { ADMIN_TOKEN: `bench-admin-${randomBytes(12).toString('hex')}`, TOKEN_SECRET: randomBytes(32).toString('hex') };
const configs = opts.config
  ? Object.fromEntries([
      ['no metrics', { METRICS_ENABLED: 'false' }],
      ...opts.config.map((c) => {
        const [name, ...rest] = c.split('=');
        const pairs = rest
          .join('=')
          .split(',')
          .filter(Boolean)
          .map((kv) => kv.split('='));
        return [name, Object.fromEntries(pairs)];
      }),
    ])
  : {
      metrics: {},
      'no metrics': { METRICS_ENABLED: 'false' },
      traced: { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${sink.address().port}` },
    };
const instances = [];
try {
  for (const [name, env] of Object.entries(configs)) {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'spaces-cost-'));
    const service = new ServiceUnderTest(root, {
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      RATE_LIMIT: '1000000000',
      LOG_LEVEL: 'info',
      ...secrets,
      ...env,
    });
    await service.start(300_000);
    const user = await service.createUser('Cost user');
    const spaceId = await service.createSpace(user.token, 'Read me');
    instances.push({ name, service, dataDir, user, spaceId, samples: { reads: [], creation: [] } });
  }
  const requests = Number(opts.requests);
  const load = (instance, kind) =>
    autocannon({
      url: instance.service.url(kind === 'reads' ? `/api/v3/onezone/spaces/${instance.spaceId}` : '/api/v3/onezone/user/spaces'),
      connections: 16,
      amount: requests,
      method: kind === 'reads' ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${instance.user.token}`, ...(kind === 'creation' && { 'content-type': 'application/json' }) },
      ...(kind === 'creation' && { body: JSON.stringify({ name: 'Cost space' }) }),
    });
  for (const instance of instances) await load(instance, 'reads'); // warm-up
  for (let round = 0; round < Number(opts.rounds); round++) {
    for (const kind of ['reads', 'creation']) {
      for (const instance of round % 2 ? [...instances].reverse() : instances) {
        const before = cpuSeconds(instance.service.child.pid);
        const result = await load(instance, kind);
        const spent = cpuSeconds(instance.service.child.pid) - before;
        if (result.non2xx || result.errors) throw new Error(`${instance.name} ${kind}: ${result.non2xx} non-2xx, ${result.errors} errors`);
        instance.samples[kind].push((spent / requests) * 1e6);
      }
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const base = instances.find((i) => i.name === 'no metrics');
  console.log(
    `CPU µs a request (median of ${opts.rounds} rounds of ${requests}; min–max), and against no metrics (the medians, and the median of each round's ratio):`,
  );
  for (const kind of ['reads', 'creation']) {
    for (const instance of instances) {
      const xs = instance.samples[kind];
      const m = median(xs);
      console.log(
        `  ${kind.padEnd(8)} ${instance.name.padEnd(10)} ${m.toFixed(0).padStart(5)} (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})  ${((m / median(base.samples[kind]) - 1) * 100).toFixed(1).padStart(6)} %  round by round ${((median(xs.map((x, i) => x / base.samples[kind][i])) - 1) * 100).toFixed(1).padStart(6)} %`,
      );
    }
  }
} finally {
  for (const instance of instances) {
    await instance.service.stop();
    await rm(instance.dataDir, { recursive: true, force: true });
  }
  await dropDatabase(databaseUrl);
  sink.close();
}
