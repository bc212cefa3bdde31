import { Inject, Injectable, type LoggerService } from '@nestjs/common';
import type { Level } from 'pino';
import { HTTP_LOGGER } from './logging.module-definition.js';
import { requestLogger } from './request-logger.js';
import type { HttpLogger } from './access-log.js';

/** A stack trace's first frame. */
const STACK_TRACE = /\n\s*at /;

/**
 * Nest's logger (`app.useLogger`) as JSON lines through the service's pino
 * logger: `level`, `time`, `context`, `msg`, and the request (`req`) on the
 * lines logged while one is served.
 */
@Injectable()
export class JsonLogger implements LoggerService {
  constructor(@Inject(HTTP_LOGGER) private readonly http: HttpLogger) {}

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  /** Nest's Logger passes its context as the last parameter; an object message becomes the line's fields. */
  private write(level: Level, message: unknown, params: unknown[]): void {
    const logger = requestLogger(this.http) ?? this.http.logger;
    const fields: Record<string, unknown> = {};
    if (params.length > 0) fields.context = params.pop();
    if (typeof message === 'object' && message !== null) {
      if (message instanceof Error) fields.err = message;
      else Object.assign(fields, message);
      logger[level](fields, ...(params as [string?]));
    } else if (isStackTrace(level, message, params)) {
      const err = new Error(message);
      err.stack = params[0] as string;
      logger.error({ ...fields, err });
    } else {
      logger[level](fields, message as string, ...params);
    }
  }
}

/** Nest's exception handlers call `error(message, stack)`: the stack becomes the line's `err`. */
function isStackTrace(level: Level, message: unknown, params: unknown[]): message is string {
  const [stack] = params;
  return level === 'error' && typeof message === 'string' && params.length === 1 && typeof stack === 'string' && STACK_TRACE.test(stack);
}
