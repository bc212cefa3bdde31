import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { INestApplication } from '@nestjs/common';
import helmet, { type HelmetOptions } from 'helmet';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import fastifyCors, { type FastifyCorsOptions } from '@fastify/cors';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { registerJsonBodies } from './common/body-parsing.js';
import { DEADLINE_BODY, DEADLINE_KEPT } from './common/request-deadline.js';
import { ErrorDto } from './common/error.dto.js';
import { describeSharedResponses } from './common/openapi-headers.js';
import { APP_CONFIG } from './config/config.module.js';
import type { AppConfig } from './config/environment.js';
import { JsonLogger } from './logging/json-logger.js';
import { HTTP_LOGGER } from './logging/logging.module-definition.js';
import { logEveryRequest } from './logging/request-logger.js';
import type { HttpLogger } from './logging/access-log.js';

export function buildOpenApiDocument(app: INestApplication, config: AppConfig): OpenAPIObject {
  const options = new DocumentBuilder()
    .setTitle('Spaces service')
    .setDescription(
      'Create and share spaces, and support them with storage providers, following the ' +
        'Onezone REST API. Authenticate with an access token as `Authorization: Bearer <token>` ' +
        'or `X-Auth-Token: <token>`. Every error has the `Error` body.',
    )
    .setVersion('3')
    .setLicense('Apache-2.0', 'https://www.apache.org/licenses/LICENSE-2.0')
    .addServer(config.API_PREFIX || '/', 'This service')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An access token (or the admin token).' })
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Auth-Token', description: 'An access token.' }, 'X-Auth-Token')
    .build();
  return describeSharedResponses(
    SwaggerModule.createDocument(app, options, {
      extraModels: [ErrorDto],
      ignoreGlobalPrefix: true,
      operationIdFactory: (_controller, method) => method,
    }),
  );
}

/**
 * Requests the HTTP parser refuses (headers over Node's limit, malformed
 * HTTP) still get an error body.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const body = JSON.stringify({
    error: 'invalid_request',
    error_description: tooLarge ? 'The request headers are too large.' : 'The request is not valid HTTP.',
  });
  socket.end(
    `HTTP/1.1 ${tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** TRUST_PROXY as Fastify takes it: a boolean, a number of hops, or a list of addresses. */
function trustedProxies(value: string): boolean | string | ((address: string, hop: number) => boolean) {
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return (_address, hop) => hop < hops;
  }
  return value.replace(/\s+/g, '');
}

/**
 * REQUEST_DEADLINE_SECONDS over the whole request, guards included (the
 * bearer token's row, the rate limit's store): a request not answered by then
 * gets 503 service_unavailable with Retry-After. Its work is not cancelled
 * (see RequestDeadline, which leaves such a request to this hook); its late
 * answer is dropped.
 */
function answerByDeadline(fastify: FastifyInstance, seconds: number): void {
  if (seconds <= 0) return;
  const timers = new WeakMap<object, NodeJS.Timeout>();
  fastify.addHook('onRequest', (request, reply, done) => {
    (request.raw as IncomingMessage & { [DEADLINE_KEPT]?: true })[DEADLINE_KEPT] = true;
    const timer = setTimeout(() => {
      if (reply.sent || reply.raw.headersSent) return;
      void reply.code(503).header('Retry-After', '1').type('application/json; charset=utf-8').send(DEADLINE_BODY);
    }, seconds * 1000);
    timer.unref();
    timers.set(request, timer);
    done();
  });
  fastify.addHook('onResponse', (request, _reply, done) => {
    clearTimeout(timers.get(request));
    done();
  });
}

