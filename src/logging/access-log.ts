import type { IncomingMessage, ServerResponse } from 'node:http';
import { type HttpLogger, pinoHttp } from 'pino-http';
import { loggedUrl } from '../common/logged-url.js';
import type { LogLevel } from '../config/environment.js';

/** Fields that may carry a token, redacted by pino wherever a log line has them. */
const REDACTED_PATHS = ['token', 'err.token', 'req.body.token'];

/** Headers an access line keeps; those that carry credentials are logged as present, never their value. */
const LOGGED_HEADERS = ['authorization', 'x-auth-token', 'user-agent', 'content-type', 'content-length', 'x-forwarded-for'];
const CREDENTIAL_HEADERS = new Set(['authorization', 'x-auth-token']);

/** A request as a log line shows it: its own fields and the headers worth reading (no cookies). */
function accessLogRequest(req: { id: unknown; method: string; url: string; remoteAddress?: string; headers: Record<string, unknown> }) {
  const headers: Record<string, unknown> = {};
  for (const name of LOGGED_HEADERS) {
    const value = req.headers[name];
    if (value !== undefined) headers[name] = CREDENTIAL_HEADERS.has(name) ? '[redacted]' : value;
  }
  return { id: req.id, method: req.method, url: loggedUrl(req.url), remoteAddress: req.remoteAddress, headers };
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
 * The service's one pino logger, with pino-http's middleware around it: one
 * access line per request, at `error` for a failure or a 5xx, else `info`.
 * Every line logged while serving a request carries the request, with its id
 * (req.id): the HTTP adapter's request id (see requestId in app.setup.ts).
 */
export function createHttpLogger(level: LogLevel, destination?: NodeJS.WritableStream): HttpLogger {
  return pinoHttp<IncomingMessage, ServerResponse, never>(
    {
      level,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: { req: accessLogRequest, res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }) },
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
    },
    destination,
  );
}
