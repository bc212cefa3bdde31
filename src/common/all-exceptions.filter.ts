import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Injectable, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ApiError } from './api-error.js';
import { isDatabaseUnavailable, prismaErrorCode } from './database-errors.js';
import { ERRORS, type ErrorBody, type ErrorCode } from './error-codes.js';
import { type HttpRequest, requestPath } from './http-request.js';
import { withRequestLog } from './log-context.js';
import { loggedUrl } from './logged-url.js';

/** body-parser's error types, mapped to our codes. */
const BODY_PARSER_ERRORS: Record<string, { code: ErrorCode; description?: string }> = {
  'entity.parse.failed': { code: 'invalid_request', description: 'The request body is not valid JSON.' },
  'entity.too.large': { code: 'payload_too_large' },
  'parameters.too.many': { code: 'payload_too_large' },
  'encoding.unsupported': {
    code: 'unsupported_media_type',
    description: 'The request body has an unsupported Content-Encoding.',
  },
  'charset.unsupported': {
    code: 'unsupported_media_type',
    description: 'The request body must be UTF-8 encoded JSON.',
  },
  'request.aborted': { code: 'invalid_request', description: 'The request body was not received whole.' },
  'request.size.invalid': {
    code: 'invalid_request',
    description: 'The request body does not match its Content-Length.',
  },
};

const STATUS_CODES: Partial<Record<number, ErrorCode>> = {
  400: 'invalid_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'not_found',
  409: 'already_exists',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'idempotency_conflict',
  429: 'too_many_requests',
  503: 'service_unavailable',
};

/** One line about an expected failure, for the log (never for the caller). */
function summary(exception: unknown): string {
  const message = exception instanceof Error ? exception.message : String(exception);
  return message.replace(/\s+/g, ' ').trim().slice(0, 300);
}

interface Rendered {
  status: number;
  body: ErrorBody;
}

/**
 * Every error, from every layer, leaves as `{error, error_description}`:
 * never a stack, SQL text or secret.
 */
@Catch()
@Injectable()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  /** Replies through the application's HTTP adapter: Fastify here, possibly Express in a host platform. */
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const response: unknown = ctx.getResponse();
    const request = ctx.getRequest<HttpRequest>();
    const { status, body } = this.render(exception, request);

    if (status === HttpStatus.SERVICE_UNAVAILABLE) {
      withRequestLog(request, () => this.logger.warn(`503 on ${request.method} ${loggedUrl(requestPath(request))}: ${summary(exception)}`));
    } else if (status >= 500) {
      const url = loggedUrl(requestPath(request));
      withRequestLog(request, () =>
        this.logger.error({ err: exception, method: request.method, url }, `${status} ${body.error} on ${request.method} ${url}`),
      );
    }
    const http = this.adapterHost.httpAdapter;
    if (http.isHeadersSent(response)) return;
    // The database is away (an outage, a failover): worth a retry in a second.
    if (status === HttpStatus.SERVICE_UNAVAILABLE) http.setHeader(response, 'Retry-After', '1');
    if (status === HttpStatus.UNAUTHORIZED) {
      http.setHeader(response, 'WWW-Authenticate', body.error === 'invalid_token' ? 'Bearer error="invalid_token"' : 'Bearer');
    }
    http.reply(response, body, status);
  }

  private render(exception: unknown, request: HttpRequest): Rendered {
    if (exception instanceof ApiError) {
      return { status: exception.getStatus(), body: exception.body };
    }
    // body-parser's errors carry a `type`; Nest may wrap them, keeping the original as `cause`.
    const parserError = exception as { type?: unknown; cause?: { type?: unknown } } | null;
    const parserType = parserError?.type ?? parserError?.cause?.type;
    if (typeof parserType === 'string' && parserType in BODY_PARSER_ERRORS) {
      const { code, description } = BODY_PARSER_ERRORS[parserType];
      return this.of(code, description);
    }
    // Fastify's own refusals (FST_… codes) carry a 4xx statusCode.
    const refusal = exception as { code?: unknown; statusCode?: unknown } | null;
    if (
      typeof refusal?.code === 'string' &&
      refusal.code.startsWith('FST_') &&
      typeof refusal.statusCode === 'number' &&
      refusal.statusCode >= 400 &&
      refusal.statusCode < 500
    ) {
      return this.of(STATUS_CODES[refusal.statusCode] ?? 'invalid_request');
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = STATUS_CODES[status] ?? (status >= 500 ? 'internal_server_error' : 'invalid_request');
      if (status === HttpStatus.NOT_FOUND) {
        return this.of('not_found', `No route for ${request.method} ${requestPath(request)}.`);
      }
      return { status, body: { error: code, error_description: ERRORS[code].description } };
    }
    switch (prismaErrorCode(exception)) {
      case 'P2002':
        return this.of('already_exists');
      case 'P2025':
        return this.of('not_found');
    }
    if (isDatabaseUnavailable(exception)) return this.of('service_unavailable');
    return this.of('internal_server_error');
  }

  private of(code: ErrorCode, description?: string): Rendered {
    return {
      status: ERRORS[code].status,
      body: { error: code, error_description: description ?? ERRORS[code].description },
    };
  }
}