/** An X-Request-Id a client or a proxy may set: kept when it is short and plain, else replaced. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** A request's id (on its log lines, echoed as X-Request-Id): the caller's X-Request-Id when usable, else a new UUID. */
export function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * What every answer carries, set by one hook (one call a request, where a
 * hook each would cost the same again in Fastify's hook runner):
 *
 * - its request id, as X-Request-Id;
 * - helmet's security headers. The headers that make a browser use HTTPS
 *   from then on (Strict-Transport-Security, and the CSP's
 *   upgrade-insecure-requests) go only on answers to requests that came over
 *   HTTPS, directly or through a trusted proxy (TRUST_PROXY): sent over plain
 *   HTTP, they break Swagger UI for anyone reaching it from another machine.
 *   Cross-Origin-Opener-Policy too, which browsers ignore there. The headers
 *   depend on nothing in the request, so helmet runs once per variant, at
 *   start, and each answer gets the result through Fastify's own headers
 *   (with the rest of them, in one write of the head, rather than each set on
 *   Node's response and then merged with Fastify's);
 * - once the application is closing (SIGTERM), a request arriving on a
 *   connection that is still open is answered 503 with `Connection: close`
 *   here, before anything else of it runs: the requests in flight finish, and
 *   no new work starts.
 */
function answerHeaders(fastify: FastifyInstance): void {
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  const shuttingDown = JSON.stringify({
    error: 'service_unavailable',
    error_description: 'The service is shutting down: retry later.',
  });
  // Callers are web clients on other origins: CORS decides who reads what.
  const crossOriginResourcePolicy = { policy: 'cross-origin' as const };
  const overHttps = helmetHeaders({ crossOriginResourcePolicy });
  const overHttp = helmetHeaders({
    crossOriginResourcePolicy,
    strictTransportSecurity: false,
    // Browsers ignore it on an origin that is not HTTPS (or loopback), with a console error.
    crossOriginOpenerPolicy: false,
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('X-Request-Id', request.id).headers(request.protocol === 'https' ? overHttps : overHttp);
    if (!closing) return done();
    void reply.code(503).header('Connection', 'close').type('application/json; charset=utf-8').send(shuttingDown);
  });
}

/** The headers helmet sets with these options (none of them depends on the request: no option here is a function). */
function helmetHeaders(options: HelmetOptions): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: unknown) {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let finished = false;
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error instanceof Error ? error : new Error('helmet could not set its headers');
    finished = true;
  });
  if (!finished) throw new Error('helmet did not set its headers at once');
  return Object.freeze(headers);
}

/** Headers a browser script may read from an answer. */
const EXPOSED_HEADERS = [
  'Location',
  'Idempotent-Replayed',
  'WWW-Authenticate',
  'Retry-After',
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
  'X-RateLimit-Reset',
  'X-Request-Id',
];

/**
 * CORS_ORIGINS: any origin without credentials (as Onezone does), or the
 * listed origins. Tokens travel in headers, never in cookies, so credentials
 * mode is never needed.
 */
function corsOptions(origins: string): FastifyCorsOptions {
  return {
    origin: origins === '*' ? '*' : origins.split(',').map((origin) => origin.trim()),
    credentials: false,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: 600,
  };
}

/**
 * CORS, as the first of the server's request hooks after the access log's: a
 * preflight is answered before anything else runs, and every answer (errors,
 * 404s and the 503s of a shutdown included) carries the headers. Registered on Fastify directly
 * rather than through Nest's `enableCors()`, which copies the CORS headers of
 * each answer onto Node's response as well (for answers that Nest middleware
 * ends itself; the service runs none): a response with headers set there
 * makes Node merge every header of Fastify's into its own, one `setHeader`
 * at a time, before it writes the head.
 */
async function allowOrigins(fastify: FastifyInstance, origins: string): Promise<void> {
  await fastify.register(fastifyCors, corsOptions(origins));
}

/**
 * The HTTP adapter main.ts and the e2e tests run on. Fastify: the HTTP
 * stack's own cost per request is about half of Express's (see the README's
 * Performance section).
 */
export function createHttpAdapter(config: Pick<AppConfig, 'TRUST_PROXY'>): FastifyAdapter {
  return new FastifyAdapter({
    clientErrorHandler: answerClientError,
    requestIdHeader: false,
    genReqId: requestId,
    // Answered by refuseWhileClosing instead, with the Error body.
    return503OnClosing: false,
    // No Nest middleware runs in the service (requests are logged by a hook of
    // the server's, logEveryRequest): @fastify/middie, which would run it, is
    // left out of every request.
    skipMiddie: true,
    trustProxy: trustedProxies(config.TRUST_PROXY),
    // `/spaces/` is `/spaces`, as clients written against Onezone expect.
    routerOptions: { ignoreTrailingSlash: true },
  });
}

/**
 * App-wide set-up shared by main.ts and the e2e tests: body parsing, the
 * prefix and Swagger. Initialises the application; call listen() next.
 */
export async function configureApp(app: NestFastifyApplication): Promise<void> {
  const config = app.get<AppConfig>(APP_CONFIG);
  app.useLogger(app.get(JsonLogger));
  const fastify = app.getHttpAdapter().getInstance();
  // First, so that every request is logged: preflights answered by CORS and the 503s of a shutdown too.
  logEveryRequest(fastify, app.get<HttpLogger>(HTTP_LOGGER));
  await allowOrigins(fastify, config.CORS_ORIGINS);
  registerJsonBodies(fastify);
  answerHeaders(fastify);
  answerByDeadline(fastify, config.REQUEST_DEADLINE_SECONDS ?? 0);
  if (config.API_PREFIX) app.setGlobalPrefix(config.API_PREFIX, { exclude: ['health', 'health/live', 'health/ready', 'docs', 'metrics'] });

  const document = buildOpenApiDocument(app, config);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs/openapi.json',
    yamlDocumentUrl: 'docs/openapi.yaml',
    customSiteTitle: 'Spaces service API',
    swaggerOptions: { persistAuthorization: true },
  });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
}
