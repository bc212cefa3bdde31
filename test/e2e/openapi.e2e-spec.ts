import { listRoutes } from '../support/routes.js';
import { SEED_PROVIDER_TOKEN } from '../../src/spaces/dto/create-user-space.dto.js';
import { disposeEnv, startApp, testEnv, type TestApp } from '../support/test-app.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('OpenAPI document and Swagger UI', () => {
  let t: TestApp;
  let doc: Json;

  beforeAll(async () => {
    t = await startApp(await testEnv());
    doc = (await t.http.get('/docs/openapi.json').expect(200).expect('Content-Type', /json/)).body;
  });

  afterAll(async () => {
    await t.close();
    await disposeEnv(t.env);
  });

  const SEED_ERROR = { error: 'invalid_token', error_description: 'Provided token could not be validated.' };
  const resolve = (ref: string): Json => doc.components.schemas[ref.replace('#/components/schemas/', '')];

  it('serves Swagger UI at /docs (public, HTML)', async () => {
    const res = await t.http.get('/docs/').expect(200);
    expect(res.text).toContain('swagger-ui');
  });

  it('describes the API under the prefix, with bearer and X-Auth-Token security', () => {
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.servers).toEqual([expect.objectContaining({ url: '/api/v3/onezone' })]);
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.components.securitySchemes['X-Auth-Token']).toMatchObject({ type: 'apiKey', in: 'header', name: 'X-Auth-Token' });
  });

  it('has the Error schema of the seeds', () => {
    const error = doc.components.schemas.Error;
    expect(Object.keys(error.properties).sort()).toEqual(['error', 'error_description']);
    expect(error.required).toEqual(expect.arrayContaining(['error', 'error_description']));
  });

  describe('POST /user/spaces', () => {
    const op = () => doc.paths['/user/spaces'].post;

    it('is createUserSpace, tagged, secured', () => {
      expect(op().operationId).toBe('createUserSpace');
      expect(op().summary).toBe('Create a new space');
      expect(op().tags).toEqual(['User']);
      expect(op().security).toEqual(expect.arrayContaining([{ bearer: [] }, { 'X-Auth-Token': [] }]));
      expect(op().description).toContain('Creates a new space as current user');
    });

    it("takes the seed's Space definition {name, token, size} with the seed's example", () => {
      const body = op().requestBody.content['application/json'];
      expect(body.schema.$ref).toBe('#/components/schemas/Space');
      const space = resolve(body.schema.$ref);
      // The seed's fields, and the space's descriptive ones (all optional).
      expect(Object.keys(space.properties).sort()).toEqual(
        ['name', 'token', 'size', 'description', 'organizationName', 'tags', 'advertisedInMarketplace', 'marketplaceContactEmail'].sort(),
      );
      expect(space.required).toEqual(['name']);
      expect(space.properties.size.oneOf).toEqual([
        expect.objectContaining({ type: 'integer' }),
        expect.objectContaining({ type: 'string' }),
      ]);
      expect(body.examples.seed.value).toEqual({ name: 'My Private space', token: SEED_PROVIDER_TOKEN, size: 150 });
    });

    it('lists every status of the seed, with Location on 201 and the Error schema elsewhere', () => {
      const responses = op().responses;
      for (const status of ['201', '400', '401', '403', '404', '500']) expect(responses[status]).toBeDefined();
      expect(responses['201'].headers.Location.schema.type).toBe('string');
      expect(responses['201'].content).toBeUndefined();
      for (const status of ['400', '401', '403', '404', '500']) {
        expect(responses[status].content['application/json'].schema.$ref).toBe('#/components/schemas/Error');
      }
      expect(responses['400'].content['application/json'].examples.invalid_token.value).toEqual(SEED_ERROR);
      expect(responses['401'].content['application/json'].examples.invalid_token.value).toEqual(SEED_ERROR);
    });
  });

  describe('POST /spaces', () => {
    const op = () => doc.paths['/spaces'].post;

    it('is createSpace, with the seed description and {name, token}', () => {
      expect(op().operationId).toBe('createSpace');
      expect(op().summary).toBe('Create new space');
      expect(op().description).toContain('When called by a regular user, creates a new space');
      expect(op().description).toContain('When called by a provider');
      const body = op().requestBody.content['application/json'];
      const schema = resolve(body.schema.$ref);
      expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['name', 'token']));
      expect(schema.properties.token.description).toContain('Space creation token (only for providers)');
      expect(body.examples.seed.value).toEqual({ name: 'string', token: 'string' });
    });

    it('lists every status of the seed', () => {
      const responses = op().responses;
      expect(responses['201'].headers.Location).toBeDefined();
      for (const status of ['400', '401', '403', '404', '500']) {
        expect(responses[status].content['application/json'].schema.$ref).toBe('#/components/schemas/Error');
      }
    });
  });

  it('documents the minting and administration routes', () => {
    expect(doc.paths['/user/spaces/token'].post.operationId).toBe('createSpaceCreationToken');
    expect(doc.paths['/provider/spaces/token'].post.operationId).toBe('createProviderSupportToken');
    expect(doc.paths['/users'].post.operationId).toBe('createUser');
    expect(doc.paths['/providers'].post.operationId).toBe('createProvider');
    expect(doc.paths['/users/{id}/tokens'].post.operationId).toBe('createUserAccessToken');
    expect(doc.paths['/providers/{id}/tokens'].post.operationId).toBe('createProviderAccessToken');
  });

  it('gives every operation a unique operationId, a tag, and the Error schema for each 4xx/5xx', () => {
    const ids = new Set<string>();
    for (const [path, item] of Object.entries<Json>(doc.paths)) {
      for (const [method, op] of Object.entries<Json>(item)) {
        expect([path, method, op.operationId && !ids.has(op.operationId)]).toEqual([path, method, true]);
        ids.add(op.operationId);
        expect(op.tags?.length).toBeGreaterThan(0);
        for (const [status, response] of Object.entries<Json>(op.responses)) {
          if (Number(status) >= 400) {
            expect([path, status, response.content?.['application/json']?.schema?.$ref]).toEqual([
              path,
              status,
              '#/components/schemas/Error',
            ]);
          }
        }
      }
    }
  });

  // Every parity route: its operation, and the statuses it documents besides 401/403/500.
  const PARITY: [string, string, string, string[]][] = [
    ['get', '/user/spaces', 'listUserSpaces', ['200', '400']],
    ['get', '/user/spaces/{id}', 'getUserSpace', ['200', '404']],
    ['delete', '/user/spaces/{id}', 'leaveSpace', ['204', '400', '404']],
    ['post', '/user/spaces/join', 'joinSpace', ['201', '400', '409']],
    ['get', '/spaces', 'listSpaces', ['200', '400']],
    ['get', '/spaces/privileges', 'getSpacePrivileges', ['200']],
    ['get', '/spaces/{id}', 'getSpace', ['200', '404']],
    ['patch', '/spaces/{id}', 'modifySpace', ['204', '400', '404']],
    ['delete', '/spaces/{id}', 'removeSpace', ['204', '404']],
    ['get', '/spaces/{id}/users', 'listSpaceUsers', ['200', '400', '404']],
    ['post', '/spaces/{id}/users/token', 'createSpaceUserInviteToken', ['200', '400', '404']],
    ['get', '/spaces/{id}/users/{uid}', 'getSpaceUser', ['200', '404']],
    ['put', '/spaces/{id}/users/{uid}', 'addSpaceUser', ['201', '400', '404', '409']],
    ['delete', '/spaces/{id}/users/{uid}', 'removeSpaceUser', ['204', '400', '404']],
    ['get', '/spaces/{id}/users/{uid}/privileges', 'getSpaceUserPrivileges', ['200', '404']],
    ['patch', '/spaces/{id}/users/{uid}/privileges', 'updateSpaceUserPrivileges', ['204', '400', '404']],
    ['get', '/spaces/{id}/owners', 'listSpaceOwners', ['200', '400', '404']],
    ['put', '/spaces/{id}/owners/{uid}', 'addSpaceOwner', ['204', '400', '404']],
    ['delete', '/spaces/{id}/owners/{uid}', 'removeSpaceOwner', ['204', '400', '404']],
    ['get', '/spaces/{id}/effective_users', 'listEffectiveSpaceUsers', ['200', '400', '404']],
    ['get', '/spaces/{id}/effective_users/{uid}', 'getEffectiveSpaceUser', ['200', '404']],
    ['get', '/spaces/{id}/effective_users/{uid}/privileges', 'getEffectiveSpaceUserPrivileges', ['200', '404']],
    ['get', '/spaces/{id}/effective_users/{uid}/membership', 'getEffectiveSpaceUserMembership', ['200', '404']],
    ['get', '/user/effective_spaces', 'listEffectiveUserSpaces', ['200', '400']],
    ['get', '/user/effective_spaces/{id}', 'getEffectiveUserSpace', ['200', '404']],
    ['get', '/spaces/{id}/providers', 'listSpaceProviders', ['200', '400', '404']],
    ['post', '/spaces/{id}/providers/token', 'createSpaceSupportToken', ['200', '400', '404']],
    ['delete', '/spaces/{id}/providers/{pid}', 'removeSpaceProvider', ['204', '404']],
    ['patch', '/spaces/{id}/providers/{pid}/support_parameters', 'updateSupportParameters', ['204', '400', '404']],
    ['get', '/provider/spaces', 'listProviderSpaces', ['200', '400']],
    ['get', '/provider/spaces/{id}', 'getProviderSpace', ['200', '404']],
    ['post', '/provider/spaces/support', 'supportSpace', ['201', '400', '409']],
    ['delete', '/provider/spaces/{id}', 'removeProviderSupportedSpace', ['204', '404']],
    ['get', '/user/tokens', 'listUserTokens', ['200', '400']],
    ['delete', '/user/tokens/{id}', 'revokeUserToken', ['204', '404']],
    ['get', '/provider/tokens', 'listProviderTokens', ['200', '400']],
    ['delete', '/provider/tokens/{id}', 'revokeProviderToken', ['204', '404']],
  ];

  it.each(PARITY)('documents %s %s as %s with its statuses, errors in the Error schema', (method, path, id, statuses) => {
    const op = doc.paths[path]?.[method];
    expect(op?.operationId).toBe(id);
    expect(op.security).toEqual(expect.arrayContaining([{ bearer: [] }, { 'X-Auth-Token': [] }]));
    for (const status of [...statuses, '401', '403', '500']) expect([status, op.responses[status]]).toEqual([status, expect.anything()]);
    for (const [status, response] of Object.entries<Json>(op.responses)) {
      if (Number(status) >= 400) expect(response.content['application/json'].schema.$ref).toBe('#/components/schemas/Error');
    }
    for (const param of path.match(/\{(\w+)\}/g) ?? []) {
      const name = param.slice(1, -1);
      expect(op.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name, in: 'path', required: true })]));
    }
  });

  it('documents the list query (limit 1-1000, page_token) and nextPageToken on every list route', () => {
    for (const [method, path, , statuses] of PARITY.filter(([, , id]) => id.startsWith('list'))) {
      const op = doc.paths[path][method];
      const limit = op.parameters.find((p: Json) => p.name === 'limit');
      expect(limit).toMatchObject({ in: 'query', required: false, schema: { minimum: 1, maximum: 1000 } });
      expect(op.parameters.find((p: Json) => p.name === 'page_token')).toMatchObject({ in: 'query', required: false });
      const schema = resolve(op.responses[statuses[0]].content['application/json'].schema.$ref);
      expect(schema.properties.nextPageToken).toBeDefined();
    }
  });

  it('documents POST /tokens/examine as public', () => {
    const op = doc.paths['/tokens/examine'].post;
    expect(op.operationId).toBe('examineToken');
    expect(op.security).toEqual([]);
    expect(op.responses['200'].content['application/json'].schema.$ref).toBe('#/components/schemas/ExaminedToken');
    expect(doc.components.schemas.ExaminedToken.required).toEqual(
      expect.arrayContaining(['onezoneDomain', 'id', 'tokenId', 'persistence', 'subject', 'type', 'caveats', 'target']),
    );
    for (const route of [
      '/tokens/confine',
      '/tokens/verify_access_token',
      '/tokens/verify_identity_token',
      '/tokens/verify_invite_token',
      '/tokens/infer_access_token_scope',
    ]) {
      expect([route, doc.paths[route].post.security]).toEqual([route, []]);
    }
    expect(op.responses['400'].content['application/json'].examples.invalid_token).toBeDefined();
  });

  it('documents GET /configuration as public, and the space document with its metadata and registry', () => {
    const op = doc.paths['/configuration'].get;
    expect(op.operationId).toBe('getConfiguration');
    expect(op.security).toEqual([]);
    expect(resolve(op.responses['200'].content['application/json'].schema.$ref).required).toEqual(
      expect.arrayContaining(['version', 'availableSpaceTags', 'spaceMarketplaceEnabled']),
    );
    expect(doc.components.schemas.SpaceDetails.required).toEqual(
      expect.arrayContaining([
        'description',
        'organizationName',
        'tags',
        'advertisedInMarketplace',
        'marketplaceContactEmail',
        'supportParametersRegistry',
      ]),
    );
    expect(Object.keys(doc.components.schemas.SpaceUpdate.properties)).toEqual(
      expect.arrayContaining(['name', 'description', 'organizationName', 'tags', 'advertisedInMarketplace', 'marketplaceContactEmail']),
    );
  });

  it('leaves out /health, which lives outside the API prefix', () => {
    expect(doc.paths['/health']).toBeUndefined();
  });

  it('holds no secret', () => {
    const text = JSON.stringify(doc);
    expect(text).not.toContain(t.env.ADMIN_TOKEN);
    expect(text).not.toContain(t.env.TOKEN_SECRET);
  });

  it('every route declares who may call it, and appears in the document', () => {
    const routes = listRoutes(t.app);
    for (const route of routes) {
      expect([route.name, route.public || route.callers !== undefined]).toEqual([route.name, true]);
      if (!route.path.startsWith('/health'))
        expect([route.name, doc.paths[route.path]?.[route.method]]).toEqual([route.name, expect.anything()]);
    }
    // The seeds, minting, administration and health (/health, /live, /ready: 11), the parity routes, examine,
    // the routes of groups and of named and temporary tokens (their own tests check them), confine, the
    // three verify routes and infer_access_token_scope, GET /configuration, and the five routes of zone
    // privileges (GET /privileges, GET /user/privileges, GET|PATCH|DELETE /users/{id}/privileges), and the seven
    // of the Marketplace (list, a space's data, request, requester_info, resolve, a space's requests, the user's).
    const groups = routes.filter((r) => r.path.includes('groups'));
    const tokens = routes.filter((r) => /\/tokens\/(named|temporary)/.test(r.path) || r.path === '/tokens/named');
    expect(groups.length).toBeGreaterThan(0);
    expect(tokens.length).toBe(33);
    const marketplace = routes.filter((r) => r.path.startsWith('/spaces/marketplace') || r.path === '/user/space_membership_requests');
    expect(marketplace.length).toBe(7);
    expect(routes.length).toBe(11 + PARITY.length + 1 + groups.length + tokens.length + 5 + 1 + 5 + marketplace.length);
    for (const [method, path] of [
      ['get', '/privileges'],
      ['get', '/user/privileges'],
      ['get', '/users/{id}/privileges'],
      ['patch', '/users/{id}/privileges'],
      ['delete', '/users/{id}/privileges'],
    ]) {
      expect([method, path, doc.paths[path]?.[method]?.tags]).toEqual([method, path, ['Zone']]);
    }
  });
});
