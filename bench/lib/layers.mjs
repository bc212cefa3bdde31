import path from 'node:path';

/**
 * The layers a request's CPU is divided into, in the order a request meets
 * them. A function belongs to the layer of the file it is defined in; V8's
 * own work (the garbage collector, compiled code without a script) has
 * layers of its own.
 */
export const LAYERS = [
  'Node HTTP and sockets',
  'Fastify',
  'Nest routing and pipeline',
  'guard: rate limit',
  'guard: bearer authentication',
  'tokens (cache, caveats)',
  'access (policy)',
  'interceptors',
  'validation and transformation',
  'controller and service',
  'database: Prisma',
  'database: driver (pg / PGlite)',
  'logging',
  'response headers',
  'metrics',
  'serialisation (JSON)',
  'rxjs',
  'other libraries',
  'other Node internals',
  'garbage collection',
  'native: socket writes, microtasks, V8',
];

const byPackage = [
  [
    /\/node_modules\/(fastify|find-my-way|avvio|light-my-request|@fastify\/(?!helmet)[^/]+|fast-json-stringify|fast-querystring|fast-decode-uri-component|toad-cache|process-warning|abstract-logging|safe-regex2|ret|rfdc|proxy-addr|forwarded|ipaddr\.js|content-type|secure-json-parse|json-schema-ref-resolver|ajv[^/]*)\//,
    'Fastify',
  ],
  [/\/node_modules\/@nestjs\/platform-fastify\//, 'Fastify'],
  [/\/node_modules\/@nestjs\/throttler\//, 'guard: rate limit'],
  [/\/node_modules\/(@nestjs\/passport|passport|passport-http-bearer|passport-strategy)\//, 'guard: bearer authentication'],
  [/\/node_modules\/(macaroon|sjcl|tweetnacl|tweetnacl-util)\//, 'tokens (cache, caveats)'],
  [/\/node_modules\/@nestjs\/(core|common)\/pipes\//, 'validation and transformation'],
  [/\/node_modules\/@nestjs\//, 'Nest routing and pipeline'],
  [/\/node_modules\/(class-validator|class-transformer|validator|libphonenumber-js)\//, 'validation and transformation'],
  [/\/node_modules\/(@prisma\/client|@prisma\/client-runtime-utils|@prisma\/driver-adapter-utils|\.prisma)\//, 'database: Prisma'],
  [
    /\/node_modules\/(pg|pg-protocol|pg-pool|pg-types|pg-connection-string|postgres-[^/]+|@prisma\/adapter-pg|@electric-sql\/pglite|pglite-prisma-adapter|pgpass|split2)\//,
    'database: driver (pg / PGlite)',
  ],
  [
    /\/node_modules\/(pino|pino-http|pino-std-serializers|sonic-boom|thread-stream|fast-redact|on-exit-leak-free|atomic-sleep|quick-format-unescaped|safe-stable-stringify|fast-safe-stringify|get-caller-file)\//,
    'logging',
  ],
  [/\/node_modules\/(helmet|@fastify\/helmet)\//, 'response headers'],
  [/\/node_modules\/rxjs\//, 'rxjs'],
  [/\/node_modules\/(prom-client|@willsoto\/nestjs-prometheus|tdigest|bintrees)\//, 'metrics'],
  [/\/node_modules\//, 'other libraries'],
];

/** The service's own files, by folder or name (compiled to dist/). */
const byOwnFile = [
  [/\/auth\/rate-limit|window-counter/, 'guard: rate limit'],
  [/\/auth\//, 'guard: bearer authentication'],
  [/\/tokens\//, 'tokens (cache, caveats)'],
  [/\/access\//, 'access (policy)'],
  [/\/generated\//, 'database: Prisma'],
  [/interceptor/, 'interceptors'],
  [/\/common\/validation\/|\.dto\.js$|body-parsing/, 'validation and transformation'],
  [/\/logging\/|logged-url/, 'logging'],
  [/security-headers|helmet/, 'response headers'],
  [/\/observability\//, 'metrics'],
  [/\/database\/(driver|prepared-query)\.js$/, 'database: driver (pg / PGlite)'],
  [/\/database\//, 'database: Prisma'],
  [/repository\.js$/, 'database: Prisma'],
  [/./, 'controller and service'],
];

function layerOf(frame, root) {
  const { url, functionName } = frame;
  if (!url) {
    if (functionName === '(garbage collector)') return 'garbage collection';
    if (functionName === '(idle)') return null;
    if (/^(stringify|parse|JSONSerialize|JsonStringify)/i.test(functionName)) return 'serialisation (JSON)';
    return 'native: socket writes, microtasks, V8';
  }
  if (url.startsWith('node:')) {
    if (
      /^node:(_http|http|net|internal\/(http|streams|net|stream_base|js_stream|tcp_wrap|dns|url|timers|async_hooks|process\/task_queues))/.test(
        url,
      )
    ) {
      return 'Node HTTP and sockets';
    }
    return 'other Node internals';
  }
  const file = url.replace(/^file:\/\//, '');
  for (const [pattern, layer] of byPackage) if (pattern.test(file)) return layer;
  const own = path.relative(root, file);
  if (!own.startsWith('..')) for (const [pattern, layer] of byOwnFile) if (pattern.test(`/${own.replace(/^dist\//, '')}`)) return layer;
  return 'other libraries';
}

/**
 * Self time of each layer (µs) between `from` and `to` (the monotonic clock,
 * µs), the busy time in all, and the heaviest functions.
 */
export function attribute(profile, root, { from, to }) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfOf = new Map();
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i += 1) {
    const delta = profile.timeDeltas[i] ?? 0;
    t += delta;
    if (t < from || t > to) continue;
    const id = profile.samples[i];
    // A sample stands for the interval up to the next one.
    const next = profile.timeDeltas[i + 1] ?? delta;
    selfOf.set(id, (selfOf.get(id) ?? 0) + next);
  }
  const layers = {};
  const functions = new Map();
  let busy = 0;
  for (const [id, self] of selfOf) {
    const { callFrame } = nodes.get(id);
    const layer = layerOf(callFrame, root);
    if (layer === null) continue;
    busy += self;
    layers[layer] = (layers[layer] ?? 0) + self;
    const where = callFrame.url
      ? `${callFrame.url.replace(/^.*\/node_modules\//, '').replace(`file://${root}/`, '')}:${callFrame.lineNumber + 1}`
      : '';
    const name = `${callFrame.functionName || '(anonymous)'} ${where}`.trim();
    const f = functions.get(name) ?? { name, layer, self: 0 };
    f.self += self;
    functions.set(name, f);
  }
  return { busy, layers, functions: [...functions.values()].sort((a, b) => b.self - a.self) };
}
