import type { AccessRepository } from '../../access/access.repository.js';
import { SpacePrivileges } from '../../access/privileges.js';
import { type SpaceStanding, spacePrivilegesOf } from '../../access/standing.js';
import { ApiError } from '../../common/api-error.js';
import type { Tx } from '../../database/transactions.js';
import type { SpacesRepository } from '../spaces.repository.js';
import { SpaceAccessService } from './space-access.service.js';
import { ZonePrivileges } from '../../access/zone-privileges.js';

const SPACE = 's'.repeat(32);
const OWNER = { type: 'user' as const, userId: 'o'.repeat(32) };
const VIEWER = { type: 'user' as const, userId: 'v'.repeat(32) };
const ADMIN_MEMBER = { type: 'user' as const, userId: 'a'.repeat(32) };
const OUTSIDER = { type: 'user' as const, userId: 'x'.repeat(32) };
const PROVIDER = { type: 'provider' as const, providerId: 'p'.repeat(32) };

const ZONE_VIEWER = { type: 'user' as const, userId: 'z'.repeat(32) };
const zone: Record<string, number> = { [ZONE_VIEWER.userId]: ZonePrivileges.mask(['oz_spaces_view']) };

function setup(locked = true) {
  const standings: Record<string, SpaceStanding> = {
    // An owner holds every privilege, whatever is stored.
    [OWNER.userId]: { owner: true, direct: true, privileges: 0n },
    [VIEWER.userId]: { owner: false, direct: true, privileges: SpacePrivileges.mask(['space_view']) },
    // Every privilege stored, but not an owner.
    [ADMIN_MEMBER.userId]: { owner: false, direct: true, privileges: SpacePrivileges.allMask },
  };
  const service = new SpaceAccessService(
    {
      spaceStanding: async (_s: string, userId: string) => standings[userId] ?? null,
      supports: async (_s: string, providerId: string) => providerId === PROVIDER.providerId,
      zonePrivileges: async (userId: string) => zone[userId] ?? 0,
    } as unknown as AccessRepository,
    { lock: async () => locked, find: async (id: string) => (id === SPACE ? { id } : null) } as unknown as SpacesRepository,
  );
  return { service, standings };
}

async function status(promise: Promise<unknown>): Promise<number | 'ok'> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    if (error instanceof ApiError) return error.getStatus();
    throw error;
  }
}

describe('SpaceAccessService', () => {
  it('gives an owner every privilege, whatever is stored', async () => {
    const access = await setup().service.authorize(OWNER, SPACE, { privilege: 'space_delete', owner: true });
    expect(access.standing).toEqual({ owner: true, direct: true, privileges: 0n });
    expect(SpacePrivileges.names(spacePrivilegesOf(access.standing!))).toEqual(SpacePrivileges.all);
  });

  it('answers 404 to outsiders and 403 to members lacking the privilege or ownership', async () => {
    const { service } = setup();
    expect(await status(service.authorize(OUTSIDER, SPACE, {}))).toBe(404);
    expect(await status(service.authorize(VIEWER, SPACE, { privilege: 'space_view' }))).toBe('ok');
    expect(await status(service.authorize(VIEWER, SPACE, { privilege: 'space_update' }))).toBe(403);
    expect(await status(service.authorize(VIEWER, SPACE, { owner: true }))).toBe(403);
  });

  it('does not take every stored privilege for ownership', async () => {
    const { service } = setup();
    expect(await status(service.authorize(ADMIN_MEMBER, SPACE, { privilege: 'space_delete' }))).toBe('ok');
    expect(await status(service.authorize(ADMIN_MEMBER, SPACE, { owner: true }))).toBe(403);
  });

  it('lets a supporting provider in only where the route allows providers', async () => {
    const { service } = setup();
    expect(await status(service.authorize(PROVIDER, SPACE, { providers: true }))).toBe('ok');
    expect(await status(service.authorize(PROVIDER, SPACE, {}))).toBe(404);
    const other = { type: 'provider' as const, providerId: 'q'.repeat(32) };
    expect(await status(service.authorize(other, SPACE, { providers: true }))).toBe(404);
    expect(await status(service.authorize({ type: 'admin' }, SPACE, { providers: true }))).toBe(404);
  });

  it('checks again under the lock: a privilege lost meanwhile is refused, a deleted space is 404', async () => {
    const { service, standings } = setup();
    const access = await service.authorize(VIEWER, SPACE, { privilege: 'space_view' });
    standings[VIEWER.userId] = { owner: false, direct: true, privileges: 0n };
    expect(await status(service.lock({} as Tx, access as never, { privilege: 'space_view' }))).toBe(403);
    expect(await status(setup(false).service.lock({} as Tx, access as never, {}))).toBe(404);
  });

  it('opens a route to zone privileges where it names them, and hides nothing from a zone viewer', async () => {
    const { service } = setup();
    const view = { privilege: 'space_view', zone: ['oz_spaces_view'] } as const;
    const access = await service.authorize(ZONE_VIEWER, SPACE, view);
    expect(access).toMatchObject({ standing: null, byZone: true });
    // A route it lacks the zone privilege for: 403 (it may see the space), a missing space 404.
    expect(await status(service.authorize(ZONE_VIEWER, SPACE, { privilege: 'space_update', zone: ['oz_spaces_update'] }))).toBe(403);
    expect(await status(service.authorize(ZONE_VIEWER, 'f'.repeat(32), view))).toBe(404);
    // A route that names no zone privilege stays the members'.
    expect(await status(service.authorize(ZONE_VIEWER, SPACE, { privilege: 'space_view' }))).toBe(404);
    // The administrator holds every zone privilege, only where the route names some.
    expect(await service.authorize({ type: 'admin' }, SPACE, view)).toMatchObject({ byZone: true, zone: ZonePrivileges.allMask });
    expect(await status(service.authorize({ type: 'admin' }, SPACE, { privilege: 'space_view' }))).toBe(404);
  });
});
