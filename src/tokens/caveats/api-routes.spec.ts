import 'reflect-metadata';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { IS_PUBLIC } from '../../auth/auth.decorators.js';
import { API_ROUTES, apiOperationOf, type ApiOperation, type RouteCaller } from './api-routes.js';

const user: RouteCaller = { type: 'user', id: 'u1' };
const provider: RouteCaller = { type: 'provider', id: 'p1' };
const admin: RouteCaller = { type: 'admin', id: null };

/** As an api caveat writes an operation: `ozw/get/space.<id>.instance:protected`. */
function written(op: ApiOperation | undefined): string | undefined {
  if (!op) return undefined;
  const { type, id, aspect, scope } = op.gri;
  return `${op.service}/${op.operation}/${type}.${id ?? 'null'}.${aspect}:${scope}`;
}

describe('apiOperationOf: the examples the contract fixes', () => {
  it.each([
    ['POST', 'user/spaces', 'ozw/create/space.null.instance:private', {}],
    ['GET', 'user/spaces', 'ozw/get/user.u1.spaces:private', {}],
    ['GET', 'spaces/:id', 'ozw/get/space.s1.instance:protected', { id: 's1' }],
    ['POST', 'spaces/:id/users/token', 'ozw/create/space.s1.invite_user_token:private', { id: 's1' }],
    ['POST', 'user/tokens/named', 'ozw/create/token.null.user_named_token,u1:private', {}],
    ['POST', 'user/spaces/token', 'ozw/create/user.u1.space_creation_token:private', {}],
  ])('%s %s is %s for user u1', (method, template, expected, params: Record<string, string>) => {
    expect(written(apiOperationOf(method, template, params, user))).toBe(expected);
  });

  it.each([
    ['POST', 'provider/spaces/token', 'ozw/create/provider.p1.support_token:private'],
    ['POST', 'provider/spaces/support', 'ozw/create/provider.p1.support:private'],
  ])('%s %s is %s for provider p1', (method, template, expected) => {
    expect(written(apiOperationOf(method, template, {}, provider))).toBe(expected);
  });

  it('gives the GRI as its parts: a null id, a tuple aspect written with a comma', () => {
    expect(apiOperationOf('POST', 'user/tokens/named', {}, user)).toEqual({
      service: 'ozw',
      operation: 'create',
      gri: { type: 'token', id: null, aspect: 'user_named_token,u1', scope: 'private' },
    });
  });
});

