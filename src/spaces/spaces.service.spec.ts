import { MarketplaceEvents } from './marketplace-events.js';
import type { MembershipRequestsRepository } from './membership-requests.repository.js';
import type { AccessRepository } from '../access/access.repository.js';
import type { Idempotency } from '../common/idempotency/idempotency.service.js';
import { loadConfig } from '../config/environment.js';
import { SpaceFields } from './space-fields.js';
import type { SpaceAccessService } from './access/space-access.service.js';
import { ApiError } from '../common/api-error.js';
import type { Transactions, Tx } from '../database/transactions.js';
import { TokenRejectedError } from '../tokens/token-rejected.error.js';
import type { IssueParams, TokensService, VerifiedToken } from '../tokens/tokens.service.js';
import { SpacePrivileges } from '../access/privileges.js';
import type { NewSpace, SpacesRepository } from './spaces.repository.js';
import { SpacesService } from './spaces.service.js';
import type { MembersRepository } from './members.repository.js';
import type { SupportsRepository } from './supports.repository.js';
import { SupportsService } from './supports.service.js';

const USER = { type: 'user' as const, userId: 'u'.repeat(32) };
const PROVIDER = { type: 'provider' as const, providerId: 'p'.repeat(32) };

function token(overrides: Partial<VerifiedToken>): VerifiedToken {
  return {
    id: 't'.repeat(32),
    version: 1,
    named: true,
    generation: null,
    type: 'provider_support',
    subject: { type: 'provider', id: PROVIDER.providerId },
    spaceId: null,
    groupId: null,
    maxSize: null,
    privileges: 0n,
    groupPrivileges: 0n,
    caveats: [],
    validUntil: null,
    timeOnly: true,
    ...overrides,
  };
}

/** Fakes with the contracts the service relies on; the transaction rolls back what it recorded on error. */
function setup(options: { tokens?: Record<string, VerifiedToken>; free?: bigint | null | undefined } = {}) {
  const created: NewSpace[] = [];
  const consumed: string[] = [];
  const issued: IssueParams[] = [];
  const repo = {
    async create(_tx: Tx, space: NewSpace) {
      created.push(space);
    },
    async createOwned(space: NewSpace) {
      created.push({ ...space, support: undefined });
    },
  };
  const supportsRepo = {
    async lockFreeCapacity() {
      return 'free' in options ? options.free : null;
    },
  };
  const tokens = {
    async check(serialized: unknown, type: string) {
      const record = options.tokens?.[serialized as string];
      if (!record) throw new TokenRejectedError('unknown');
      if (record.type !== type) throw new TokenRejectedError('wrong type');
      return record;
    },
    async consume(_tx: Tx, record: VerifiedToken) {
      consumed.push(record.id);
    },
    async issue(params: IssueParams) {
      issued.push(params);
      return 'serialized';
    },
    /** TokensService's contract: a rejection inside becomes 400 invalid_token. */
    async answeringInvalidToken<T>(_use: string, work: () => Promise<T>): Promise<T> {
      try {
        return await work();
      } catch (error) {
        if (error instanceof TokenRejectedError) throw ApiError.invalidToken();
        throw error;
      }
    },
    async checkBodyToken(serialized: string, type: string) {
      return this.answeringInvalidToken('body', () => this.check(serialized, type));
    },
  };
  const transactions = {
    async run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
      const before = [created.length, consumed.length];
      try {
        return await work({} as Tx);
      } catch (error) {
        created.length = before[0];
        consumed.length = before[1];
        throw error;
      }
    },
  };
  // Requests without an Idempotency-Key.
  const noKeys = { claimed: false, record: async () => undefined } as unknown as Idempotency;
  const supports = new SupportsService(
    supportsRepo as unknown as SupportsRepository,
    {} as SpacesRepository,
    {} as AccessRepository,
    tokens as unknown as TokensService,
    transactions as unknown as Transactions,
    noKeys,
  );
  const service = new SpacesService(
    repo as unknown as SpacesRepository,
    {} as MembersRepository,
    supports,
    tokens as unknown as TokensService,
    transactions as unknown as Transactions,
    noKeys,
    new SpaceFields(loadConfig({})),
    {} as SpaceAccessService,
    {} as MembershipRequestsRepository,
    new MarketplaceEvents(null),
  );
  return { service, created, consumed, issued };
}

async function apiError(promise: Promise<unknown>): Promise<{ status: number; body: unknown }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return { status: error.getStatus(), body: error.body };
    throw error;
  }
  throw new Error('expected an ApiError');
}

