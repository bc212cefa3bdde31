import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AbstractHttpAdapter } from '@nestjs/core';
import type { Gauge, Histogram } from 'prom-client';

type Labels = 'method' | 'route' | 'status_code';

/** The route of a request that matched none (a 404 on an unknown path): one label value, whatever the path. */
const UNMATCHED = 'unmatched';

/**
 * Request durations by route template (`/api/v3/onezone/spaces/:id`, never
 * the path itself) and status, and the requests in flight, from the HTTP
 * platform's own end-of-request hook: on Fastify an onRequest and an
 * onResponse hook, on Express one middleware listening for the answer's end.
 * Per request that is a gauge change, and one histogram observation through a
 * child kept per (method, route, status).
 */
export function measureRequests(adapter: AbstractHttpAdapter, duration: Histogram<Labels>, inFlight: Gauge): void {
  const children = new Map<string, Histogram.Internal<Labels>>();
  const observe = (method: string, route: string, status: number, seconds: number) => {
    const key = `${method} ${status} ${route}`;
    let child = children.get(key);
    if (!child) children.set(key, (child = duration.labels(method, route, String(status))));
    child.observe(seconds);
  };
  switch (adapter.getType()) {
    case 'fastify':
      return onFastify(adapter.getInstance(), observe, inFlight);
    case 'express':
      return onExpress(adapter.getInstance(), observe, inFlight);
  }
}

type Observe = (method: string, route: string, status: number, seconds: number) => void;

interface FastifyRequest {
  method: string;
  routeOptions: { url?: string };
  raw: IncomingMessage;
}
interface FastifyReply {
  statusCode: number;
  elapsedTime: number;
}
type Done = () => void;
interface FastifyApp {
  addHook(name: 'onRequest', hook: (request: FastifyRequest, reply: FastifyReply, done: Done) => void): void;
  addHook(name: 'onResponse', hook: (request: FastifyRequest, reply: FastifyReply, done: Done) => void): void;
  addHook(name: 'onRequestAbort', hook: (request: FastifyRequest, done: Done) => void): void;
}

/**
 * On a request while it counts in flight: set by the onRequest hook, cleared
 * when it is answered or its client goes away first. A request answered by an
 * earlier onRequest hook (a 503 while closing) is timed but never counted.
 */
const IN_FLIGHT = Symbol('metricsInFlight');
type CountedRequest = IncomingMessage & { [IN_FLIGHT]?: boolean };

function onFastify(fastify: FastifyApp, observe: Observe, inFlight: Gauge): void {
  const settle = (request: FastifyRequest): void => {
    const raw = request.raw as CountedRequest;
    if (!raw[IN_FLIGHT]) return;
    raw[IN_FLIGHT] = false;
    inFlight.dec();
  };
  fastify.addHook('onRequest', (request, _reply, done) => {
    (request.raw as CountedRequest)[IN_FLIGHT] = true;
    inFlight.inc();
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    settle(request);
    observe(request.method, request.routeOptions.url ?? UNMATCHED, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
  // A client that closes before its answer leaves no onResponse.
  fastify.addHook('onRequestAbort', (request, done) => {
    settle(request);
    done();
  });
}

interface ExpressRequest extends IncomingMessage {
  baseUrl?: string;
  route?: { path?: unknown };
}
interface ExpressApp {
  use(handler: (req: ExpressRequest, res: ServerResponse, next: () => void) => void): void;
}

function onExpress(app: ExpressApp, observe: Observe, inFlight: Gauge): void {
  app.use((req, res, next) => {
    const start = process.hrtime.bigint();
    inFlight.inc();
    res.once('close', () => {
      inFlight.dec();
      const route = typeof req.route?.path === 'string' ? `${req.baseUrl ?? ''}${req.route.path}` : UNMATCHED;
      observe(req.method ?? 'GET', route, res.statusCode, Number(process.hrtime.bigint() - start) / 1e9);
    });
    next();
  });
}
