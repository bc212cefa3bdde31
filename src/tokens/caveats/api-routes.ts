// The Onezone API operation each route of this service performs: what an `api` caveat is matched against.

export type Operation = 'create' | 'get' | 'update' | 'delete';
export interface Gri {
  type: string;
  id: string | null;
  aspect: string;
  scope: 'private' | 'protected' | 'shared' | 'public' | 'auto';
}
export interface ApiOperation {
  service: 'ozw';
  operation: Operation;
  gri: Gri;
}

/** Who is calling (to replace Onezone's ?CLIENT_ID, the "self" in user.<self>.spaces). */
export interface RouteCaller {
  type: 'user' | 'provider' | 'admin';
  id: string | null;
}

/** As Onezone names it: the operation follows from the HTTP method alone. */
const OPERATION_OF_METHOD: Readonly<Record<string, Operation>> = {
  POST: 'create',
  PUT: 'create',
  GET: 'get',
  PATCH: 'update',
  DELETE: 'delete',
};

const SCOPES: ReadonlySet<string> = new Set(['private', 'protected', 'shared', 'public', 'auto']);

/** Where a GRI's id or aspect argument comes from: none, the caller, or a path parameter. */
type Slot = { kind: 'null' } | { kind: 'self' } | { kind: 'param'; name: string };

interface Entry {
  method: string;
  template: string;
  type: string;
  id: Slot;
  aspect: string;
  aspectArg: Slot | undefined;
  scope: Gri['scope'];
}

const GRI_TEMPLATE = /^(?<type>\w+)\.(?<id>[^.]+)\.(?<aspect>\w+)(?:,(?<arg>[^.:]+))?:(?<scope>\w+)$/;

function slotOf(text: string, params: ReadonlySet<string>, where: string): Slot {
  if (text === 'null') return { kind: 'null' };
  if (text === '{self}') return { kind: 'self' };
  const name = /^\{(\w+)\}$/.exec(text)?.[1];
  if (name === undefined || !params.has(name)) {
    throw new Error(`${where}: ${text} is neither null, {self} nor a route parameter`);
  }
  return { kind: 'param', name };
}

/**
 * One route: `gri` is written as an api caveat writes it, `type.id.aspect[,arg]:scope`, where the id and the argument
 * are `null`, `{self}` (the caller) or `{param}` (a path parameter of the template). A malformed entry fails at load.
 */
function route(method: string, template: string, gri: string): Entry {
  const where = `${method} ${template}`;
  const parts = GRI_TEMPLATE.exec(gri)?.groups;
  if (!parts || !(method in OPERATION_OF_METHOD) || !SCOPES.has(parts.scope)) {
    throw new Error(`${where}: malformed entry ${gri}`);
  }
  const params = new Set(Array.from(template.matchAll(/:(\w+)/g), (m) => m[1]));
  return {
    method,
    template,
    type: parts.type,
    id: slotOf(parts.id, params, where),
    aspect: parts.aspect,
    aspectArg: parts.arg === undefined ? undefined : slotOf(parts.arg, params, where),
    scope: parts.scope as Gri['scope'],
  };
}

/*
 * Routes Onezone lacks, with the GRIs this service gives them (in Onezone's style):
 *   POST   user/spaces/token        create user.{self}.space_creation_token:private
 *   POST   provider/spaces/token    create provider.{self}.support_token:private
 *   POST   provider/spaces/support  create provider.{self}.support:private
 *   GET    user/tokens              get    token.null.user_tokens,{self}:private
 *   DELETE user/tokens/:id          delete token.{id}.instance:private
 *   GET    provider/tokens          get    token.null.provider_tokens,{self}:private
 *   DELETE provider/tokens/:id      delete token.{id}.instance:private
 *   POST   users/:id/tokens         create user.{id}.access_token:private
 *   POST   providers/:id/tokens     create provider.{id}.access_token:private
 *   GET    spaces/marketplace/:id/requests  get space.{id}.membership_requests:private
 * Every other entry is Onezone's GRI for the same route (its parameter names may differ: user/spaces/:id is
 * Onezone's /user/spaces/:sid). Public routes are not listed: no caveat is checked there.
 */
