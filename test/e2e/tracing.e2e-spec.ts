import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { onPostgres } from '../support/databases.js';
import { ServiceProcess } from '../support/service-process.js';
import { PREFIX, disposeEnv, testEnv, type TestEnv } from '../support/test-app.js';

interface Span {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: Record<string, unknown> }[];
  scope: string;
}

/** An OTLP/HTTP receiver (JSON encoding) on loopback: the spans the service exports, in memory. */
async function otlpReceiver() {
  const spans: Span[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (req.url === '/v1/traces') {
        const message = JSON.parse(body) as {
          resourceSpans: { scopeSpans: { scope: { name: string }; spans: Omit<Span, 'scope'>[] }[] }[];
        };
        for (const resource of message.resourceSpans) {
          for (const scoped of resource.scopeSpans) for (const span of scoped.spans) spans.push({ ...span, scope: scoped.scope.name });
        }
      }
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { spans, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

/** A span attribute's value as text (OTLP/JSON wraps each value in an object naming its type). */
const attribute = (span: Span, key: string): string | undefined => {
  const value = span.attributes.find((a) => a.key === key)?.value;
  const inner: unknown = value && Object.values(value)[0];
  return typeof inner === 'string' || typeof inner === 'number' || typeof inner === 'boolean' ? String(inner) : undefined;
};

async function until<T>(what: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = what();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('tracing (OpenTelemetry, configured by OTEL_*)', () => {
  let env: TestEnv;
  let receiver: Awaited<ReturnType<typeof otlpReceiver>>;
  let service: ServiceProcess;
  let base: string;

  beforeAll(async () => {
    receiver = await otlpReceiver();
    env = await testEnv({ LOG_LEVEL: 'info', LOG_FORMAT: 'json' });
    service = ServiceProcess.start({
      ...env,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '100',
    });
    // A loaded machine may take a while to start the service with the SDK.
    base = await service.ready(150_000);
  }, 180_000);

  afterAll(async () => {
    expect(await service.stop()).toBe(0);
    receiver.close();
    await disposeEnv(env);
  }, 60_000);

  it("exports one request's spans, from the HTTP server down to its SQL, and puts its trace and span ids on its log lines", async () => {
    const created = await fetch(`${base}${PREFIX}/users`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'Content-Type': 'application/json', 'X-Request-Id': 'traced-request-1' },
      body: JSON.stringify({ name: 'Traced' }),
    });
    expect(created.status).toBe(201);

    const server = await until(
      () =>
        receiver.spans.find((span) => span.kind === 2 && attribute(span, 'http.target') === `${PREFIX}/users`) ??
        receiver.spans.find((span) => span.kind === 2 && (attribute(span, 'url.path') ?? '') === `${PREFIX}/users`),
    );
    expect(server.scope).toBe('@opentelemetry/instrumentation-http');
    // Named by its route template, which Fastify's instrumentation gives it.
    expect(server.name).toBe(`POST ${PREFIX}/users`);
    expect(attribute(server, 'http.route')).toBe(`${PREFIX}/users`);
    const ofTrace = () => receiver.spans.filter((span) => span.traceId === server.traceId);
    // Fastify's spans: the request's route beneath the server span, and the Nest handler beneath it.
    const route = await until(() => ofTrace().find((span) => span.scope === '@fastify/otel' && span.name === 'request'));
    expect(route.parentSpanId).toBe(server.spanId);
    expect(attribute(route, 'http.route')).toBe(`${PREFIX}/users`);
    const handler = await until(() => ofTrace().find((span) => span.scope === '@fastify/otel' && span.parentSpanId === route.spanId));
    expect(handler.name).toBe('handler - IdentitiesController.createUser');
    if (onPostgres()) {
      // The INSERT of the user's row, a descendant of the server span.
      const insert = await until(() =>
        ofTrace().find(
          (span) =>
            span.scope === '@opentelemetry/instrumentation-pg' &&
            /INSERT/i.test(attribute(span, 'db.statement') ?? attribute(span, 'db.query.text') ?? ''),
        ),
      );
      const byId = new Map(ofTrace().map((span) => [span.spanId, span]));
      const ancestors: string[] = [];
      let hop: Span | undefined = insert;
      while (hop?.parentSpanId) {
        hop = byId.get(hop.parentSpanId);
        if (hop) ancestors.push(hop.spanId);
      }
      expect(hop?.spanId).toBe(server.spanId);
      expect(ancestors).toContain(handler.spanId);
    } else {
      // Prisma's own spans, within the request's trace (the embedded database has no pg client).
      await until(() => ofTrace().find((span) => span.scope === 'prisma') ?? undefined);
    }

    const line = await until(() =>
      service.log
        .split('\n')
        .filter((text) => text.startsWith('{'))
        .map((text) => JSON.parse(text) as { msg?: string; trace_id?: string; span_id?: string; req?: { id?: string } })
        .find((entry) => entry.msg === 'request completed' && entry.req?.id === 'traced-request-1'),
    );
    expect(line.trace_id).toBe(server.traceId);
    expect(line.span_id).toBe(server.spanId);
  }, 60_000);

  it('does not trace the metrics scrapes', async () => {
    expect((await fetch(`${base}/metrics`)).status).toBe(200);
    await fetch(`${base}/health/live`);
    await until(() =>
      receiver.spans.find((span) => String(attribute(span, 'http.target') ?? attribute(span, 'url.path')) === '/health/live'),
    );
    expect(receiver.spans.filter((span) => String(attribute(span, 'http.target') ?? attribute(span, 'url.path')) === '/metrics')).toEqual(
      [],
    );
  });
});

describe('tracing off', () => {
  /** Whether starting tracing with `env` loaded any OpenTelemetry module. */
  function loadsOpenTelemetry(env: Record<string, string>): boolean {
    const script = `
      import { createRequire } from 'node:module';
      import { startTracing, stopTracing } from './dist/observability/tracing.js';
      const started = await startTracing(${JSON.stringify(env)});
      const loaded = Object.keys(createRequire(import.meta.url).cache).some((file) => file.includes('@opentelemetry'));
      await stopTracing();
      process.stdout.write(JSON.stringify({ started, loaded }));`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { PATH: process.env.PATH } });
    const result = JSON.parse(run.stdout) as { started: boolean; loaded: boolean };
    expect(result.started).toBe(result.loaded);
    return result.loaded;
  }

  it('loads no OpenTelemetry module unless OTEL_* asks for traces', () => {
    expect(loadsOpenTelemetry({})).toBe(false);
    expect(loadsOpenTelemetry({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' })).toBe(false);
    expect(loadsOpenTelemetry({ OTEL_SDK_DISABLED: 'true', OTEL_TRACES_EXPORTER: 'console' })).toBe(false);
    expect(loadsOpenTelemetry({ OTEL_TRACES_EXPORTER: 'console' })).toBe(true);
  }, 120_000);
});
