import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { PREFIX } from '../support/test-app.js';

/** One answer (or failure) of the service, with when it was asked and answered. */
export interface Call {
  status: number | 'error';
  error?: string;
  body?: string;
  headers?: Headers;
  started: number;
  ended: number;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One call, never throwing; 30 s without an answer counts as a hang (the machine may be shared and busy). */
export async function call(
  base: string,
  route: string,
  init: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Call> {
  const started = Date.now();
  const headers = new Headers(init.headers);
  if (init.token) headers.set('Authorization', `Bearer ${init.token}`);
  if (init.body !== undefined) headers.set('Content-Type', 'application/json');
  try {
    const res = await fetch(`${base}${PREFIX}${route}`, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: AbortSignal.timeout(30_000),
    });
    const body = await res.text();
    return { status: res.status, body, headers: res.headers, started, ended: Date.now() };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return { status: 'error', error: cause?.code ?? (error as Error).name, started, ended: Date.now() };
  }
}

export function json<T = Record<string, unknown>>(c: Call): T {
  return JSON.parse(c.body ?? 'null') as T;
}

/** Counts by status (or error code). */
export function tally(calls: Call[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of calls) {
    const key = c.status === 'error' ? `error ${c.error}` : String(c.status);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** A service environment of its own for one HA test file. */
export async function haEnv(databaseUrl: string, extra: Record<string, string> = {}) {
  return {
    DATA_DIR: await mkdtemp(path.join(os.tmpdir(), 'spaces-ha-data-')),
    DATABASE_URL: databaseUrl,
    ADMIN_TOKEN: `admin-${randomBytes(16).toString('hex')}`,
    TOKEN_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
    RATE_LIMIT: '1000000',
    ...extra,
  };
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** Reads the database directly, retrying while the cluster settles. */
export async function query<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  let lastError: unknown;
  for (let i = 0; i < 40; i++) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return (await client.query(sql, params)).rows as T[];
    } catch (error) {
      lastError = error;
      await sleep(500);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  throw lastError;
}

/** The longest stretch, in ms, in [from, to] with no successful write answered. */
export function longestGap(successEnds: number[], from: number, to: number): number {
  const points = [from, ...successEnds.filter((t) => t > from && t < to).sort((a, b) => a - b), to];
  let gap = 0;
  for (let i = 1; i < points.length; i++) gap = Math.max(gap, points[i] - points[i - 1]);
  return gap;
}
