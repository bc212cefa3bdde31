import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { clusterStatus, databaseUrl, down, type HaState, leader, superuserUrl, switchover, up, waitHealthy } from '../../scripts/ha.mjs';
import { ServiceProcess } from '../support/service-process.js';
import { type Call, call, haEnv, json, query, removeDir, sleep, tally } from './ha-load.js';

/**
 * Failover of the HA cluster (npm run test:ha): Patroni, three PostgreSQL
 * members with synchronous replication, HAProxy to the leader. 16 clients
 * create spaces, each with a provider's support and a single-use token, while
 * the leader's postmaster is killed (`kill -9`), HA_FAILOVER_RUNS times, then
 * under a planned switchover. Every creation answered 201 must be on the new
 * leader with its owner and support; no token serves twice; during the fault
 * the service answers 503 with the error body (never a hang, a 500 or a
 * stack) and recovers by itself.
 */
const CLIENTS = 16;
const RUNS = Number(process.env.HA_FAILOVER_RUNS ?? 5);

interface Intent {
  key: string;
  name: string;
  client: number;
  attempts: Call[];
  spaceId?: string;
  replayed?: boolean;
}

interface Round {
  label: string;
  faultAt: number;
  recoveredAt?: number;
  intents: Intent[];
  calls: Call[];
  mints: Call[];
}