const TABLE: readonly Entry[] = [
  // The caller's spaces
  route('GET', 'user/spaces', 'user.{self}.spaces:private'),
  route('POST', 'user/spaces', 'space.null.instance:private'),
  route('POST', 'user/spaces/token', 'user.{self}.space_creation_token:private'),
  route('POST', 'user/spaces/join', 'space.null.join:private'),
  route('GET', 'user/spaces/:id', 'space.{id}.instance:protected'),
  route('DELETE', 'user/spaces/:id', 'user.{self}.space,{id}:private'),
  route('GET', 'user/effective_spaces', 'user.{self}.eff_spaces:private'),
  route('GET', 'user/effective_spaces/:id', 'space.{id}.instance:protected'),

  // Spaces
  route('GET', 'spaces', 'space.null.list:private'),
  route('GET', 'privileges', 'oz_worker.null.privileges:private'),
  route('GET', 'user/privileges', 'user.{self}.oz_privileges:private'),
  route('GET', 'users/:id/privileges', 'user.{id}.oz_privileges:private'),
  route('PATCH', 'users/:id/privileges', 'user.{id}.oz_privileges:private'),
  route('DELETE', 'users/:id/privileges', 'user.{id}.oz_privileges:private'),
  route('POST', 'spaces', 'space.null.instance:private'),
  route('GET', 'spaces/privileges', 'space.null.privileges:private'),
  route('GET', 'spaces/:id', 'space.{id}.instance:protected'),
  route('PATCH', 'spaces/:id', 'space.{id}.instance:private'),
  route('DELETE', 'spaces/:id', 'space.{id}.instance:private'),

  // Space users and owners
  route('GET', 'spaces/:id/users', 'space.{id}.users:private'),
  route('POST', 'spaces/:id/users/token', 'space.{id}.invite_user_token:private'),
  route('GET', 'spaces/:id/users/:uid', 'user.{uid}.instance:shared'),
  route('PUT', 'spaces/:id/users/:uid', 'space.{id}.user,{uid}:private'),
  route('DELETE', 'spaces/:id/users/:uid', 'space.{id}.user,{uid}:private'),
  route('GET', 'spaces/:id/users/:uid/privileges', 'space.{id}.user_privileges,{uid}:private'),
  route('PATCH', 'spaces/:id/users/:uid/privileges', 'space.{id}.user_privileges,{uid}:private'),
  route('GET', 'spaces/:id/effective_users', 'space.{id}.eff_users:private'),
  route('GET', 'spaces/:id/effective_users/:uid', 'user.{uid}.instance:shared'),
  route('GET', 'spaces/:id/effective_users/:uid/privileges', 'space.{id}.eff_user_privileges,{uid}:private'),
  route('GET', 'spaces/:id/effective_users/:uid/membership', 'space.{id}.eff_user_membership,{uid}:private'),
  route('GET', 'spaces/:id/owners', 'space.{id}.owners:private'),
  route('PUT', 'spaces/:id/owners/:uid', 'space.{id}.owner,{uid}:private'),
  route('DELETE', 'spaces/:id/owners/:uid', 'space.{id}.owner,{uid}:private'),

  // Space groups
  route('GET', 'spaces/:id/groups', 'space.{id}.groups:private'),
  route('POST', 'spaces/:id/groups', 'space.{id}.group:private'),
  route('POST', 'spaces/:id/groups/token', 'space.{id}.invite_group_token:private'),
  route('GET', 'spaces/:id/groups/:gid', 'group.{gid}.instance:shared'),
  route('PUT', 'spaces/:id/groups/:gid', 'space.{id}.group,{gid}:private'),
  route('DELETE', 'spaces/:id/groups/:gid', 'space.{id}.group,{gid}:private'),
  route('GET', 'spaces/:id/groups/:gid/privileges', 'space.{id}.group_privileges,{gid}:private'),
  route('PATCH', 'spaces/:id/groups/:gid/privileges', 'space.{id}.group_privileges,{gid}:private'),
  route('GET', 'spaces/:id/effective_groups', 'space.{id}.eff_groups:private'),
  route('GET', 'spaces/:id/effective_groups/:gid', 'group.{gid}.instance:shared'),
  route('GET', 'spaces/:id/effective_groups/:gid/privileges', 'space.{id}.eff_group_privileges,{gid}:private'),
  route('GET', 'spaces/:id/effective_groups/:gid/membership', 'space.{id}.eff_group_membership,{gid}:private'),

  // Space providers
  route('GET', 'spaces/:id/providers', 'space.{id}.eff_providers:private'),
  route('POST', 'spaces/:id/providers/token', 'space.{id}.space_support_token:private'),
  route('DELETE', 'spaces/:id/providers/:pid', 'space.{id}.provider,{pid}:private'),
  route('PATCH', 'spaces/:id/providers/:pid/support_parameters', 'space.{id}.support_parameters,{pid}:private'),

  // The Space Marketplace and its membership requests
  route('POST', 'spaces/marketplace/list', 'space.null.list_marketplace:private'),
  route('GET', 'spaces/marketplace/:id', 'space.{id}.marketplace_data:protected'),
  route('POST', 'spaces/marketplace/:id/request', 'space.{id}.membership_request:private'),
  route('GET', 'spaces/marketplace/:id/requests', 'space.{id}.membership_requests:private'),
  route('GET', 'spaces/marketplace/:id/request/:rid/requester_info', 'space.{id}.membership_requester_info,{rid}:private'),
  route('POST', 'spaces/marketplace/:id/request/:rid/resolve', 'space.{id}.resolve_membership_request,{rid}:private'),
  route('GET', 'user/space_membership_requests', 'user.{self}.space_membership_requests:private'),

  // The calling provider's spaces
  route('GET', 'provider/spaces', 'provider.{self}.spaces:private'),
  route('POST', 'provider/spaces/token', 'provider.{self}.support_token:private'),
  route('POST', 'provider/spaces/support', 'provider.{self}.support:private'),
  route('GET', 'provider/spaces/:id', 'space.{id}.instance:protected'),
  route('DELETE', 'provider/spaces/:id', 'provider.{self}.space,{id}:private'),

  // The caller's groups
  route('POST', 'user/groups', 'group.null.instance:private'),
  route('GET', 'user/groups', 'user.{self}.groups:private'),
  route('POST', 'user/groups/join', 'group.null.join:private'),
  route('GET', 'user/groups/:gid', 'group.{gid}.instance:protected'),
  route('DELETE', 'user/groups/:gid', 'user.{self}.group,{gid}:private'),
  route('GET', 'user/effective_groups', 'user.{self}.eff_groups:private'),
  route('GET', 'user/effective_groups/:gid', 'group.{gid}.instance:protected'),

  // Groups
  route('POST', 'groups', 'group.null.instance:private'),
  route('GET', 'groups', 'group.null.list:private'),
  route('GET', 'groups/privileges', 'group.null.privileges:private'),
  route('GET', 'groups/:id', 'group.{id}.instance:protected'),
  route('PATCH', 'groups/:id', 'group.{id}.instance:private'),
  route('DELETE', 'groups/:id', 'group.{id}.instance:private'),

  // Group users
  route('GET', 'groups/:id/users', 'group.{id}.users:private'),
  route('POST', 'groups/:id/users/token', 'group.{id}.invite_user_token:private'),
  route('GET', 'groups/:id/users/:uid', 'user.{uid}.instance:shared'),
  route('PUT', 'groups/:id/users/:uid', 'group.{id}.user,{uid}:private'),
  route('DELETE', 'groups/:id/users/:uid', 'group.{id}.user,{uid}:private'),
  route('GET', 'groups/:id/users/:uid/privileges', 'group.{id}.user_privileges,{uid}:private'),
  route('PATCH', 'groups/:id/users/:uid/privileges', 'group.{id}.user_privileges,{uid}:private'),
  route('GET', 'groups/:id/effective_users', 'group.{id}.eff_users:private'),
  route('GET', 'groups/:id/effective_users/:uid', 'user.{uid}.instance:shared'),
  route('GET', 'groups/:id/effective_users/:uid/privileges', 'group.{id}.eff_user_privileges,{uid}:private'),
  route('GET', 'groups/:id/effective_users/:uid/membership', 'group.{id}.eff_user_membership,{uid}:private'),

  // Group children and parents
  route('GET', 'groups/:id/children', 'group.{id}.children:private'),
  route('POST', 'groups/:id/children', 'group.{id}.child:private'),
  route('POST', 'groups/:id/children/token', 'group.{id}.invite_group_token:private'),
  route('GET', 'groups/:id/children/:cid', 'group.{cid}.instance:shared'),
  route('PUT', 'groups/:id/children/:cid', 'group.{id}.child,{cid}:private'),
  route('DELETE', 'groups/:id/children/:cid', 'group.{id}.child,{cid}:private'),
  route('GET', 'groups/:id/children/:cid/privileges', 'group.{id}.child_privileges,{cid}:private'),
  route('PATCH', 'groups/:id/children/:cid/privileges', 'group.{id}.child_privileges,{cid}:private'),
  route('GET', 'groups/:id/effective_children', 'group.{id}.eff_children:private'),
  route('GET', 'groups/:id/effective_children/:cid', 'group.{cid}.instance:shared'),
  route('GET', 'groups/:id/effective_children/:cid/privileges', 'group.{id}.eff_child_privileges,{cid}:private'),
  route('GET', 'groups/:id/effective_children/:cid/membership', 'group.{id}.eff_child_membership,{cid}:private'),
  route('GET', 'groups/:id/parents', 'group.{id}.parents:private'),
  route('POST', 'groups/:id/parents', 'group.null.instance:private'),
  route('POST', 'groups/:id/parents/join', 'group.null.join:private'),
  route('GET', 'groups/:id/parents/:pid', 'group.{pid}.instance:protected'),
  route('DELETE', 'groups/:id/parents/:pid', 'group.{id}.parent,{pid}:private'),
  route('GET', 'groups/:id/effective_parents', 'group.{id}.eff_parents:private'),
  route('GET', 'groups/:id/effective_parents/:pid', 'group.{pid}.instance:protected'),

  // Group spaces
  route('GET', 'groups/:id/spaces', 'group.{id}.spaces:private'),
  route('POST', 'groups/:id/spaces', 'space.null.instance:private'),
  route('POST', 'groups/:id/spaces/join', 'space.null.join:private'),
  route('GET', 'groups/:id/spaces/:sid', 'space.{sid}.instance:protected'),
  route('DELETE', 'groups/:id/spaces/:sid', 'group.{id}.space,{sid}:private'),
  route('GET', 'groups/:id/effective_spaces', 'group.{id}.eff_spaces:private'),
  route('GET', 'groups/:id/effective_spaces/:sid', 'space.{sid}.instance:protected'),

  // Administration
  route('POST', 'users', 'user.null.instance:private'),
  route('POST', 'providers', 'provider.null.instance:private'),
  route('POST', 'users/:id/tokens', 'user.{id}.access_token:private'),
  route('POST', 'providers/:id/tokens', 'provider.{id}.access_token:private'),

  // The caller's tokens, as this service lists and revokes them
  route('GET', 'user/tokens', 'token.null.user_tokens,{self}:private'),
  route('DELETE', 'user/tokens/:id', 'token.{id}.instance:private'),
  route('GET', 'provider/tokens', 'token.null.provider_tokens,{self}:private'),
  route('DELETE', 'provider/tokens/:id', 'token.{id}.instance:private'),

  // Named and temporary tokens of the caller
  route('POST', 'user/tokens/named', 'token.null.user_named_token,{self}:private'),
  route('GET', 'user/tokens/named', 'token.null.user_named_tokens,{self}:private'),
  route('DELETE', 'user/tokens/named', 'token.null.user_named_tokens,{self}:private'),
  route('GET', 'user/tokens/named/name/:name', 'token.{name}.user_named_token,{self}:private'),
  route('POST', 'user/tokens/temporary', 'token.null.user_temporary_token,{self}:private'),
  route('GET', 'user/tokens/temporary', 'temporary_token_secret.{self}.user:shared'),
  route('DELETE', 'user/tokens/temporary', 'token.null.user_temporary_tokens,{self}:private'),
  route('POST', 'provider/tokens/named', 'token.null.provider_named_token,{self}:private'),
  route('GET', 'provider/tokens/named', 'token.null.provider_named_tokens,{self}:private'),
  route('DELETE', 'provider/tokens/named', 'token.null.provider_named_tokens,{self}:private'),
  route('GET', 'provider/tokens/named/name/:name', 'token.{name}.provider_named_token,{self}:private'),
  route('POST', 'provider/tokens/temporary', 'token.null.provider_temporary_token,{self}:private'),
  route('GET', 'provider/tokens/temporary', 'temporary_token_secret.{self}.provider:shared'),
  route('DELETE', 'provider/tokens/temporary', 'token.null.provider_temporary_tokens,{self}:private'),

  // Named and temporary tokens of a given user or provider
  route('POST', 'users/:id/tokens/named', 'token.null.user_named_token,{id}:private'),
  route('GET', 'users/:id/tokens/named', 'token.null.user_named_tokens,{id}:private'),
  route('DELETE', 'users/:id/tokens/named', 'token.null.user_named_tokens,{id}:private'),
  route('GET', 'users/:id/tokens/named/name/:name', 'token.{name}.user_named_token,{id}:private'),
  route('POST', 'users/:id/tokens/temporary', 'token.null.user_temporary_token,{id}:private'),
  route('GET', 'users/:id/tokens/temporary', 'temporary_token_secret.{id}.user:shared'),
  route('DELETE', 'users/:id/tokens/temporary', 'token.null.user_temporary_tokens,{id}:private'),
  route('POST', 'providers/:id/tokens/named', 'token.null.provider_named_token,{id}:private'),
  route('GET', 'providers/:id/tokens/named', 'token.null.provider_named_tokens,{id}:private'),
  route('DELETE', 'providers/:id/tokens/named', 'token.null.provider_named_tokens,{id}:private'),
  route('GET', 'providers/:id/tokens/named/name/:name', 'token.{name}.provider_named_token,{id}:private'),
  route('POST', 'providers/:id/tokens/temporary', 'token.null.provider_temporary_token,{id}:private'),
  route('GET', 'providers/:id/tokens/temporary', 'temporary_token_secret.{id}.provider:shared'),
  route('DELETE', 'providers/:id/tokens/temporary', 'token.null.provider_temporary_tokens,{id}:private'),

  // Named tokens by id
  route('GET', 'tokens/named', 'token.null.list:private'),
  route('GET', 'tokens/named/:id', 'token.{id}.instance:private'),
  route('PATCH', 'tokens/named/:id', 'token.{id}.instance:private'),
  route('DELETE', 'tokens/named/:id', 'token.{id}.instance:private'),
  route('GET', 'tokens/named/:id/status', 'token.{id}.instance:shared'),
];

