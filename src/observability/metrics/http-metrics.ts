import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AbstractHttpAdapter } from '@nestjs/core';
import type { DurationHistogram, DurationSeries } from './duration-histogram.js';

/** The route of a request that matched none (a 404 on an unknown path): one label value, whatever the path. */
const UNMATCHED = 'unmatched';

/**
 * Request durations by route template (`/api/v3/onezone/spaces/:id`, never
 * the path itself) and status, and the requests in flight, from the HTTP
 * platform's own end-of-request hook: on Fastify an onRequest and an
 * onResponse hook, on Express one middleware listening for the answer's end.
 * Per request that is two additions to a plain count (the in-flight gauge
 * reads it when scraped), and one histogram observation through a child kept
 * per (route, method, status), found through maps without building a key.
 */
export function measureRequests(adapter: AbstractHttpAdapter, duration: DurationHistogram): void {
  const byRoute = new Map<string, Map<string, Map<number, DurationSeries>>>();
  const observe = (method: string, route: string, status: number, seconds: number) => {
    let byMethod = byRoute.get(route);
    if (!byMethod) byRoute.set(route, (byMethod = new Map<string, Map<number, DurationSeries>>()));
    let byStatus = byMethod.get(method);
    if (!byStatus) byMethod.set(method, (byStatus = new Map<number, DurationSeries>()));
    let series = byStatus.get(status);
    if (!series) byStatus.set(status, (series = duration.labels(method, route, String(status))));
    series.observe(seconds);
  };
  switch (adapter.getType()) {
    case 'fastify':
      return onFastify(adapter.getInstance(), observe);
    case 'express':
      return onExpress(adapter.getInstance(), observe);
  }
}

type Observe = (method: string, route: string, status: number, seconds: number) => void;

/** The requests being served in this process, by every application that measures them. */
let inFlight = 0;

/** What the `http_requests_in_flight` gauge shows when scraped. */
export function requestsInFlight(): number {
  return inFlight;
}

function closed(): void {
  inFlight--;
}

interface FastifyRequest {
  method: string;
  routeOptions: { url?: string };
}
interface FastifyReply {
  statusCode: number;
  elapsedTime: number;
  raw: ServerResponse;
}
type Done = () => void;
interface FastifyApp {
  addHook(name: 'onRequest' | 'onResponse', hook: (request: FastifyRequest, reply: FastifyReply, done: Done) => void): void;
}

/**
 * A request counts in flight from the onRequest hook until its response
 * closes: once it is answered, or when its client goes away first (which
 * leaves no onResponse). The listener is one function for every response, so
 * it holds nothing of the request: Fastify's own onRequestAbort hook would add
 * a closure over the request and its reply to each one, which keeps them alive
 * past the young generation's collections and doubled the garbage collector's
 * time on the service's reads. A request answered by an earlier onRequest hook
 * (a 503 while closing) is timed but never counted.
 */
function onFastify(fastify: FastifyApp, observe: Observe): void {
  fastify.addHook('onRequest', (_request, reply, done) => {
    inFlight++;
    reply.raw.on('close', closed);
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    observe(request.method, request.routeOptions.url ?? UNMATCHED, reply.statusCode, reply.elapsedTime / 1000);
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

function onExpress(app: ExpressApp, observe: Observe): void {
  app.use((req, res, next) => {
    const start = process.hrtime.bigint();
    inFlight++;
    res.once('close', () => {
      inFlight--;
      const route = typeof req.route?.path === 'string' ? `${req.baseUrl ?? ''}${req.route.path}` : UNMATCHED;
      observe(req.method ?? 'GET', route, res.statusCode, Number(process.hrtime.bigint() - start) / 1e9);
    });
    next();
  });
}
