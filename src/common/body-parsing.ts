import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import secureJson from 'secure-json-parse';
import { ApiError } from './api-error.js';
import type { HttpRequest } from './http-request.js';

/** The largest request body accepted, once decoded. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/** Content-Encodings a body may arrive in, with their decoders. */
const DECODERS: Record<string, (() => NodeJS.ReadWriteStream) | null> = {
  identity: null,
  gzip: createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

/** The body faults, as the feature answers them (also for a host's parser: see host-body-faults.ts). */
export const FAULTS = {
  notJson: () => new ApiError('unsupported_media_type'),
  charset: () => new ApiError('unsupported_media_type', 'The request body must be UTF-8 encoded JSON.'),
  encoding: () => new ApiError('unsupported_media_type', 'The request body has an unsupported Content-Encoding.'),
  tooLarge: () => new ApiError('payload_too_large'),
  notWhole: () => ApiError.invalidRequest('The request body was not received whole.'),
  undecodable: () => ApiError.invalidRequest('The request body could not be decoded.'),
  notJsonText: () => ApiError.invalidRequest('The request body is not valid JSON.'),
  tooDeep: () => ApiError.invalidRequest(`The request body nests deeper than ${MAX_DEPTH} levels.`),
  poisoned: () => ApiError.invalidRequest('The request body has a __proto__ or constructor.prototype key, which is not accepted.'),
};

/** Deepest nesting of arrays and objects a body may have: no request of ours needs more than 3. */
export const MAX_DEPTH = 32;

/** Whether JSON text nests arrays and objects deeper than `limit` (brackets inside strings do not count). */
function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** `application/json` or any `application/*+json`, with its charset if one is given. */
function jsonMediaType(contentType: string | undefined): { json: boolean; charset?: string } {
  if (contentType === undefined) return { json: false };
  const [essence, ...params] = contentType.split(';');
  const type = essence.trim().toLowerCase();
  const json = type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
  let charset: string | undefined;
  for (const param of params) {
    const [name, value] = param.split('=');
    if (name?.trim().toLowerCase() === 'charset' && value !== undefined) {
      charset = value
        .trim()
        .replace(/^"(.*)"$/, '$1')
        .toLowerCase();
    }
  }
  return { json, charset };
}

/**
 * JSON text to a value: an empty body is `{}`; otherwise only an object or
 * an array is accepted (strict JSON, as body-parser's `strict`).
 */
export function parseJsonText(text: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.length === 0) return {};
  // JSON's whitespace (space, tab, line feed, carriage return), control characters among it.
  // eslint-disable-next-line no-control-regex
  const first = /^[\x20\x09\x0a\x0d]*(.)/s.exec(body)?.[1];
  if (first !== '{' && first !== '[') throw FAULTS.notJsonText();
  if (nestsDeeperThan(body, MAX_DEPTH)) throw FAULTS.tooDeep();
  try {
    // Keys that would reach an object's prototype once merged into another are refused, as Fastify's own parser does.
    return secureJson.parse(body, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch {
    throw isJson(body) ? FAULTS.poisoned() : FAULTS.notJsonText();
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

type Done = (error: Error | null, body?: unknown) => void;

/**
 * Reads a body as JSON. A body's fault (not JSON: 415, malformed: 400, too
 * large: 413) is kept on the request instead of being answered at once, so
 * routes check in Onezone's order: authenticate → authorise → validate.
 * BodyFaultGuard raises it once the other guards have passed.
 */
function readJsonBody(request: FastifyRequest, payload: Readable, done: Done): void {
  const keep = (fault: ApiError) => {
    (request as unknown as HttpRequest).bodyError = fault;
    payload.resume(); // the rest is read and dropped, so the connection stays usable
    done(null, undefined);
  };
  const { json, charset } = jsonMediaType(request.headers['content-type']);
  if (!json) return keep(FAULTS.notJson());
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') return keep(FAULTS.charset());
  const encoding = (request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  const decoder = DECODERS[encoding];
  if (decoder === undefined) return keep(FAULTS.encoding());
  if (decoder === null && Number(request.headers['content-length']) > BODY_LIMIT_BYTES) return keep(FAULTS.tooLarge());

  const stream: NodeJS.ReadableStream = decoder ? payload.pipe(decoder()) : payload;
  const chunks: Buffer[] = [];
  let size = 0;
  let settled = false;
  const onData = (chunk: Buffer) => {
    size += chunk.length;
    if (size > BODY_LIMIT_BYTES) settle(FAULTS.tooLarge());
    else chunks.push(chunk);
  };
  const onEnd = () => settle(null, Buffer.concat(chunks, size).toString('utf8'));
  const onError = () => settle(decoder ? FAULTS.undecodable() : FAULTS.notWhole());
  const onPayloadError = () => settle(FAULTS.notWhole());
  const onClose = () => {
    if (!payload.readableEnded) settle(FAULTS.notWhole());
  };
  const settle = (fault: ApiError | null, text?: string) => {
    if (settled) return;
    settled = true;
    // Once settled, nothing of the request hangs from its streams: a listener
    // left there would keep the request and its reply reachable until the
    // request closes, past the young generation's collections.
    stream.removeListener('data', onData);
    stream.removeListener('end', onEnd);
    stream.removeListener('error', onError);
    stream.on('error', ignoreLateError);
    payload.removeListener('close', onClose);
    if (decoder) {
      payload.removeListener('error', onPayloadError);
      payload.on('error', ignoreLateError);
    }
    if (fault) {
      if (decoder) payload.unpipe();
      keep(fault);
      return;
    }
    try {
      done(null, parseJsonText(text ?? ''));
    } catch (error) {
      keep(error as ApiError);
    }
  };
  stream.on('data', onData);
  stream.on('end', onEnd);
  stream.on('error', onError);
  if (decoder) payload.on('error', onPayloadError);
  payload.on('close', onClose);
}

/** A stream's error after its body was settled (a client gone while the rest is drained): nothing to answer. */
function ignoreLateError(): void {}

/** Replaces Fastify's body parsers with readJsonBody, for every content type. */
export function registerJsonBodies(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', readJsonBody);
}

/** Whether a request carries a body, as Node's HTTP parser tells it. */
function hasBody(request: HttpRequest): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * Raises the body fault readJsonBody kept, after authentication and
 * authorisation: the last guard of every route (SpacesApi puts it there). A
 * guard rather than an interceptor: Nest runs interceptors through an rxjs
 * chain, which cost about a tenth of a read's CPU for a check that needs none.
 */
@Injectable()
export class BodyFaultGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<HttpRequest>();
    if (request.bodyError !== undefined) throw request.bodyError;
    // A host's parsers may take other types (a form, say): the feature's routes read JSON only.
    if (hasBody(request) && !jsonMediaType(request.headers['content-type']).json) throw FAULTS.notJson();
    return true;
  }
}
