import { PREFIX } from '../support/test-app.js';

export interface Outcome {
  status: number | 'error';
  /** The error's code when no answer came (ECONNREFUSED, ECONNRESET, …). */
  error?: string;
  location?: string;
  body?: string;
  ms: number;
}

/** One call to the service, never throwing: what came back, or how it failed. */
export async function attempt(base: string, path: string, init: RequestInit & { token?: string } = {}): Promise<Outcome> {
  const started = Date.now();
  const headers = new Headers(init.headers);
  if (init.token) headers.set('Authorization', `Bearer ${init.token}`);
  if (init.body !== undefined) headers.set('Content-Type', 'application/json');
  try {
    const res = await fetch(`${base}${PREFIX}${path}`, { ...init, headers, signal: AbortSignal.timeout(20_000) });
    const body = await res.text();
    return { status: res.status, location: res.headers.get('location') ?? undefined, body, ms: Date.now() - started };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return { status: 'error', error: cause?.code ?? (error as Error).name, ms: Date.now() - started };
  }
}

/** `clients` loops calling `call` back to back until `stop()` resolves; every outcome, in order. */
export async function underLoad(
  clients: number,
  call: (client: number, n: number) => Promise<Outcome>,
  during: () => Promise<void>,
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let running = true;
  const loops = Array.from({ length: clients }, async (_, client) => {
    for (let n = 0; running; n++) {
      outcomes.push(await call(client, n));
    }
  });
  try {
    await during();
  } finally {
    running = false;
  }
  await Promise.all(loops);
  return outcomes;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Counts of outcomes by status or error code, for messages and notes. */
export function tally(outcomes: Outcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) {
    const key = o.status === 'error' ? `error ${o.error}` : String(o.status);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