const keyOf = (method: string, template: string) => `${method.toUpperCase()} ${template.replace(/^\//, '')}`;

const BY_ROUTE: ReadonlyMap<string, Entry> = (() => {
  const map = new Map<string, Entry>();
  for (const entry of TABLE) {
    const key = keyOf(entry.method, entry.template);
    if (map.has(key)) throw new Error(`${key}: listed twice`);
    map.set(key, entry);
  }
  return map;
})();

/** Every (METHOD, template) pair the table knows, for the completeness test. */
export const API_ROUTES: ReadonlyArray<{ method: string; template: string }> = TABLE.map(({ method, template }) => ({
  method,
  template,
}));

/** Undefined when the slot names what the request does not have: a missing parameter, or a caller without an id. */
function resolve(slot: Slot, params: Record<string, string>, caller: RouteCaller): string | null | undefined {
  switch (slot.kind) {
    case 'null':
      return null;
    case 'self':
      return caller.id ?? undefined;
    case 'param':
      return params[slot.name];
  }
}

/**
 * The API operation a request to a route performs: `method` (GET, POST, PUT, PATCH, DELETE), `template` the route's
 * path as declared in this service's controllers, without the global prefix and without leading slash
 * (e.g. 'spaces/:id/users/:uid'), `params` the request's path parameters. Undefined when the route is not in the
 * table, or when its GRI names the caller and the caller has no id, or a parameter the request lacks (the caller then
 * fails closed).
 */
export function apiOperationOf(
  method: string,
  template: string,
  params: Record<string, string>,
  caller: RouteCaller,
): ApiOperation | undefined {
  const entry = BY_ROUTE.get(keyOf(method, template));
  if (!entry) return undefined;
  const id = resolve(entry.id, params, caller);
  if (id === undefined) return undefined;
  let aspect = entry.aspect;
  if (entry.aspectArg) {
    // A tuple aspect, written as Onezone serializes it: `aspect,arg`.
    const arg = resolve(entry.aspectArg, params, caller);
    if (typeof arg !== 'string') return undefined;
    aspect = `${aspect},${arg}`;
  }
  return {
    service: 'ozw',
    operation: OPERATION_OF_METHOD[entry.method],
    gri: { type: entry.type, id, aspect, scope: entry.scope },
  };
}
