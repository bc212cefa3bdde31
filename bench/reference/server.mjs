/**
 * The raw stack the bench compares the service with: Node's own `http`
 * server and the database driver, sending the service's own statements for
 * `POST /user/spaces {name}` and `GET /spaces/{id}` (one prepared statement a
 * request, every argument and column as text), with nothing else — no
 * framework, no token lookup (one constant bearer stands for the
 * authenticated user), no validation beyond reading the name, no logging.
 * It answers as the service does: 201 with `Location` and no body, and 200
 * with the space's JSON.
 *
 * Started by bench/lib/reference.mjs with `fork`; its configuration comes in
 * the first IPC message: { statements, bearer, userId, poolSize, and either
 * databaseUrl (PostgreSQL: the service's database) and driver, or dataDir and
 * embeddedSettings (a PGlite database of its own, in this process) }. It
 * answers { port } once it listens, or { error }.
 *
 * On PostgreSQL, driver 'pg' (the default) sends each statement through
 * `pg`'s own prepared-statement query, as a plain Node stack would;
 * 'prepared' through the service's PreparedQuery (parsed once a connection,
 * described once a connection), to show how much of service / raw is that query's.
 */
import http from 'node:http';
import { newId } from '../../dist/common/ids.js'; // the service's ids (no dependencies)
import { PreparedQuery } from '../../dist/database/prepared-query.js'; // no dependencies either
import { openEmbedded } from '../lib/embedded.mjs';

const PREFIX = '/api/v3/onezone';
const SPACE_PATH = `${PREFIX}/spaces/`;
const CREATE_PATH = `${PREFIX}/user/spaces`;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Every column as the text PostgreSQL sent, as the service's Driver reads it. */
const asText = (value) => value;
const AS_TEXT = { getTypeParser: () => asText };

/**
 * A statement's arguments for one request, built as the service builds them:
 * `args` (from statements.mjs) gives each position's request slot or constant.
 */
function binder(args) {
  return (slots) => args.map((arg) => (arg.slot ? slots[arg.slot] : arg.value));
}

/** Runs a statement: { rows (arrays of text), count }. */
async function openDatabase(config) {
  if (config.databaseUrl) {
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({ connectionString: config.databaseUrl, max: config.poolSize, connectionTimeoutMillis: 5_000 });
    if (config.driver === 'prepared') {
      return {
        run: async ({ name, text }, values) => {
          const result = await pool.query(new PreparedQuery(name, text, values, true));
          return { rows: result.rows.map((row) => Object.values(row)), count: result.rowCount };
        },
        close: () => pool.end(),
      };
    }
    return {
      run: async ({ name, text }, values) => {
        const result = await pool.query({ name, text, values, rowMode: 'array', types: AS_TEXT });
        return { rows: result.rows, count: result.rowCount ?? 0 };
      },
      close: () => pool.end(),
    };
  }
  // PGlite has no named statements; the service's adapter sends the text each time, as here.
  const db = await openEmbedded(config.dataDir, config.embeddedSettings);
  await db.query('INSERT INTO users (id, name) VALUES ($1, $2) ON CONFLICT DO NOTHING', [config.userId, 'Bench user']);
  return {
    run: async ({ text }, values) => {
      const result = await db.query(text, values, { rowMode: 'array' });
      return { rows: result.rows, count: result.affectedRows ?? 0 };
    },
    close: () => db.close(),
  };
}

function send(res, status, body, headers = {}) {
  const payload = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    ...(body !== undefined && { 'content-type': 'application/json; charset=utf-8' }),
    'content-length': Buffer.byteLength(payload),
  });
  res.end(payload);
}

const error = (res, status, code, description) => send(res, status, { error: code, error_description: description });

async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
}

/** The space's JSON, as the service's toSpaceDto builds it from the loaded read's row. */
function spaceBody(row) {
  const [id, name, creatorType, creatorId, createdMs, description, organizationName, tags, advertised] = row;
  // The supports are the read's last column, whatever comes between.
  const supports = row[row.length - 1];
  const providers = {};
  for (const [providerId, size] of supports === null ? [] : JSON.parse(supports)) {
    const bytes = BigInt(size);
    providers[providerId] = bytes <= MAX_SAFE ? Number(bytes) : bytes.toString();
  }
  return {
    spaceId: id,
    name,
    description,
    organizationName,
    tags: JSON.parse(tags),
    advertisedInMarketplace: advertised === 'true',
    creator: { type: creatorType, id: creatorId },
    creationTime: Math.floor(Number(createdMs) / 1000),
    providers,
  };
}

async function serve(config) {
  const db = await openDatabase(config);
  const { create, read } = config.statements;
  const createArgs = binder(create.args);
  const readArgs = binder(read.args);
  const bearer = `Bearer ${config.bearer}`;
  const user = config.userId;

  const server = http.createServer(async (req, res) => {
    try {
      if (req.headers.authorization !== bearer) return error(res, 401, 'unauthorized', 'Authentication required.');
      if (req.method === 'POST' && req.url === CREATE_PATH) {
        const body = await readJson(req);
        if (typeof body?.name !== 'string') return error(res, 400, 'invalid_request', 'name must be a string.');
        const id = newId();
        await db.run(create, createArgs({ id, name: body.name, user }));
        return send(res, 201, undefined, { location: `${CREATE_PATH}/${encodeURIComponent(id)}` });
      }
      if (req.method === 'GET' && req.url.startsWith(SPACE_PATH)) {
        const space = decodeURIComponent(req.url.slice(SPACE_PATH.length));
        const { rows } = await db.run(read, readArgs({ space, user }));
        if (rows.length === 0) return error(res, 404, 'not_found', 'The resource could not be found.');
        return send(res, 200, spaceBody(rows[0]));
      }
      return error(res, 404, 'not_found', `No route for ${req.method} ${req.url}.`);
    } catch (failure) {
      console.error('reference server:', failure.message);
      return error(res, 500, 'internal_server_error', 'Internal server error.');
    }
  });
  server.keepAliveTimeout = 72_000; // Fastify's default, which the service keeps
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

  const stop = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await db.close();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('disconnect', stop);
  return server.address().port;
}

process.once('message', (config) => {
  serve(config).then(
    (port) => process.send({ port }),
    (failure) => process.send({ error: failure.stack ?? String(failure) }),
  );
});
