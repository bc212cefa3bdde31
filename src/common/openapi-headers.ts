import type { OpenAPIObject } from '@nestjs/swagger';

type Header = { description: string; schema: { type: 'string' | 'integer'; example?: string | number } };
type Response = { description: string; headers?: Record<string, { $ref: string } | Header>; content?: unknown };

/** The headers callers read, once, as components: the operations refer to them. */
const HEADERS: Record<string, Header> = {
  'X-Request-Id': {
    description:
      "The request's id, as on the service's log lines: the caller's own X-Request-Id when it is short and plain, else a new one.",
    schema: { type: 'string', example: '9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f' },
  },
  'X-RateLimit-Limit': {
    description: 'Requests the caller may make in the current window (sent while the rate limit is on).',
    schema: { type: 'integer', example: 1000 },
  },
  'X-RateLimit-Remaining': {
    description: 'Requests left to the caller in the current window.',
    schema: { type: 'integer', example: 998 },
  },
  'X-RateLimit-Reset': {
    description: 'Seconds until the current window ends.',
    schema: { type: 'integer', example: 42 },
  },
  'Retry-After': {
    description: 'Seconds to wait before trying again.',
    schema: { type: 'integer', example: 42 },
  },
  'WWW-Authenticate': {
    description: 'The bearer challenge (RFC 6750): `Bearer`, or `Bearer error="invalid_token"` when a token was given and failed.',
    schema: { type: 'string', example: 'Bearer error="invalid_token"' },
  },
  'Idempotent-Replayed': {
    description: '`true` when this is the first answer to an earlier request with the same Idempotency-Key, replayed.',
    schema: { type: 'string', example: 'true' },
  },
};

const ref = (name: string) => ({ $ref: `#/components/headers/${name}` });
const EVERY_ANSWER = ['X-Request-Id', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'];

const TOO_MANY_REQUESTS: Response = {
  description: 'Too many requests from this caller in the current window: retry after `Retry-After` seconds.',
  content: {
    'application/json': {
      schema: { $ref: '#/components/schemas/Error' },
      example: { error: 'too_many_requests', error_description: 'Too many requests: retry later.' },
    },
  },
};

/**
 * Completes the document with what every route shares: the 429 of the rate
 * limit, and the response headers callers read — X-Request-Id and
 * X-RateLimit-* on every answer, Retry-After on 429,
 * WWW-Authenticate on 401, Idempotent-Replayed where an Idempotency-Key is
 * taken. The bearer scheme is a plain bearer token (macaroons, not JWTs).
 */
export function describeSharedResponses(document: OpenAPIObject): OpenAPIObject {
  document.components ??= {};
  document.components.headers = { ...document.components.headers, ...HEADERS };
  const bearer = document.components.securitySchemes?.bearer as { bearerFormat?: string } | undefined;
  if (bearer) delete bearer.bearerFormat;
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item) as { responses?: Record<string, Response>; parameters?: { name?: string }[] }[]) {
      if (!operation?.responses) continue;
      operation.responses['429'] ??= structuredClone(TOO_MANY_REQUESTS);
      const idempotent = operation.parameters?.some((p) => p.name === 'Idempotency-Key') ?? false;
      for (const [status, response] of Object.entries(operation.responses)) {
        const names = [...EVERY_ANSWER];
        if (status === '429') names.push('Retry-After');
        if (status === '401') names.push('WWW-Authenticate');
        if (idempotent && status.startsWith('2')) names.push('Idempotent-Replayed');
        response.headers = { ...response.headers, ...Object.fromEntries(names.map((name) => [name, ref(name)])) };
      }
    }
  }
  return document;
}
