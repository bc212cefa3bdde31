import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { configureApp, createHttpAdapter } from './app.setup.js';
import { APP_CONFIG } from './config/config.module.js';
import { SECRETS } from './config/spaces-config.js';
import { ConfigError, loadConfig, type AppConfig } from './config/environment.js';
import type { Secrets } from './config/secrets.js';
import { DataDirInUseError } from './database/data-dir-lock.js';
import { withEnvFile } from './config/env-file.js';
import { pino } from 'pino';
import { HTTP_LOGGER } from './logging/logging.module-definition.js';
import type { HttpLogger } from './logging/access-log.js';
import { stopTracing } from './observability/tracing.js';

/** Longest wait for in-flight requests after SIGTERM/SIGINT before exiting anyway. */
const SHUTDOWN_GRACE_MS = 10_000;

async function bootstrap(): Promise<void> {
  const env = withEnvFile();
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(env), createHttpAdapter(loadConfig(env)), {
    bodyParser: false,
    bufferLogs: true,
  });
  await configureApp(app);
  const config = app.get<AppConfig>(APP_CONFIG);
  const secrets = app.get<Secrets>(SECRETS);
  await app.listen(config.PORT, config.HOST);
  // Graceful stop: refuse new connections, let requests in flight finish,
  // close the database, exit 0; exit 1 if that takes longer than the grace period.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => {
        process.stderr.write(`In-flight requests did not finish within ${SHUTDOWN_GRACE_MS} ms: exiting.\n`);
        process.exit(1);
      }, SHUTDOWN_GRACE_MS).unref();
      // The spans still buffered go out after the close (nothing to do without tracing).
      app
        .close()
        .then(stopTracing)
        .then(
          () => process.exit(0),
          (error: unknown) => {
            process.stderr.write(`Shutdown failed: ${(error as Error)?.stack ?? String(error)}\n`);
            process.exit(1);
          },
        );
    });
  }
  const url = listeningUrl(await app.getUrl(), config.HOST);
  // The start-up's log lines (written asynchronously) reach stdout first.
  flushLog(app.get<HttpLogger>(HTTP_LOGGER));
  process.stdout.write(`Spaces service listening on ${url}${config.API_PREFIX}; API docs at ${url}/docs\n`);
  if (secrets.generatedAdminToken) {
    // Printed once, last, outside the log (which redacts tokens).
    process.stdout.write(
      `\nAdmin token (generated, kept in ${config.DATA_DIR}/admin-token; shown only now):\n` + `${secrets.adminToken}\n\n`,
    );
  }
}

/** Writes out what the log has buffered (a terminal's pretty stream writes synchronously anyway). */
function flushLog(http: HttpLogger): void {
  const stream = (http.logger as unknown as Record<symbol, { flushSync?: () => void }>)[pino.symbols.streamSym];
  try {
    stream?.flushSync?.();
  } catch {
    // A full pipe: the lines follow the banner, nothing is lost.
  }
}

/**
 * The address to show: what HOST binds. On every interface (0.0.0.0 or ::),
 * localhost works from this machine, and any of its addresses from others.
 */
function listeningUrl(url: string, host: string): string {
  if (host !== '0.0.0.0' && host !== '::') return url;
  return url.replace(/^(https?:\/\/)(\[[^\]]*\]|[^:/]+)/, '$1localhost');
}

bootstrap().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DataDirInUseError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`The service failed to start: ${(error as Error)?.stack ?? String(error)}\n`);
  }
  process.exit(1);
});
