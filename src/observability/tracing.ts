/**
 * OpenTelemetry tracing of the standalone service, off unless the standard
 * OTEL_* variables ask for traces: an exporter (OTEL_TRACES_EXPORTER other
 * than `none`) or an OTLP endpoint (OTEL_EXPORTER_OTLP_ENDPOINT,
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT), and not OTEL_SDK_DISABLED=true. Off,
 * nothing of OpenTelemetry is loaded. On, the Node SDK (which reads the rest
 * of OTEL_*: protocol, headers, sampler, resource) runs the instrumentations
 * of HTTP (the server span of each request), Fastify (@fastify/otel: a span
 * for the request's route and one for its handler, and the route template as
 * the server span's name), pg, Prisma and pino (trace_id and span_id on the
 * log lines written while a traced request is served).
 *
 * ES modules are instrumented through import-in-the-middle's loader hook
 * (module.register, Node 20.6+), told which modules to wrap: those the
 * instrumentations name, nothing else. So this must run before the service's
 * modules load (main.ts).
 */

type Env = Record<string, string | undefined>;

/** Incoming requests that are not traced: the metrics scrapes. */
const UNTRACED = new Set(['/metrics']);

export function tracesRequested(env: Env): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  const exporters = env.OTEL_TRACES_EXPORTER?.trim();
  if (exporters) return exporters.split(',').some((name) => name.trim() !== 'none');
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

let running: { shutdown(): Promise<void> } | undefined;

/**
 * Starts tracing if `env` asks for it (OTEL_* from a `.env` file are passed to
 * the SDK too); resolves once the loader hook knows what to wrap. Returns
 * whether tracing runs.
 */
export async function startTracing(env: Env = process.env): Promise<boolean> {
  if (running || !tracesRequested(env)) return Boolean(running);
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith('OTEL_') && process.env[name] === undefined) process.env[name] = value;
  }
  process.env.OTEL_SERVICE_NAME ??= 'spaces-service';
  // Traces only: the metrics are served at /metrics, the logs go to stdout.
  process.env.OTEL_METRICS_EXPORTER ??= 'none';
  process.env.OTEL_LOGS_EXPORTER ??= 'none';

  const { register } = await import('node:module');
  const { createAddHookMessageChannel } = await import('import-in-the-middle');
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);

  const [
    { NodeSDK },
    { HttpInstrumentation },
    { FastifyOtelInstrumentation },
    { PgInstrumentation },
    { PinoInstrumentation },
    { PrismaInstrumentation },
  ] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/instrumentation-http'),
    import('@fastify/otel'),
    import('@opentelemetry/instrumentation-pg'),
    import('@opentelemetry/instrumentation-pino'),
    import('@prisma/instrumentation'),
  ]);
  const sdk = new NodeSDK({
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: (request) => UNTRACED.has((request.url ?? '').split('?')[0]) }),
      // On every Fastify instance as it is created (Nest's adapter makes its own), before any route.
      // No span for each hook: the service's hooks (logging, metrics, headers) take microseconds.
      new FastifyOtelInstrumentation({
        registerOnInitialization: true,
        instrumentHooks: false,
        ignorePaths: ({ url }) => UNTRACED.has(url),
      }),
      new PgInstrumentation(),
      new PrismaInstrumentation(),
      // Trace and span ids on log lines only; the logs themselves stay on stdout.
      new PinoInstrumentation({ disableLogSending: true }),
    ],
  });
  sdk.start();
  running = sdk;
  await waitForAllMessagesAcknowledged();
  return true;
}

/** Sends the spans still buffered and stops the SDK (nothing when tracing is off). */
export async function stopTracing(): Promise<void> {
  const sdk = running;
  running = undefined;
  await sdk?.shutdown();
}
