import { Inject, type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import type { HttpLogger } from 'pino-http';
import { createHttpLogger, prettyStream } from './access-log.js';
import { JsonLogger } from './json-logger.js';
import {
  ConfigurableLoggingModule,
  HTTP_LOGGER,
  LOGGING_MODULE_OPTIONS,
  type LoggingModuleOptions,
} from './logging.module-definition.js';
import { logRequests } from './request-logger.js';

/**
 * The standalone service's logging: JSON lines (pino), one access line per
 * request, and Nest's own logs through the same logger (`app.useLogger(app.get(JsonLogger))`).
 */
@Module({
  providers: [
    {
      provide: HTTP_LOGGER,
      inject: [LOGGING_MODULE_OPTIONS],
      useFactory: async (options: LoggingModuleOptions) =>
        createHttpLogger(options.level, options.format === 'pretty' ? await prettyStream() : undefined),
    },
    JsonLogger,
  ],
  exports: [HTTP_LOGGER, JsonLogger],
})
export class LoggingModule extends ConfigurableLoggingModule implements NestModule {
  constructor(@Inject(HTTP_LOGGER) private readonly http: HttpLogger) {
    super();
  }

  configure(consumer: MiddlewareConsumer): void {
    // Nest's own wildcard: mounted under the prefix and on the routes kept out
    // of it (/health, /docs) once each, so every routed request is logged once.
    consumer.apply(logRequests(this.http)).forRoutes({ path: '/{*path}', method: RequestMethod.ALL });
  }
}