describe('HA cluster: failover under load', () => {
  let state: HaState;
  let env: Awaited<ReturnType<typeof haEnv>>;
  let service: ServiceProcess;
  let base: string;
  let provider: { providerId: string; token: string };
  let users: { userId: string; token: string }[];
  const figures: string[] = [];

  beforeAll(async () => {
    state = await up({ dir: await mkdtemp(path.join(os.tmpdir(), 'spaces-ha-test-')) });
    // Answered within 8 s whatever the database does (a commit may wait for a standby).
    env = await haEnv(databaseUrl(state), { REQUEST_DEADLINE_SECONDS: '8' });
    service = ServiceProcess.start(env);
    base = await service.ready(180_000);
    const created = await call(base, '/providers', { method: 'POST', token: env.ADMIN_TOKEN, body: { name: 'HA provider' } });
    expect(created.status).toBe(201);
    provider = json(created);
    users = [];
    for (let i = 0; i < CLIENTS; i++) {
      const user = await call(base, '/users', { method: 'POST', token: env.ADMIN_TOKEN, body: { name: `HA user ${i}` } });
      expect(user.status).toBe(201);
      users.push(json(user));
    }
  }, 400_000);

  afterAll(async () => {
    if (service) {
      await service.stop();
      // The service's own log, for a failure's post-mortem.
      await mkdir('test-artifacts', { recursive: true });
      await writeFile('test-artifacts/ha-service.log', service.log);
    }
    if (state) await down({ dir: state.dir });
    if (env) await removeDir(env.DATA_DIR);
    process.stdout.write(`\n${figures.join('\n')}\n`);
  }, 120_000);

  /** 16 clients: mint a single-use support token, create a space with it (retrying 503s under one Idempotency-Key). */
  async function underLoad(label: string, fault: () => Promise<void>): Promise<Round> {
    const round: Round = { label, faultAt: 0, intents: [], calls: [], mints: [] };
    let running = true;
    const loops = users.map(async (user, client) => {
      for (let n = 0; running; n++) {
        let token: string | undefined;
        while (running && !token) {
          const minted = await call(base, '/provider/spaces/token', { method: 'POST', token: provider.token, body: {} });
          round.mints.push(minted);
          if (minted.status === 200) token = json<{ token: string }>(minted).token;
          else await sleep(100);
        }
        if (!token) break;
        const intent: Intent = { key: `${label}-${client}-${n}`, name: `${label} ${client}-${n}`, client, attempts: [] };
        round.intents.push(intent);
        // Once asked, a creation is retried until it has an answer other than 503, even after the load stops.
        for (;;) {
          const c = await call(base, '/user/spaces', {
            method: 'POST',
            token: user.token,
            headers: { 'Idempotency-Key': intent.key },
            body: { name: intent.name, token, size: 1 },
          });
          intent.attempts.push(c);
          round.calls.push(c);
          if (c.status === 503) {
            await sleep(200);
            continue;
          }
          if (c.status === 201) {
            intent.spaceId = c.headers!.get('location')!.split('/').pop();
            intent.replayed = c.headers!.get('idempotent-replayed') === 'true';
          }
          break;
        }
      }
    });
    try {
      await sleep(3000);
      round.faultAt = Date.now();
      await fault();
      // Until a creation asked after the fault succeeds, then a little more.
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline && !round.calls.some((c) => c.status === 201 && c.started > round.faultAt)) await sleep(100);
      round.recoveredAt = round.calls.find((c) => c.status === 201 && c.started > round.faultAt)?.ended;
      await sleep(3000);
    } finally {
      running = false;
    }
    await Promise.all(loops);
    if (service.child.exitCode !== null || service.child.signalCode !== null) {
      throw new Error(
        `the service exited (${service.child.exitCode ?? service.child.signalCode}) in ${label}:\n${service.log.slice(-4000)}`,
      );
    }
    return round;
  }

  /** The round's guarantees, checked on the leader; its figures. */
  async function verify(round: Round): Promise<Record<string, number | string>> {
    const url = superuserUrl(state);
    const acknowledged = round.intents.filter((i) => i.spaceId);
    const ids = acknowledged.map((i) => i.spaceId!);
    const found = await query<{ id: string; owners: string; supports: string; size: string }>(
      url,
      `SELECT s.id,
              (SELECT count(*) FROM memberships m WHERE m.space_id = s.id) AS owners,
              (SELECT count(*) FROM supports p WHERE p.space_id = s.id AND p.provider_id = $2) AS supports,
              (SELECT coalesce(sum(p.size), 0) FROM supports p WHERE p.space_id = s.id) AS size
         FROM spaces s WHERE s.id = ANY($1)`,
      [ids, provider.providerId],
    );
    const byId = new Map(found.map((r) => [r.id, r]));
    const missing = ids.filter((id) => !byId.has(id));
    const withoutOwner = found.filter((r) => Number(r.owners) < 1).map((r) => r.id);
    const withoutSupport = found.filter((r) => Number(r.supports) !== 1).map((r) => r.id);
    // One space per creation asked (its name is the intent's), whatever was retried.
    const duplicates = await query<{ name: string; n: string }>(
      url,
      `SELECT name, count(*) AS n FROM spaces WHERE name LIKE $1 GROUP BY name HAVING count(*) > 1`,
      [`${round.label} %`],
    );
    // No single-use token served twice: every token's uses within its limit, and supports = uses.
    const overused = await query<{ n: string }>(
      url,
      `SELECT count(*) AS n FROM tokens WHERE usage_limit IS NOT NULL AND usage_count > usage_limit`,
    );
    const [{ supports, uses }] = await query<{ supports: string; uses: string }>(
      url,
      `SELECT (SELECT count(*) FROM supports WHERE provider_id = $1) AS supports,
              (SELECT coalesce(sum(usage_count), 0) FROM tokens WHERE subject_id = $1 AND type = 'provider_support') AS uses`,
      [provider.providerId],
    );
    expect({ missing, withoutOwner, withoutSupport, duplicates, overused: Number(overused[0].n) }).toEqual({
      missing: [],
      withoutOwner: [],
      withoutSupport: [],
      duplicates: [],
      overused: 0,
    });
    expect(Number(uses)).toBe(Number(supports));

    // Every answer during the fault: 201, or 503 with the error body; never a hang, a 500 or a stack.
    const all = [...round.calls, ...round.mints];
    const unexpected = [
      ...round.calls.filter((c) => c.status !== 201 && c.status !== 503),
      ...round.mints.filter((c) => c.status !== 200 && c.status !== 503),
    ];
    if (unexpected.length > 0)
      process.stdout.write(
        `${round.label}: unexpected ${JSON.stringify(unexpected.slice(0, 3).map((c) => [c.status, c.error, c.body]))}\n`,
      );
    expect(tally(unexpected)).toEqual({});
    for (const c of all.filter((x) => x.status === 503)) {
      expect(json(c)).toEqual({ error: 'service_unavailable', error_description: expect.any(String) });
      expect(c.body).not.toMatch(/ at |\.ts:|\.js:/);
      expect(c.headers!.get('retry-after')).toBe('1');
    }
    const slowest503 = Math.max(0, ...all.filter((x) => x.status === 503).map((c) => c.ended - c.started));
    expect(round.recoveredAt).toBeDefined();

    // Seconds without writes: the last 201 before the fault to the first 201 of a request asked after it.
    const lastBefore = Math.max(
      round.faultAt - 3000,
      ...round.calls.filter((c) => c.status === 201 && c.ended <= round.faultAt).map((c) => c.ended),
    );
    const downtime = (round.recoveredAt! - lastBefore) / 1000;
    const inDoubt = acknowledged.filter((i) => i.replayed).length;
    return {
      round: round.label,
      downtime_s: Number(downtime.toFixed(2)),
      acknowledged: acknowledged.length,
      found: found.length,
      answered_503: all.filter((c) => c.status === 503).length,
      in_doubt_replayed: inDoubt,
      slowest_503_ms: slowest503,
      supports: Number(supports),
    };
  }

  function report(figure: Record<string, number | string>): void {
    const line = `ha ${JSON.stringify(figure)}`;
    figures.push(line);
    process.stdout.write(`${line}\n`);
  }

  async function ready(): Promise<void> {
    await waitHealthy(state, 120_000);
    // The service answers writes again before the next round.
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const r = await call(base, '/health/ready'.replace(/^/, ''));
      if (r.status === 200 || r.status === 404) break;
      await sleep(200);
    }
  }

  it(`kill -9 of the leader's PostgreSQL, ${RUNS} times: nothing acknowledged lost, 503s only, recovery by itself`, async () => {
    const results: Record<string, number | string>[] = [];
    for (let run = 1; run <= RUNS; run++) {
      await ready();
      const current = await leader(state);
      expect(current).toBeDefined();
      const round = await underLoad(`kill${run}`, async () => {
        process.kill(current!.pid, 'SIGKILL');
      });
      const figure = { ...(await verify(round)), killed: current!.name, new_leader: (await leader(state))?.name ?? '?' };
      report(figure);
      results.push(figure);
    }
    const downtimes = results.map((r) => Number(r.downtime_s));
    report({
      round: `kill x${RUNS}`,
      downtime_min_s: Math.min(...downtimes),
      downtime_max_s: Math.max(...downtimes),
      acknowledged: results.reduce((s, r) => s + Number(r.acknowledged), 0),
      found: results.reduce((s, r) => s + Number(r.found), 0),
      answered_503: results.reduce((s, r) => s + Number(r.answered_503), 0),
      in_doubt_replayed: results.reduce((s, r) => s + Number(r.in_doubt_replayed), 0),
    });
    expect((await fetch(`${base}/health/ready`)).status).toBe(200);
  }, 900_000);

  it('a planned switchover (patronictl) under the same load: the same guarantees', async () => {
    await ready();
    const current = await leader(state);
    const cluster = await clusterStatus(state);
    const candidate = cluster.members.find((m) => m.role === 'sync_standby')!.name;
    const round = await underLoad('switchover', async () => {
      switchover(state, current!.name, candidate);
    });
    const figure = { ...(await verify(round)), from: current!.name, to: (await leader(state))?.name ?? '?' };
    report(figure);
    expect(figure.to).toBe(candidate);
    expect((await fetch(`${base}/health/ready`)).status).toBe(200);
  }, 300_000);
  it("reads from the replicas (DATABASE_REPLICA_URL): lists there, a caller's own reads on the leader right after its writes", async () => {
    await ready();
    const replicated = ServiceProcess.start({
      ...env,
      DATABASE_REPLICA_URL: databaseUrl(state, state.replicaPort),
      DATABASE_REPLICA_FRESH_SECONDS: '2',
    });
    try {
      const other = await replicated.ready(180_000);
      const user = json<{ userId: string; token: string }>(
        await call(base, '/users', { method: 'POST', token: env.ADMIN_TOKEN, body: { name: 'Reads its writes' } }),
      );
      const replicaTransactions = async () => {
        const current = (await leader(state))!.name;
        let sum = 0;
        for (const m of state.members.filter((x) => x.name !== current)) {
          const [row] = await query<{ n: string }>(superuserUrl(state, m.pgPort), `SELECT sum(xact_commit) AS n FROM pg_stat_database`);
          sum += Number(row.n);
        }
        return sum;
      };
      // Read-your-writes: each creation is listed by the very next read.
      for (let i = 0; i < 20; i++) {
        const created = await call(other, '/user/spaces', { method: 'POST', token: user.token, body: { name: `RYW ${i}` } });
        expect(created.status).toBe(201);
        const id = created.headers!.get('location')!.split('/').pop()!;
        expect(json<{ spaces: string[] }>(await call(other, '/user/spaces', { token: user.token })).spaces).toContain(id);
      }
      await sleep(2100);
      // Past the window, lists are read from the replicas; read throughput with and without them.
      const throughput = async (base: string) => {
        let done = 0;
        const until = Date.now() + 4000;
        await Promise.all(
          users.map(async (u) => {
            while (Date.now() < until) {
              const r = await call(base, '/user/spaces', { token: u.token });
              expect(r.status).toBe(200);
              done++;
            }
          }),
        );
        return Math.round(done / 4);
      };
      const before = await replicaTransactions();
      const withReplicas = await throughput(other);
      const onReplicas = (await replicaTransactions()) - before;
      const leaderOnly = await throughput(base);
      report({
        round: 'replica reads',
        lists_per_s_with_replicas: withReplicas,
        lists_per_s_leader_only: leaderOnly,
        replica_transactions: onReplicas,
      });
      expect(onReplicas).toBeGreaterThan(withReplicas); // the lists (4 s of them) ran on the replicas
    } finally {
      await replicated.stop();
    }
  }, 300_000);
});
