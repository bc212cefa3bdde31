import { type DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { AllExceptionsFilter } from './common/all-exceptions.filter.js';
import { loggedUrl } from './common/logged-url.js';
import { APP_CONFIG, ConfigModule } from './config/config.module.js';
import type { AppConfig } from './config/environment.js';
import { HealthModule } from './health/health.module.js';
import { SpacesModule } from './integration/spaces.module.js';
import { spacesOptionsFrom } from './integration/spaces-module.options.js';

/** Fields that may carry a token, redacted by pino wherever a log line has them. */
export const REDACTED_PATHS = ['token', 'err.token', 'req.body.token'];

/** Headers an access line keeps; those that carry credentials are logged as present, never their value. */
const LOGGED_HEADERS = ['authorization', 'x-auth-token', 'user-agent', 'content-type', 'content-length', 'x-forwarded-for'];
const CREDENTIAL_HEADERS = new Set(['authorization', 'x-auth-token']);

function accessLogRequest(req: {
  id: unknown;
  method: string;
  url: string;
  remoteAddress?: string;
  headers: Record<string, unknown>;
}) {
  const headers: Record<string, unknown> = {};
  for (const name of LOGGED_HEADERS) {
    const value = req.headers[name];
    if (value !== undefined) headers[name] = CREDENTIAL_HEADERS.has(name) ? '[redacted]' : value;
  }
  return { id: req.id, method: req.method, url: loggedUrl(req.url), remoteAddress: req.remoteAddress, headers };
}

@Module({})
export class AppModule {
  /** `env` replaces process.env: tests and embedding hosts pass their own. */
  static forRoot(env: Record<string, string | undefined> = process.env): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(env),
        LoggerModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({
            // Nest's own wildcard: mounted under the prefix and on the routes kept out of it
            // (/health, /docs) once each. nestjs-pino's default route adds those routes
            // a second time, and their requests were logged twice.
            forRoutes: [{ path: '*', method: RequestMethod.ALL }],
            pinoHttp: {
              level: config.LOG_LEVEL,
              // Every line logged while serving a request carries the request, with its id
              // (req.id): the HTTP adapter's request id (see requestId in app.setup.ts).
              redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
              // A lean access line: a request's own fields and the headers worth reading.
              serializers: { req: accessLogRequest, res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }) },
              customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
            },
          }),
        }),
        // The service alone is a host of its own feature module: configured from the
        // environment, its own identity store, the API prefix as the app's global prefix
        // (so that /health and /docs stay outside it).
        SpacesModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: spacesOptionsFrom,
          routePrefix: '/',
          identities: true,
        }),
        HealthModule,
      ],
      // The service's controllers carry their own guards, pipe and filter (SpacesApi);
      // app-wide, the filter gives the rest (unknown routes, say) the Error body too.
      providers: [{ provide: APP_FILTER, useClass: AllExceptionsFilter }],
    };
  }
}
