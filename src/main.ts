/**
 * The standalone service's entry point. Tracing starts first when the
 * OTEL_* environment asks for it: its instrumentations must be in place
 * before the HTTP stack, pg and Prisma load, and an ES module's static imports
 * all load before its code runs, so the service itself is imported after.
 * Without tracing this loads nothing more than the check.
 */
import { withEnvFile } from './config/env-file.js';
import { startTracing } from './observability/tracing.js';

await startTracing(withEnvFile());
await import('./serve.js');
