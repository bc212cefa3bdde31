import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { Logger } from '@nestjs/common';
import { pino } from 'pino';
import { createHttpLogger, pinoAccessLine, writeAccessLine } from './access-log.js';
import { JsonLogger } from './json-logger.js';
import { withRequestLog } from '../common/log-context.js';
import { logRequests } from './request-logger.js';

type Line = Record<string, unknown> & { req?: { id?: string; headers?: Record<string, string> } };

/** The service's logger writing to memory, and Nest's Logger sent through it. */
function capture(level: 'trace' | 'info' = 'trace') {
  const lines: Line[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(text) as Line);
      done();
    },
  });
  const http = createHttpLogger(level, destination);
  Logger.overrideLogger(new JsonLogger(http));
  return { lines, http };
}

/** The lines the service's logger writes, as text. */
function rawCapture(level: 'info' | 'warn' = 'info') {
  const texts: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      texts.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { texts, logger: createHttpLogger(level, destination).logger };
}

afterEach(() => Logger.overrideLogger(false));

describe('JsonLogger', () => {
  it("writes Nest's logs as JSON lines: level, time, context, msg", () => {
    const { lines } = capture();
    new Logger('TokensService').debug('bearer token rejected: malformed');
    new Logger('Idempotency').warn('Purging failed');
    Logger.log('Nest application successfully started', 'NestApplication');
    expect(lines).toEqual([
      expect.objectContaining({ level: 20, time: expect.any(Number), context: 'TokensService', msg: 'bearer token rejected: malformed' }),
      expect.objectContaining({ level: 40, context: 'Idempotency', msg: 'Purging failed' }),
      expect.objectContaining({ level: 30, context: 'NestApplication', msg: 'Nest application successfully started' }),
    ]);
  });

  it("keeps an object's fields, an error as err, a stack trace as err, and redacts token fields", () => {
    const { lines } = capture();
    const logger = new Logger('Errors');
    logger.error({ err: new Error('db down'), method: 'GET', url: '/spaces' }, '500 internal_error on GET /spaces');
    logger.error(new Error('thrown'));
    Logger.error('Unexpected', 'Error: Unexpected\n    at handler (app.js:1:1)', 'ExceptionsHandler');
    logger.log({ token: 'secret-token', name: 'x' }, 'created');
    expect(lines[0]).toMatchObject({
      level: 50,
      context: 'Errors',
      method: 'GET',
      url: '/spaces',
      msg: '500 internal_error on GET /spaces',
      err: { type: 'Error', message: 'db down', stack: expect.stringContaining('db down') },
    });
    expect(lines[1]).toMatchObject({ level: 50, context: 'Errors', err: { message: 'thrown' } });
    expect(lines[2]).toMatchObject({
      level: 50,
      context: 'ExceptionsHandler',
      err: { message: 'Unexpected', stack: 'Error: Unexpected\n    at handler (app.js:1:1)' },
    });
    expect(lines[3]).toMatchObject({ token: '[redacted]', name: 'x', msg: 'created' });
    expect(JSON.stringify(lines)).not.toContain('secret-token');
  });

  it('logs each request once, and every line logged while serving it carries the request and its id', async () => {
    const { lines, http } = capture();
    const middleware = logRequests(http);
    const server = createServer((req, res) => {
      (req as typeof req & { id?: string }).id = req.headers['x-request-id'] as string; // the HTTP adapter's request id
      middleware(req, res, () => {
        setImmediate(() => {
          new Logger('TokensService').debug('bearer token rejected: malformed');
          res.statusCode = req.url === '/fails' ? 500 : 401;
          res.end();
        });
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      for (const [id, path] of [
        ['one', '/spaces?access_token=abc'],
        ['two', '/fails'],
      ]) {
        const res = await fetch(`${base}${path}`, {
          headers: { 'X-Request-Id': id, Authorization: 'Bearer t0ken', Cookie: 'session=c00kie' },
        });
        await res.arrayBuffer();
      }
    } finally {
      server.close();
    }
    new Logger('NestApplication').log('outside any request');

    const debug = lines.filter((line) => line.msg === 'bearer token rejected: malformed');
    expect(debug.map((line) => line.req?.id)).toEqual(['one', 'two']);
    expect(lines.filter((line) => line.msg === 'request completed')).toEqual([
      expect.objectContaining({
        level: 30,
        req: expect.objectContaining({ id: 'one', method: 'GET', url: '/spaces?access_token=[redacted]' }),
        res: { statusCode: 401 },
        responseTime: expect.any(Number),
      }),
    ]);
    expect(lines.filter((line) => line.msg === 'request errored')).toEqual([
      expect.objectContaining({ level: 50, req: expect.objectContaining({ id: 'two' }), res: { statusCode: 500 } }),
    ]);
    expect(lines.at(-1)).not.toHaveProperty('req');
    for (const line of lines.filter((line) => line.req)) expect(line.req!.headers).toMatchObject({ authorization: '[redacted]' });
    expect(JSON.stringify(lines)).not.toMatch(/t0ken|c00kie|abc/);
  });

  it('at info, where requests are not tracked through their promises, the lines the error filter logs still carry their request', async () => {
    const { lines, http } = capture('info');
    const middleware = logRequests(http);
    const server = createServer((req, res) => {
      (req as typeof req & { id?: string }).id = req.headers['x-request-id'] as string;
      middleware(req, res, () => {
        setImmediate(() => {
          withRequestLog(req, () => new Logger('Errors').error({ method: 'GET' }, '500 internal_error on GET /x'));
          new Logger('Elsewhere').warn('not about a request');
          res.statusCode = 500;
          res.end();
        });
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/x`, { headers: { 'X-Request-Id': 'three' } });
      await res.arrayBuffer();
    } finally {
      server.close();
    }
    expect(lines.find((line) => line.msg === '500 internal_error on GET /x')).toMatchObject({ context: 'Errors', req: { id: 'three' } });
    expect(lines.find((line) => line.msg === 'not about a request')).not.toHaveProperty('req');
    expect(lines.filter((line) => line.msg === 'request errored')).toHaveLength(1);
  });

  it('logs a request whose client went away before the answer once, without a status, and the middleware seeing it twice changes nothing', async () => {
    const { lines, http } = capture('info');
    let answer: (() => void) | undefined;
    const server = createServer((req, res) => {
      (req as typeof req & { id?: string }).id = 'gone';
      http(req, res);
      http(req, res, () => {
        answer = () => {
          res.statusCode = 500;
          res.end();
        };
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { request } = await import('node:http');
      const req = request(`http://127.0.0.1:${(server.address() as AddressInfo).port}/slow`);
      req.on('error', () => undefined);
      req.end();
      while (!answer) await new Promise((resolve) => setTimeout(resolve, 5));
      req.destroy();
      while (!lines.some((line) => line.req?.id === 'gone')) await new Promise((resolve) => setTimeout(resolve, 5));
      answer();
    } finally {
      server.close();
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(lines.filter((line) => line.req?.id === 'gone')).toEqual([
      expect.objectContaining({ level: 30, msg: 'request completed', res: { statusCode: null }, responseTime: expect.any(Number) }),
    ]);
  });

  it("a 5xx's access line is at error, with the status as its err", async () => {
    const { lines, http } = capture('info');
    const server = createServer((req, res) => {
      (req as typeof req & { id?: string }).id = 'failed';
      http(req, res, () => {
        res.statusCode = 503;
        res.end();
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      await (await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)).arrayBuffer();
    } finally {
      server.close();
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(lines.filter((line) => line.req?.id === 'failed')).toEqual([
      expect.objectContaining({
        level: 50,
        msg: 'request errored',
        req: expect.objectContaining({ method: 'GET', url: '/', remoteAddress: '127.0.0.1' }),
        res: { statusCode: 503 },
        err: expect.objectContaining({ type: 'Error', message: 'failed with status code 503' }),
      }),
    ]);
  });
});

describe('writeAccessLine', () => {
  const socket = { remoteAddress: '127.0.0.1' };
  const requests = [
    {
      id: 'a1',
      method: 'GET',
      url: '/spaces/abc',
      headers: { authorization: 'Bearer secret', 'user-agent': 'k6 "quoted" \u00e9\u2028' },
      socket,
    },
    {
      id: undefined,
      method: 'POST',
      url: '/user/spaces?token=abc&x=1',
      headers: { 'x-auth-token': 'secret', 'content-type': 'application/json', cookie: 'c=1' },
      socket,
    },
    {
      method: 'DELETE',
      url: `/spaces/${'x'.repeat(200)}`,
      headers: { 'x-forwarded-for': '10.0.0.1, 10.0.0.2', 'content-length': '12' },
      socket: {},
    },
    { id: 7, method: 'GET', url: undefined, headers: {}, socket: undefined },
  ];
  const responses = [
    { headersSent: true, statusCode: 200 },
    { headersSent: true, statusCode: 404 },
    { headersSent: false, statusCode: 200 },
  ];

  it('writes the info line as pino writes it from its fields: the same fields, values and order, and credentials redacted', () => {
    const { texts, logger } = rawCapture();
    for (const req of requests) {
      for (const res of responses) {
        writeAccessLine(logger, req as never, res as never, 3);
        pinoAccessLine(logger, req as never, res as never, 3);
      }
    }
    expect(texts).toHaveLength(requests.length * responses.length * 2);
    const withoutTime = (text: string) => text.replace(/"time":\d+,/, '');
    for (let i = 0; i < texts.length; i += 2) {
      expect(withoutTime(texts[i])).toBe(withoutTime(texts[i + 1]));
      expect(JSON.parse(texts[i])).toEqual(
        expect.objectContaining({ level: 30, time: expect.any(Number), msg: 'request completed', responseTime: 3 }),
      );
    }
    expect(texts.join('\n')).not.toContain('secret');
    expect(JSON.parse(texts[0])).toEqual(
      expect.objectContaining({
        pid: process.pid,
        req: {
          id: 'a1',
          method: 'GET',
          url: '/spaces/abc',
          remoteAddress: '127.0.0.1',
          headers: { authorization: '[redacted]', 'user-agent': 'k6 "quoted" \u00e9\u2028' },
        },
        res: { statusCode: 200 },
      }),
    );
  });

  it('writes nothing at warn, and a 5xx at error through pino', () => {
    const { texts, logger: quiet } = rawCapture('warn');
    writeAccessLine(quiet, requests[0] as never, responses[0] as never, 1);
    expect(texts).toEqual([]);
    writeAccessLine(quiet, requests[0] as never, { headersSent: true, statusCode: 502 } as never, 1);
    expect(texts).toHaveLength(1);
    expect(JSON.parse(texts[0])).toEqual(expect.objectContaining({ level: 50, msg: 'request errored', res: { statusCode: 502 } }));
  });
});

describe('writeAccessLine on a logger with settings of its own', () => {
  const req = {
    id: 'r1',
    method: 'GET',
    url: '/spaces/abc',
    headers: { authorization: 'Bearer secret' },
    socket: { remoteAddress: '127.0.0.1' },
  };
  const res = { headersSent: true, statusCode: 200 };

  it("keeps a mixin's fields (as tracing adds the trace's ids)", () => {
    const { texts, logger } = rawCapture();
    (logger as unknown as Record<symbol, unknown>)[pino.symbols.mixinSym] = () => ({ trace_id: 't1', span_id: 's1' });
    writeAccessLine(logger, req as never, res as never, 2);
    expect(JSON.parse(texts[0])).toEqual(
      expect.objectContaining({
        trace_id: 't1',
        span_id: 's1',
        msg: 'request completed',
        req: expect.objectContaining({ id: 'r1', headers: { authorization: '[redacted]' } }),
      }),
    );
  });

  it('gives a stream that reads the level from the logger (a multistream) the line through pino', () => {
    const { texts, logger } = rawCapture();
    const internals = logger as unknown as Record<symbol, unknown>;
    const received: { level: unknown; line: string }[] = [];
    const original = internals[pino.symbols.streamSym] as { write(line: string): unknown };
    const multistream = {
      [pino.symbols.needsMetadataGsym]: true,
      lastLevel: 0,
      write(line: string) {
        received.push({ level: this.lastLevel, line });
        original.write(line);
      },
    };
    internals[pino.symbols.streamSym] = multistream;
    writeAccessLine(logger, req as never, res as never, 2);
    expect(received).toHaveLength(1);
    expect(received[0].level).toBe(30);
    expect(JSON.parse(texts[0])).toEqual(expect.objectContaining({ level: 30, msg: 'request completed' }));
  });
});
