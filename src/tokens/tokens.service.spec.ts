import type { AppConfig } from '../config/environment.js';
import type { Secrets } from '../config/secrets.js';
import type { Subject } from '../auth/caller.js';
import type { Tx } from '../database/transactions.js';
import { appendCaveats, parseToken } from './token-codec.js';
import { TokenRejectedError } from './token-rejected.error.js';
import type { NewToken, StoredTokenState, TokenRecord, TokensRepository } from './tokens.repository.js';
import { TokensService } from './tokens.service.js';
import { THIS_SERVICE, type VerifyContext } from './verification.js';

/** An in-memory TokensRepository with the real one's contract (the parts verification uses). */
class FakeTokens {
  readonly rows = new Map<string, TokenRecord>();
  readonly generations = new Map<string, number>();
  readonly subjects = new Set<string>();

  async create(t: NewToken): Promise<TokenRecord> {
    const row: TokenRecord = {
      id: t.id,
      version: t.version,
      name: t.name,
      type: t.type,
      subjectType: t.subjectType,
      subjectId: t.subjectId,
      spaceId: t.spaceId ?? null,
      validUntil: t.validUntil ?? null,
      usageLimit: t.usageLimit ?? null,
      usageCount: 0,
      maxSize: t.maxSize ?? null,
      groupId: t.groupId ?? null,
      privileges: t.privileges ?? 0n,
      groupPrivileges: Number(t.groupPrivileges ?? 0n),
      revoked: t.revoked ?? false,
      caveats: t.caveats,
      customMetadata: {},
      createdAt: new Date(),
    };
    this.rows.set(row.id, row);
    return row;
  }

  async storedState(id: string): Promise<StoredTokenState | null> {
    const row = this.rows.get(id);
    if (!row) return null;
    return {
      id: row.id,
      version: row.version,
      type: row.type,
      subject: { type: row.subjectType, id: row.subjectId },
      spaceId: row.spaceId,
      groupId: row.groupId,
      validUntil: row.validUntil?.getTime() ?? null,
      usageLimit: row.usageLimit,
      usageCount: row.usageCount,
      maxSize: row.maxSize,
      privileges: row.privileges,
      groupPrivileges: BigInt(row.groupPrivileges),
      revoked: row.revoked,
      subjectExists: this.subjects.has(`${row.subjectType}:${row.subjectId}`),
    };
  }

  async generation(subject: Subject) {
    const key = `${subject.type}:${subject.id}`;
    return { generation: this.generations.get(key) ?? 1, subjectExists: this.subjects.has(key) };
  }

  async userInGroup() {
    return false;
  }

  async providerSupportsUser() {
    return false;
  }

  async consume(_tx: Tx, id: string, now: Date) {
    const row = this.rows.get(id);
    if (!row || row.revoked) return false;
    if (row.usageLimit !== null && row.usageCount >= row.usageLimit) return false;
    if (row.validUntil && row.validUntil <= now) return false;
    row.usageCount += 1;
    return true;
  }
}

const config = { TOKEN_LOCATION: 'onezone', TOKEN_CACHE_SECONDS: 60 } as AppConfig;
const secrets: Secrets = { adminToken: 'a'.repeat(32), tokenSecret: 'k'.repeat(40), generatedAdminToken: false };
const tx = {} as Tx;
const alice: Subject = { type: 'user', id: 'a'.repeat(32) };
const context = (overrides: Partial<VerifyContext> = {}): VerifyContext => ({
  now: new Date(),
  peerIp: 0x7f000001,
  interface: 'rest',
  consumer: null,
  service: THIS_SERVICE,
  operation: null,
  allowDataAccess: false,
  ...overrides,
});
const bearer = { peerIp: '127.0.0.1', operation: () => undefined };