describe('SpacesService', () => {
  describe('createUserSpace', () => {
    it('makes the caller the owner with all privileges', async () => {
      const { service, created, consumed } = setup();
      const id = await service.createUserSpace(USER, { name: 'Mine' });
      expect(id).toMatch(/^[0-9a-f]{32}$/);
      expect(created).toEqual([
        {
          id,
          name: 'Mine',
          creator: { type: 'user', id: USER.userId },
          owner: { userId: USER.userId, privileges: SpacePrivileges.allMask },
          support: undefined,
          metadata: {},
        },
      ]);
      expect(consumed).toEqual([]);
    });

    it('keeps the descriptive fields given, tags without repeats, and refuses an unconfigured tag', async () => {
      const { service, created } = setup();
      await service.createUserSpace(USER, { name: 'Described', description: '# Hi', tags: ['demo', 'science', 'demo'] });
      expect(created[0].metadata).toEqual({ description: '# Hi', tags: ['demo', 'science'] });
      expect((await apiError(service.createUserSpace(USER, { name: 'Trolled', tags: ['troll'] }))).status).toBe(400);
      expect((await apiError(service.createUserSpace(USER, { name: 'Advertised', advertisedInMarketplace: true }))).status).toBe(400);
      expect(created).toHaveLength(1);
    });

    it('with a provider support token: consumes it and adds the support, size as bigint', async () => {
      const { service, created, consumed } = setup({ tokens: { good: token({}) }, free: 1000n });
      await service.createUserSpace(USER, { name: 'Supported', token: 'good', size: '150' });
      expect(consumed).toEqual(['t'.repeat(32)]);
      expect(created[0].support).toEqual({ providerId: PROVIDER.providerId, size: 150n });
    });

    it('maps a token failure to 400 invalid_token, writing nothing', async () => {
      const { service, created } = setup({ tokens: { creation: token({ type: 'space_creation' }) } });
      for (const t of ['missing', 'creation']) {
        expect(await apiError(service.createUserSpace(USER, { name: 'X', token: t, size: 1 }))).toEqual({
          status: 400,
          body: { error: 'invalid_token', error_description: 'Provided token could not be validated.' },
        });
      }
      expect(created).toEqual([]);
    });

    it('refuses a size over the token maxSize or the free capacity, consuming nothing', async () => {
      const capped = setup({ tokens: { t: token({ maxSize: 10n }) }, free: 1000n });
      expect((await apiError(capped.service.createUserSpace(USER, { name: 'X', token: 't', size: 11 }))).body).toEqual({
        error: 'invalid_request',
        error_description: "size exceeds the token's maxSize of 10 bytes.",
      });
      const full = setup({ tokens: { t: token({}) }, free: 5n });
      expect((await apiError(full.service.createUserSpace(USER, { name: 'X', token: 't', size: 6 }))).body).toEqual({
        error: 'invalid_request',
        error_description: "size exceeds the provider's free capacity of 5 bytes.",
      });
      expect([...capped.consumed, ...full.consumed, ...capped.created, ...full.created]).toEqual([]);
    });

    it('refuses when the issuing provider no longer exists', async () => {
      const { service, created } = setup({ tokens: { t: token({}) }, free: undefined });
      expect((await apiError(service.createUserSpace(USER, { name: 'X', token: 't', size: 1 }))).body).toMatchObject({
        error: 'invalid_token',
      });
      expect(created).toEqual([]);
    });
  });

  describe('createSpace', () => {
    it('by a user: refuses token and size', async () => {
      const { service } = setup();
      expect((await apiError(service.createSpace(USER, { name: 'X', token: 'a' }))).body).toEqual({
        error: 'invalid_request',
        error_description: 'token is accepted from providers only.',
      });
      expect((await apiError(service.createSpace(USER, { name: 'X', size: 1 }))).status).toBe(400);
    });

    it('by a provider: the token minter owns the space; the provider creates and supports it', async () => {
      const minter = 'm'.repeat(32);
      const { service, created } = setup({
        tokens: { c: token({ type: 'space_creation', subject: { type: 'user', id: minter } }) },
        free: null,
      });
      await service.createSpace(PROVIDER, { name: 'Provided', token: 'c', size: 5 });
      expect(created[0]).toMatchObject({
        creator: { type: 'provider', id: PROVIDER.providerId },
        owner: { userId: minter },
        support: { providerId: PROVIDER.providerId, size: 5n },
      });
    });

    it('by a provider: names what is missing', async () => {
      const { service } = setup();
      expect((await apiError(service.createSpace(PROVIDER, { name: 'X' }))).body).toMatchObject({
        error_description: 'token and size are required from providers.',
      });
      expect((await apiError(service.createSpace(PROVIDER, { name: 'X', size: 1 }))).body).toMatchObject({
        error_description: 'token is required from providers.',
      });
    });
  });

  describe('minting', () => {
    it('space creation tokens are single use and may expire', async () => {
      const { service, issued } = setup();
      const soon = Math.floor(Date.now() / 1000) + 60;
      await service.mintSpaceCreationToken(USER, { validUntil: soon });
      expect(issued[0]).toMatchObject({ type: 'space_creation', usageLimit: 1, validUntil: new Date(soon * 1000) });
    });

    it('provider support tokens default to one use, keep maxSize as bigint', async () => {
      const { service, issued } = setup();
      await service.mintProviderSupportToken(PROVIDER, { maxSize: '9007199254740993' });
      expect(issued[0]).toMatchObject({ type: 'provider_support', usageLimit: 1, maxSize: 9007199254740993n, validUntil: null });
    });

    it('refuses a validUntil in the past', async () => {
      const { service, issued } = setup();
      expect((await apiError(service.mintProviderSupportToken(PROVIDER, { validUntil: 1_000_000 }))).body).toEqual({
        error: 'invalid_request',
        error_description: 'validUntil must be in the future.',
      });
      expect(issued).toEqual([]);
    });
  });
});