describe('apiOperationOf: the operation and the caller', () => {
  it('takes the operation from the method: POST and PUT create, GET gets, PATCH updates, DELETE deletes', () => {
    const params = { id: 's1', uid: 'u2' };
    const op = (method: string, template: string) => apiOperationOf(method, template, params, user)?.operation;
    expect(op('POST', 'spaces')).toBe('create');
    expect(op('PUT', 'spaces/:id/users/:uid')).toBe('create');
    expect(op('GET', 'spaces/:id/users/:uid')).toBe('get');
    expect(op('PATCH', 'spaces/:id/users/:uid/privileges')).toBe('update');
    expect(op('DELETE', 'spaces/:id/users/:uid')).toBe('delete');
  });

  it("puts the user caller's id where Onezone names the client", () => {
    expect(written(apiOperationOf('DELETE', 'user/spaces/:id', { id: 's1' }, user))).toBe('ozw/delete/user.u1.space,s1:private');
    expect(written(apiOperationOf('GET', 'user/tokens/temporary', {}, user))).toBe('ozw/get/temporary_token_secret.u1.user:shared');
    expect(written(apiOperationOf('GET', 'user/tokens/named/name/:name', { name: 'ci-1' }, user))).toBe(
      'ozw/get/token.ci-1.user_named_token,u1:private',
    );
  });

  it("puts the provider caller's id where Onezone names the client", () => {
    expect(written(apiOperationOf('GET', 'provider/spaces', {}, provider))).toBe('ozw/get/provider.p1.spaces:private');
    expect(written(apiOperationOf('DELETE', 'provider/spaces/:id', { id: 's1' }, provider))).toBe(
      'ozw/delete/provider.p1.space,s1:private',
    );
    expect(written(apiOperationOf('POST', 'provider/tokens/named', {}, provider))).toBe(
      'ozw/create/token.null.provider_named_token,p1:private',
    );
  });

  it('uses the path parameter, not the caller, where the route names its subject', () => {
    expect(written(apiOperationOf('POST', 'users/:id/tokens/named', { id: 'u2' }, user))).toBe(
      'ozw/create/token.null.user_named_token,u2:private',
    );
    expect(written(apiOperationOf('GET', 'spaces/:id/users/:uid', { id: 's1', uid: 'u2' }, user))).toBe('ozw/get/user.u2.instance:shared');
  });

  it('fails closed: an unknown route, a missing parameter, a GRI that names a caller without an id', () => {
    expect(apiOperationOf('GET', 'spaces/:id/nothing', { id: 's1' }, user)).toBeUndefined();
    expect(apiOperationOf('HEAD', 'spaces/:id', { id: 's1' }, user)).toBeUndefined();
    expect(apiOperationOf('GET', 'spaces/:id', {}, user)).toBeUndefined();
    expect(apiOperationOf('GET', 'user/spaces', {}, admin)).toBeUndefined();
    expect(written(apiOperationOf('POST', 'users', {}, admin))).toBe('ozw/create/user.null.instance:private');
  });

  it('gives every entry an operation when its parameters are given', () => {
    for (const { method, template } of API_ROUTES) {
      const params = Object.fromEntries(Array.from(template.matchAll(/:(\w+)/g), (m) => [m[1], `${m[1]}-value`]));
      expect([method, template, apiOperationOf(method, template, params, user)]).toEqual([
        method,
        template,
        expect.objectContaining({ service: 'ozw' }),
      ]);
    }
  });
});

/** Entries for token routes whose controllers are being written: exempt from "names a real route" until they exist. */

interface DeclaredRoute {
  key: string;
  public: boolean;
}

/** Every route the controllers under src declare, read from Nest's metadata. */
async function declaredRoutes(): Promise<DeclaredRoute[]> {
  const src = fileURLToPath(new URL('../..', import.meta.url));
  const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.controller.ts'));
  const routes: DeclaredRoute[] = [];
  for (const file of files) {
    const exports = (await import(join(src, file))) as Record<string, unknown>;
    for (const controller of Object.values(exports)) {
      if (typeof controller !== 'function' || Reflect.getMetadata(PATH_METADATA, controller) === undefined) continue;
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined) continue;
        const template = [Reflect.getMetadata(PATH_METADATA, controller), Reflect.getMetadata(PATH_METADATA, handler)]
          .flatMap((p: string) => p.split('/'))
          .filter(Boolean)
          .join('/');
        routes.push({
          key: `${RequestMethod[method]} ${template}`,
          public: Boolean(Reflect.getMetadata(IS_PUBLIC, handler) ?? Reflect.getMetadata(IS_PUBLIC, controller)),
        });
      }
    }
  }
  return routes;
}

describe('API_ROUTES: the table against the controllers', () => {
  let declared: DeclaredRoute[];
  const table = API_ROUTES.map(({ method, template }) => `${method} ${template}`);

  beforeAll(async () => {
    declared = await declaredRoutes();
  });

  it('finds the controllers', () => {
    expect(declared.map((r) => r.key)).toEqual(expect.arrayContaining(['GET user/spaces', 'POST tokens/examine']));
  });

  it('lists every route that is not public', () => {
    const missing = declared.filter((r) => !r.public && !table.includes(r.key)).map((r) => r.key);
    expect(missing).toEqual([]);
  });

  it('lists no public route', () => {
    const listed = declared.filter((r) => r.public && table.includes(r.key)).map((r) => r.key);
    expect(listed).toEqual([]);
  });

  it('names only real routes', () => {
    const real = new Set(declared.map((r) => r.key));
    const stale = API_ROUTES.filter(({ method, template }) => !real.has(`${method} ${template}`));
    expect(stale).toEqual([]);
  });
});
