import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Logger, pino } from 'pino';
import { loggedUrl } from '../common/logged-url.js';
import type { LogLevel } from '../config/environment.js';

/** Fields that may carry a token, redacted by pino wherever a log line has them. */
const REDACTED_PATHS = ['token', 'err.token', 'req.body.token'];

/** Headers an access line keeps; those that carry credentials are logged as present, never their value. */
const LOGGED_HEADERS = ['authorization', 'x-auth-token', 'user-agent', 'content-type', 'content-length', 'x-forwarded-for'];
const CREDENTIAL_HEADERS = new Set(['authorization', 'x-auth-token']);

/** A request as a log line shows it: its own fields and the headers worth reading (no cookies). */
function accessLogRequest(req: IncomingMessage & { id?: unknown }) {
  const headers: Record<string, unknown> = {};
  for (const name of LOGGED_HEADERS) {
    const value = req.headers[name];
    if (value !== undefined) headers[name] = CREDENTIAL_HEADERS.has(name) ? '[redacted]' : value;
  }
  return { id: req.id, method: req.method, url: loggedUrl(req.url ?? ''), remoteAddress: req.socket?.remoteAddress, headers };
}

/** A response as a log line shows it: its status, once one was sent (null for a client gone before it). */
function accessLogResponse(res: ServerResponse) {
  return { statusCode: res.headersSent ? res.statusCode : null };
}

/**
 * Coloured, human-readable lines (pino-pretty), written synchronously so that
 * nothing is lost at exit; JSON (undefined) when pino-pretty is not installed.
 */
export async function prettyStream(): Promise<NodeJS.WritableStream | undefined> {
  try {
    const { default: pretty } = await import('pino-pretty');
    return pretty({
      colorize: true,
      sync: true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname,context',
      messageFormat: '{if context}[{context}] {end}{msg}',
    });
  } catch {
    process.stderr.write('LOG_FORMAT=pretty needs the pino-pretty package: logging JSON lines instead.\n');
    return undefined;
  }
}

/**
 * The service's one pino logger and its access log: `http(req, res, next)`
 * starts a request's access line, written once its response is done. Every
 * line logged while serving a request carries the request, with its id
 * (req.id): the HTTP adapter's request id (see requestId in app.setup.ts).
 */
export type HttpLogger = ((req: IncomingMessage, res: ServerResponse, next?: () => void) => void) & { readonly logger: Logger };

const STARTED = Symbol('accessLogStarted');
const REQUEST = Symbol('accessLogRequest');
const REQUEST_LOGGER = Symbol('requestLogger');

type TrackedRequest = IncomingMessage & { id?: unknown; [STARTED]?: true; [REQUEST_LOGGER]?: Logger };
type TrackedResponse = ServerResponse & { [STARTED]?: number; [REQUEST]?: TrackedRequest };

type PinoInternals = Record<symbol, unknown>;
const { streamSym: STREAM, chindingsSym: CHINDINGS } = pino.symbols;

/** A logger as createHttpLogger makes it, to tell its settings from those something else put on a logger. */
const PLAIN = pino({}, { write: () => undefined }) as unknown as PinoInternals;
const PLAIN_FORMATTERS = PLAIN[pino.symbols.formattersSym] as Record<string, unknown>;
const NEEDS_METADATA = pino.symbols.needsMetadataGsym;
const MSG_PREFIX = (pino.symbols as unknown as Record<string, symbol>).msgPrefixSym;

/**
 * Whether the logger writes a line exactly as writeAccessLine puts it
 * together: no mixin (OpenTelemetry's adds the trace's ids), no hooks,
 * pino's own formatters, time and message key, and a stream that does not
 * read the line's level from the logger (as pino's multistream does, which
 * OpenTelemetry's log sending puts in front of the stream).
 */
function writesPlainLines(internals: PinoInternals): boolean {
  const formatters = internals[pino.symbols.formattersSym] as Record<string, unknown>;
  const hooks = internals[pino.symbols.hooksSym] as { logMethod?: unknown; streamWrite?: unknown };
  const stream = internals[STREAM] as Record<symbol, unknown>;
  return (
    internals[pino.symbols.mixinSym] === undefined &&
    hooks.logMethod === undefined &&
    hooks.streamWrite === undefined &&
    formatters.level === PLAIN_FORMATTERS.level &&
    formatters.bindings === PLAIN_FORMATTERS.bindings &&
    formatters.log === PLAIN_FORMATTERS.log &&
    internals[pino.symbols.timeSym] === PLAIN[pino.symbols.timeSym] &&
    internals[pino.symbols.messageKeySym] === 'msg' &&
    internals[MSG_PREFIX] === undefined &&
    stream[NEEDS_METADATA] !== true
  );
}