describe('TokensService', () => {
  let repo: FakeTokens;
  let service: TokensService;

  beforeEach(() => {
    repo = new FakeTokens();
    repo.subjects.add(`user:${alice.id}`);
    service = new TokensService(repo as unknown as TokensRepository, config, secrets);
  });

  async function rejection(promise: Promise<unknown>): Promise<string> {
    try {
      await promise;
    } catch (error) {
      if (error instanceof TokenRejectedError) return error.reason;
      throw error;
    }
    throw new Error('expected a rejection');
  }

  it('issues a v2 named access token that resolves to its subject', async () => {
    const token = await service.issue({ type: 'access', subject: alice });
    expect(parseToken(token)!.rawIdentifier).toMatch(new RegExp(`^2/nmd/usr-${alice.id}/act/[0-9a-f]{32}$`));
    expect((await service.verify(token, { use: 'bearer' }, context())).subject).toEqual(alice);
    await expect(service.authenticate(token, bearer)).resolves.toEqual({ type: 'user', userId: alice.id });
  });

  it('mints the service-specific kinds as v1 tokens with their type caveat', async () => {
    const token = await service.issue({ type: 'space_creation', subject: alice, usageLimit: 1 });
    const parsed = parseToken(token)!;
    expect(parsed.identifier.version).toBe(1);
    expect(parsed.caveats).toEqual(['type = space_creation']);
    expect((await service.verify(token, { use: 'consume', type: 'space_creation' }, context())).type).toBe('space_creation');
    expect(await rejection(service.verify(token, { use: 'bearer' }, context()))).toMatch(/is a space_creation token/);
  });

  it('refuses an unknown, revoked, used up or expired token, and one whose subject is gone', async () => {
    const unknown = await service.issue({ type: 'access', subject: alice });
    repo.rows.clear();
    expect(await rejection(service.verify(unknown, { use: 'bearer' }, context()))).toMatch(/unknown token/);

    const revoked = await service.issue({ type: 'access', subject: alice });
    [...repo.rows.values()][0].revoked = true;
    expect(await rejection(service.verify(revoked, { use: 'bearer' }, context()))).toMatch(/revoked/);

    const once = await service.issue({ type: 'provider_support', subject: alice, usageLimit: 1 });
    const verified = await service.verify(once, { use: 'consume', type: 'provider_support' }, context());
    await service.consume(tx, verified);
    expect(await rejection(service.verify(once, { use: 'consume', type: 'provider_support' }, context()))).toMatch(/no uses left/);

    const expiring = await service.issue({ type: 'access', subject: alice, validUntil: new Date(Date.now() + 60_000) });
    expect(await rejection(service.verify(expiring, { use: 'bearer' }, context({ now: new Date(Date.now() + 61_000) })))).toMatch(
      /expired/,
    );

    const orphan = await service.issue({ type: 'access', subject: { type: 'user', id: 'gone' } });
    expect(await rejection(service.verify(orphan, { use: 'bearer' }, context()))).toMatch(/subject .* is gone/);
  });

  it('refuses a token minted under another secret even when its row exists', async () => {
    const token = await service.issue({ type: 'access', subject: alice });
    const other = new TokensService(repo as unknown as TokensRepository, config, { ...secrets, tokenSecret: 'z'.repeat(40) });
    expect(await rejection(other.verify(token, { use: 'bearer' }, context()))).toMatch(/signature mismatch/);
  });

  it('temporary tokens hold only in their generation', async () => {
    const token = await service.mintTemporary(alice, { kind: 'access' }, [`time < ${Math.floor(Date.now() / 1000) + 600}`]);
    expect((await service.verify(token, { use: 'bearer' }, context())).named).toBe(false);
    repo.generations.set(`user:${alice.id}`, 2);
    expect(await rejection(service.verify(token, { use: 'bearer' }, context()))).toMatch(/revoked generation/);
    repo.generations.set(`user:${alice.id}`, 0);
    expect(await rejection(service.verify(token, { use: 'bearer' }, context()))).toMatch(/future generation/);
  });

  it('an unknown caveat, or a type caveat in a v2 token, makes it invalid', async () => {
    const token = await service.issue({ type: 'access', subject: alice });
    for (const caveat of ['foo = bar', 'type = access']) {
      const confined = appendCaveats(parseToken(token)!, [caveat]);
      expect(await rejection(service.verify(confined, { use: 'bearer' }, context()))).toMatch(/unknown caveat/);
    }
  });

  it('consume fails when a concurrent use took the last one', async () => {
    const token = await service.issue({ type: 'provider_support', subject: alice, usageLimit: 1 });
    const verified = await service.verify(token, { use: 'consume', type: 'provider_support' }, context());
    await service.consume(tx, verified);
    expect(await rejection(service.consume(tx, verified))).toMatch(/used up or revoked concurrently/);
  });

  it('caches what a token is, and judges caveats that depend on the request on every request', async () => {
    const token = await service.issue({ type: 'access', subject: alice });
    const confined = appendCaveats(parseToken(token)!, ['ip = 127.0.0.1/32']);
    await expect(service.authenticate(token, bearer)).resolves.not.toBeNull();
    await expect(service.authenticate(confined, bearer)).resolves.not.toBeNull();
    repo.rows.clear();
    // Both are known without their row now; the ip caveat is still checked against each request.
    await expect(service.authenticate(token, bearer)).resolves.not.toBeNull();
    await expect(service.authenticate(confined, bearer)).resolves.not.toBeNull();
    await expect(service.authenticate(confined, { ...bearer, peerIp: '10.0.0.1' })).resolves.toBeNull();
    await expect(service.authenticate(token, { ...bearer, peerIp: '10.0.0.1' })).resolves.not.toBeNull();
    await service.forgetSubject(alice);
    await expect(service.authenticate(token, bearer)).resolves.toBeNull();
    await expect(service.authenticate(confined, bearer)).resolves.toBeNull();
  });

  it('stores the limits it was given, and the time limit as a caveat too', async () => {
    const validUntil = new Date(Math.floor(Date.now() / 1000) * 1000 + 3_600_000);
    await service.issue({ type: 'user_join_space', subject: alice, usageLimit: 3, validUntil, spaceId: 'f'.repeat(32) });
    const row = [...repo.rows.values()][0];
    expect(row).toMatchObject({
      usageLimit: 3,
      validUntil,
      subjectType: 'user',
      version: 2,
      caveats: [`time < ${validUntil.getTime() / 1000}`],
    });
    expect(row.name).toBe(`user_join_space ${row.id}`);
  });
});
