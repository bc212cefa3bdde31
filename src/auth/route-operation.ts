import type { ExecutionContext } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { RequestMethod } from '@nestjs/common';
import type { Subject } from './caller.js';
import type { HttpRequest } from '../common/http-request.js';
import { type ApiOperation, apiOperationOf } from '../tokens/caveats/api-routes.js';

const templates = new WeakMap<object, { method: string; template: string }>();

function join(...parts: (string | string[] | undefined)[]): string {
  return parts
    .map((p) => (Array.isArray(p) ? p[0] : p) ?? '')
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .filter((p) => p.length > 0)
    .join('/');
}

/** The route's method and path template as its controller declares it (no global prefix). */
export function routeOf(context: ExecutionContext): { method: string; template: string } {
  const handler = context.getHandler();
  let route = templates.get(handler);
  if (!route) {
    const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod] ?? 'GET';
    const path = (target: object) => Reflect.getMetadata(PATH_METADATA, target) as string | string[] | undefined;
    const template = join(path(context.getClass()), path(handler));
    route = { method, template };
    templates.set(handler, route);
  }
  return route;
}

/** The API operation a request performs, as an `api` caveat names it, given the token's subject. */
export function operationOf(context: ExecutionContext): (subject: Subject) => ApiOperation | undefined {
  const { method, template } = routeOf(context);
  const req = context.switchToHttp().getRequest<HttpRequest>();
  // Worked out only for a token with api caveats: most requests never ask.
  return (subject) => apiOperationOf(method, template, stringParams(req.params), { type: subject.type, id: subject.id });
}

function stringParams(params: HttpRequest['params'] | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(params ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