/** writesPlainLines for each logger, worked out once: a logger's settings and stream are fixed when it is made. */
const PLAIN_LINES = new WeakMap<Logger, boolean>();

function plainLines(logger: Logger): boolean {
  let plain = PLAIN_LINES.get(logger);
  if (plain === undefined) PLAIN_LINES.set(logger, (plain = writesPlainLines(logger as unknown as PinoInternals)));
  return plain;
}

/**
 * A request's access line: `request completed` at `info`, or `request
 * errored` at `error` for a 5xx, with the request, the response's status and
 * the milliseconds it took.
 *
 * The `info` line, one for nearly every request, is put together here (on a
 * logger with pino's own settings; any other writes it through pino), the
 * way pino would write it (its level, time and bindings, then the fields in
 * order; a spec compares the two): its fields are known, so that one call of
 * JSON.stringify replaces pino's walk over them with its serializers, its
 * redaction (the line holds no field it redacts) and its safe stringify.
 */
export function writeAccessLine(logger: Logger, req: IncomingMessage, res: ServerResponse, responseTime: number): void {
  if (res.statusCode >= 500) {
    logger.error({ req, res, err: new Error(`failed with status code ${res.statusCode}`), responseTime }, 'request errored');
  } else if (!plainLines(logger)) {
    pinoAccessLine(logger, req, res, responseTime);
  } else if (logger.isLevelEnabled('info')) {
    const internals = logger as unknown as PinoInternals;
    const stream = internals[STREAM] as { write(line: string): unknown };
    stream.write(
      `{"level":${logger.levels.values.info},"time":${Date.now()}${internals[CHINDINGS] as string},` +
        `"req":${JSON.stringify(accessLogRequest(req))},"res":{"statusCode":${accessLogResponse(res).statusCode}},` +
        `"responseTime":${responseTime},"msg":"request completed"}\n`,
    );
  }
}

/** The access line as pino writes it from its fields: on a logger with settings of its own, and in the spec that compares the two. */
export function pinoAccessLine(logger: Logger, req: IncomingMessage, res: ServerResponse, responseTime: number): void {
  logger.info({ req, res, responseTime }, 'request completed');
}

/** Whether the access log has seen the request (its line will be written when its response is done). */
export function isLogged(req: IncomingMessage): boolean {
  return (req as TrackedRequest)[STARTED] === true;
}

/**
 * The logger bound to a request, made the first time a line about it is
 * logged: most requests log nothing but their access line.
 */
export function loggerOf(http: HttpLogger, req: IncomingMessage): Logger {
  const tracked = req as TrackedRequest;
  return (tracked[REQUEST_LOGGER] ??= http.logger.child({ req }));
}

/**
 * The service's one pino logger, with its access log around it: one line per
 * request, written when its response is done (answered, or its client gone),
 * listened to with one function for every response, so that a request's
 * logging holds no closure of its own.
 */
export function createHttpLogger(level: LogLevel, destination?: NodeJS.WritableStream): HttpLogger {
  const logger = pino(
    {
      level,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: { req: accessLogRequest, res: accessLogResponse, err: pino.stdSerializers.err },
    },
    destination as pino.DestinationStream | undefined,
  );
  function done(this: TrackedResponse): void {
    const req = this[REQUEST];
    if (req === undefined) return;
    this[REQUEST] = undefined;
    writeAccessLine(logger, req, this, Date.now() - this[STARTED]!);
  }
  const http = (req: IncomingMessage, res: ServerResponse, next?: () => void): void => {
    const tracked = res as TrackedResponse;
    if ((req as TrackedRequest)[STARTED] === undefined) {
      (req as TrackedRequest)[STARTED] = true;
      tracked[STARTED] = Date.now();
      tracked[REQUEST] = req;
      res.on('close', done);
    }
    next?.();
  };
  return Object.assign(http, { logger });
}
